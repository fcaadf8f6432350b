// What an operator meets when starting the server wrong: one line on stderr, a non-zero exit, no stack trace,
// no credentials; and development secrets in one place (./data), never beside an arbitrary database path.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript, serviceEnvironment, startServer } from '../helpers/processes.js';
import { testEngine } from '../helpers/test-database.js';

const dir = mkdtempSync(join(tmpdir(), 'vl-operations-'));
const keyPath = join(dir, 'key.pem');
writeFileSync(keyPath, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
const env = (overrides: Record<string, string>) => ({ ...serviceEnvironment(join(dir, 'ledger.db'), keyPath), ...overrides });

/** Starts the server expecting it to refuse; returns its exit code and stderr. */
const refusal = (overrides: Record<string, string>) => runScript(['src/server.ts'], env(overrides));
const oneLine = (stderr: string) => stderr.trim().split('\n');

// About the process, not the engine: run once, in the SQLite project (PostgreSQL's password is in credentials.test).
describe.skipIf(testEngine !== 'sqlite')('starting the server', () => {
  it('on a port already in use: a clear message and exit 1, never "listening" and exit 0', async () => {
    const first = await startServer(env({}));
    try {
      const port = new URL(first.url).port;
      const second = await refusal({ PORT: port });
      expect(second.code).toBe(1);
      expect(oneLine(second.stderr)).toEqual([`voucher-ledger cannot start: 127.0.0.1:${port} is already in use (another server?); set PORT to a free port`]);
      expect(second.output).not.toContain('listening');
    } finally {
      await first.stop();
    }
  });

  it('with a database path that cannot be opened, or an unreadable signing key: one line, exit 1, no stack trace', async () => {
    for (const [overrides, expected] of [
      // a directory that cannot exist: its parent is a file
      [
        { DATABASE_URL: join(keyPath, 'ledger.db') },
        /^voucher-ledger cannot start: DATABASE_URL: .*ledger\.db is inside a file, not a folder \(.* is not a directory\)$/m,
      ],
      [{ LEDGER_SIGNING_KEY: join(dir, 'missing.pem') }, /^voucher-ledger cannot start: LEDGER_SIGNING_KEY cannot be read/],
      [{ JWT_SECRET: '', JWT_PUBLIC_KEY: join(dir, 'missing-public.pem') }, /^voucher-ledger cannot start: the JWT verification key cannot be read/],
      [
        { DATABASE_URL: 'mysql://ledger:hunter2@db.example/ledger' },
        /^voucher-ledger cannot start: invalid configuration: +DATABASE_URL: DATABASE_URL must be postgres/,
      ],
    ] as const) {
      const result = await refusal(overrides);
      expect(result.code, result.stderr).toBe(1);
      expect(oneLine(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(expected);
      expect(result.stderr).not.toMatch(/\n\s+at |hunter2/);
    }
  });

  it('in development without secrets: they are made once in ./data of the working directory, not beside the database', async () => {
    const work = mkdtempSync(join(tmpdir(), 'vl-workdir-'));
    const databaseDir = mkdtempSync(join(tmpdir(), 'vl-database-'));
    const server = await startServer(
      { ...serviceEnvironment(join(databaseDir, 'ledger.db'), ''), NODE_ENV: 'development', JWT_SECRET: '', LEDGER_SIGNING_KEY: '' },
      work,
    );
    await server.stop();
    expect(readdirSync(join(work, 'data')).sort()).toEqual(['dev-jwt-secret', 'dev-ledger-signing-key.pem']);
    expect(readdirSync(databaseDir).filter((name) => name.startsWith('dev-'))).toEqual([]);
    expect(existsSync(join(databaseDir, 'ledger.db'))).toBe(true);
  });
});
