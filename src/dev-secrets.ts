import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from './config.js';
import { isPostgresUrl } from './db/postgres.js';

/** Where development-only secrets live: beside the database file (or under ./data for :memory: and PostgreSQL). */
export function devSecretDir(config: Config): string {
  return config.DATABASE_URL === ':memory:' || isPostgresUrl(config.DATABASE_URL) ? resolve('data') : dirname(resolve(config.DATABASE_URL));
}

export const devJwtSecretPath = (config: Config) => join(devSecretDir(config), 'dev-jwt-secret');

/** Outside production, a missing JWT_SECRET is replaced by one generated once and kept beside the database. */
export function withDevJwtSecret(config: Config): { config: Config; createdSecretAt?: string } {
  const asymmetric = config.JWT_PUBLIC_KEY || config.JWT_JWKS_FILE || config.JWT_JWKS_URL;
  if (config.JWT_SECRET || asymmetric || config.NODE_ENV === 'production') return { config };
  const path = devJwtSecretPath(config);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return { config: Object.freeze({ ...config, JWT_SECRET: readFileSync(path, 'utf8').trim() }), createdSecretAt: path };
}
