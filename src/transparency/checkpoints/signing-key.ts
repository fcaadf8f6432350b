import { calculateJwkThumbprint, type JWK } from 'jose';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../../config.js';
import { devSecretDir } from '../../dev-secrets.js';

export interface SigningKey {
  privateKey: KeyObject;
  publicJwk: JWK & { kid: string; alg: 'EdDSA'; use: 'sig' };
  kid: string;
}

/** Reads an Ed25519 private key from a PKCS#8 PEM or a JWK file. */
export function readSigningKeyFile(path: string): KeyObject {
  const text = readFileSync(path, 'utf8');
  const key = text.includes('-----BEGIN') ? createPrivateKey(text) : createPrivateKey({ key: JSON.parse(text) as Record<string, string>, format: 'jwk' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`LEDGER_SIGNING_KEY must be an Ed25519 private key, not ${key.asymmetricKeyType}`);
  return key;
}

export async function signingKeyFrom(privateKey: KeyObject): Promise<SigningKey> {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, kid, publicJwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' } };
}

export const devSigningKeyPath = (config: Config) => join(devSecretDir(config), 'dev-ledger-signing-key.pem');

/** Outside production a missing LEDGER_SIGNING_KEY is generated once and kept beside the database. */
export function withDevSigningKey(config: Config): Config {
  if (config.LEDGER_SIGNING_KEY || config.NODE_ENV === 'production') return config;
  const path = devSigningKeyPath(config);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  }
  return Object.freeze({ ...config, LEDGER_SIGNING_KEY: path });
}

/** The configured key, or (tests, :memory:) a key that lives as long as the process. */
export async function loadSigningKey(config: Config): Promise<SigningKey> {
  if (config.LEDGER_SIGNING_KEY) return signingKeyFrom(readSigningKeyFile(config.LEDGER_SIGNING_KEY));
  if (config.NODE_ENV === 'production') throw new Error('LEDGER_SIGNING_KEY is required in production');
  return signingKeyFrom(generateKeyPairSync('ed25519').privateKey);
}
