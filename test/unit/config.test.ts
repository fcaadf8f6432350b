import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { estimatedEntropyBits, loadConfig, repeatedUnitLength } from '../../src/config.js';
import { devJwtSecretPath, withDevJwtSecret } from '../../src/dev-secrets.js';
import { devSigningKeyPath } from '../../src/transparency/checkpoints/signing-key.js';

describe('configuration', () => {
  it('has working defaults for a fresh checkout', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, DATABASE_URL: './data/voucher-ledger.db', NODE_ENV: 'development' });
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });

  it('bounds the PostgreSQL pool size (10 by default)', () => {
    expect(loadConfig({}).DB_POOL_SIZE).toBe(10);
    expect(loadConfig({ DB_POOL_SIZE: '25' }).DB_POOL_SIZE).toBe(25);
    expect(() => loadConfig({ DB_POOL_SIZE: '1' })).toThrow(/DB_POOL_SIZE/);
  });

  it('reads JWT_MAX_TTL as seconds, minutes, hours or days (24 h by default)', () => {
    expect(loadConfig({}).JWT_MAX_TTL).toBe(86_400);
    expect(loadConfig({ JWT_MAX_TTL: '90m' }).JWT_MAX_TTL).toBe(5_400);
    expect(loadConfig({ JWT_MAX_TTL: '2d' }).JWT_MAX_TTL).toBe(172_800);
    expect(loadConfig({ JWT_MAX_TTL: '30' }).JWT_MAX_TTL).toBe(30);
    expect(() => loadConfig({ JWT_MAX_TTL: 'a day' })).toThrow(/JWT_MAX_TTL/);
  });

  it('refuses to start in production without a JWT key and a ledger signing key, naming both', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET[\s\S]*LEDGER_SIGNING_KEY/);
  });

  it('rejects a JWT secret shorter than 32 bytes, a bad port and two asymmetric key sources', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET: JWT_SECRET must be at least 32 bytes/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ JWT_PUBLIC_KEY: 'a.pem', JWT_JWKS_FILE: 'b.json' })).toThrow(/set only one/);
  });

  it('development secrets live in ./data whatever the database path (test/processes/operations proves their creation)', () => {
    const config = loadConfig({ DATABASE_URL: join(tmpdir(), 'elsewhere', 'ledger.db') });
    expect(devJwtSecretPath(config)).toBe(resolve('data', 'dev-jwt-secret'));
    expect(devSigningKeyPath(config)).toBe(resolve('data', 'dev-ledger-signing-key.pem'));
    expect(withDevJwtSecret({ ...config, NODE_ENV: 'production' }).config.JWT_SECRET).toBeUndefined();
  });

  it('refuses a DATABASE_URL of another URL scheme instead of making a SQLite file of it', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://ledger:hunter2@db/ledger' })).toThrow(/DATABASE_URL must be postgres/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://ledger:hunter2@db/ledger' })).not.toThrow(/hunter2/);
    expect(loadConfig({ DATABASE_URL: 'postgresql://ledger@db/ledger' }).DATABASE_URL).toBe('postgresql://ledger@db/ledger');
  });

  describe('production refuses weak token settings, with one line naming the setting', () => {
    const production = { NODE_ENV: 'production', LEDGER_SIGNING_KEY: '/etc/voucher-ledger/key.pem' };
    it('an HMAC secret that repeats a pattern or has under 128 bits of estimated entropy', () => {
      expect(() => loadConfig({ ...production, JWT_SECRET: 'a'.repeat(32) })).toThrow(
        /JWT_SECRET: JWT_SECRET repeats a pattern of 1 character; generate one with: openssl rand -hex 32/,
      );
      expect(() => loadConfig({ ...production, JWT_SECRET: 'password1234'.repeat(3) })).toThrow(/JWT_SECRET repeats a pattern of 12 characters/);
      // 40 characters, no period, but only two symbols: 40 × ~1 bit
      expect(() => loadConfig({ ...production, JWT_SECRET: 'ab'.repeat(19) + 'ba' })).toThrow(
        /JWT_SECRET has about 4\d bits of entropy, production needs at least 128/,
      );
      // the same secrets are accepted outside production (tests and development keep their own)
      expect(loadConfig({ JWT_SECRET: 'a'.repeat(32) }).JWT_SECRET).toBe('a'.repeat(32));
      for (let i = 0; i < 200; i++) {
        expect(() => loadConfig({ ...production, JWT_SECRET: randomBytes(32).toString('hex') })).not.toThrow();
        expect(() => loadConfig({ ...production, JWT_SECRET: randomBytes(32).toString('base64') })).not.toThrow();
        expect(() => loadConfig({ ...production, JWT_SECRET: randomBytes(24).toString('base64url') })).not.toThrow();
      }
    });

    it('estimates entropy conservatively and finds the repeated unit', () => {
      expect(estimatedEntropyBits('')).toBe(0);
      expect(estimatedEntropyBits('aaaaaaaa')).toBe(0);
      // 64 hex digits: at most 64 × log2(16) = 256 bits
      expect(estimatedEntropyBits('0123456789abcdef'.repeat(4))).toBeCloseTo(256, 0);
      expect(repeatedUnitLength('abcabcab')).toBe(3);
      expect(repeatedUnitLength('abcabcad')).toBeUndefined();
      expect(repeatedUnitLength('x')).toBeUndefined();
    });

    it('a JWKS without JWT_ISSUER and JWT_AUDIENCE', () => {
      const jwks = { ...production, JWT_JWKS_URL: 'https://idp.example.gov.cn/.well-known/jwks.json' };
      expect(() => loadConfig(jwks)).toThrow(
        /JWT_ISSUER: production with a JWKS needs JWT_ISSUER[\s\S]*JWT_AUDIENCE: production with a JWKS needs JWT_AUDIENCE/,
      );
      expect(() => loadConfig({ ...jwks, JWT_ISSUER: 'https://idp.example.gov.cn' })).toThrow(/JWT_AUDIENCE/);
      expect(loadConfig({ ...jwks, JWT_ISSUER: 'https://idp.example.gov.cn', JWT_AUDIENCE: 'voucher-ledger' }).JWT_AUDIENCE).toBe('voucher-ledger');
      expect(() => loadConfig({ ...production, JWT_JWKS_FILE: '/etc/voucher-ledger/jwks.json' })).toThrow(/JWT_ISSUER/);
      expect(loadConfig({ JWT_JWKS_FILE: '/etc/voucher-ledger/jwks.json' }).JWT_ISSUER).toBeUndefined();
    });
  });
});
