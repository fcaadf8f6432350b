import { SignJWT } from 'jose';
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createDatabase, type Db, migrateToLatest } from '../../src/db/database.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import { fixedClock } from '../../src/shared/clock.js';
import { HANGZHOU, PROVIDER, ZHEJIANG } from './fixtures.js';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

export type Claims = { sub?: string; role: string; region?: string; org?: string };

export async function mintToken(claims: Claims, secret = TEST_SECRET, expiresIn: string | number = '1h'): Promise<string> {
  return new SignJWT({ sub: claims.sub ?? `${claims.role}-${claims.region ?? claims.org}`, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

/** An HTTP client that sends one caller's bearer token on every request. */
export function clientFor(app: Express, token: string) {
  const auth = { Authorization: `Bearer ${token}` };
  return {
    get: (path: string) => request(app).get(path).set(auth),
    post: (path: string, body?: unknown, headers: Record<string, string> = {}) => {
      const req = request(app).post(path).set(auth).set(headers);
      return body === undefined ? req : req.send(body as object);
    },
  };
}
export type Client = ReturnType<typeof clientFor>;

export interface TestApp {
  app: Express;
  db: Db;
  clock: ReturnType<typeof fixedClock>;
  issuer: Client;
  provider: Client;
  auditor: Client;
  as(claims: Claims): Promise<Client>;
  close(): Promise<void>;
}

/** A fresh app on a fresh in-memory database; "today" is 2025-12-15 in Asia/Shanghai unless told otherwise. */
export async function buildTestApp(options: { now?: string; env?: Record<string, string>; databaseUrl?: string } = {}): Promise<TestApp> {
  const db = createDatabase(options.databaseUrl ?? ':memory:');
  await migrateToLatest(db);
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: ':memory:', JWT_SECRET: TEST_SECRET, ...options.env });
  const clock = fixedClock(options.now ?? '2025-12-15T04:00:00Z');
  const app = createApp({ db, config, logger: createLogger('silent'), clock });
  const as = async (claims: Claims) => clientFor(app, await mintToken(claims));
  return {
    app,
    db,
    clock,
    issuer: await as({ role: 'issuer', region: HANGZHOU }),
    provider: await as({ role: 'provider', org: PROVIDER }),
    auditor: await as({ role: 'auditor', region: ZHEJIANG }),
    as,
    close: () => db.destroy(),
  };
}
