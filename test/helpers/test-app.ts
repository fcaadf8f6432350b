import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterEach } from 'vitest';
import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import type { Db } from '../../src/db/database.js';
import { createUnitOfWork, type UnitOfWork } from '../../src/unit-of-work/unit-of-work.js';
import { createApp } from '../../src/app/app.js';
import { createLogger } from '../../src/logger.js';
import { fixedClock } from '../../src/shared/clock.js';
import { HANGZHOU, PROVIDER, ZHEJIANG } from './fixtures.js';
import { openTestDatabase } from './test-database.js';
import { takeViolations, validatingResponses } from './openapi-responses.js';

// Every response seen through buildTestApp must match GET /openapi.json (decision 0023): drift fails the test.
afterEach(() => {
  const violations = takeViolations();
  if (violations.length > 0)
    throw new Error(`responses that do not match the OpenAPI document:\n${violations.map((v) => `${v.request} → ${v.status}: ${v.problem}`).join('\n')}`);
});

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
  /** The DATABASE_URL of this app's database (a SQLite path, or a PostgreSQL URL selecting its schema). */
  databaseUrl: string;
  /** A unit of work on the app's database with the app's clock, for tests that write below the HTTP layer. */
  unitOfWork: UnitOfWork;
  clock: ReturnType<typeof fixedClock>;
  issuer: Client;
  provider: Client;
  auditor: Client;
  as(claims: Claims): Promise<Client>;
  close(): Promise<void>;
}

/**
 * A fresh app on a fresh database of the project's engine (SQLite in memory, or a PostgreSQL schema of its own);
 * `sqlitePath` puts the SQLite database in a file. "Today" is 2025-12-15 in Asia/Shanghai unless told otherwise.
 */
export async function buildTestApp(
  options: { now?: string; env?: Record<string, string>; sqlitePath?: string; lockTimeoutMs?: number } = {},
): Promise<TestApp> {
  const database = await openTestDatabase(options.sqlitePath, options.lockTimeoutMs);
  const db = database.db;
  // Uploaded documents' files (SQLite) in a folder of this app's own, removed with it (decision 0039).
  const documents = mkdtempSync(join(tmpdir(), 'test-documents-'));
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: ':memory:', JWT_SECRET: TEST_SECRET, DOCUMENT_DIR: documents, ...options.env });
  const clock = fixedClock(options.now ?? '2025-12-15T04:00:00Z');
  const app = validatingResponses(createApp({ db, config, logger: createLogger('silent'), clock }));
  const as = async (claims: Claims) => clientFor(app, await mintToken(claims));
  return {
    app,
    db,
    databaseUrl: database.url,
    unitOfWork: createUnitOfWork(db, { clock, idempotencyRetentionDays: config.IDEMPOTENCY_RETENTION_DAYS }),
    clock,
    issuer: await as({ role: 'issuer', region: HANGZHOU }),
    provider: await as({ role: 'provider', org: PROVIDER }),
    auditor: await as({ role: 'auditor', region: ZHEJIANG }),
    as,
    close: () => database.close().finally(() => rmSync(documents, { recursive: true, force: true })),
  };
}
