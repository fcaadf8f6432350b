import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { withDevJwtSecret } from '../../src/dev-secrets.js';

describe('configuration', () => {
  it('has working defaults for a fresh checkout', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, DATABASE_URL: './data/voucher-ledger.db', NODE_ENV: 'development' });
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
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

  it('outside production, a missing JWT secret is created once beside the database and reused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vl-config-'));
    const config = loadConfig({ DATABASE_URL: join(dir, 'ledger.db') });
    const first = withDevJwtSecret(config);
    expect(first.createdSecretAt).toBe(join(dir, 'dev-jwt-secret'));
    expect(existsSync(join(dir, 'dev-jwt-secret'))).toBe(true);
    expect(Buffer.byteLength(first.config.JWT_SECRET!)).toBeGreaterThanOrEqual(32);
    expect(withDevJwtSecret(config).config.JWT_SECRET).toBe(readFileSync(join(dir, 'dev-jwt-secret'), 'utf8'));
    expect(withDevJwtSecret({ ...config, NODE_ENV: 'production' }).config.JWT_SECRET).toBeUndefined();
  });
});
