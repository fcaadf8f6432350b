import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from './config.js';

/**
 * Where development-only secrets live, whatever the database: `./data/` of the working directory (the repo root
 * under npm scripts), which .gitignore covers. Never beside an arbitrary database path.
 */
export function devSecretDir(_config: Config): string {
  return resolve('data');
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
