// `--db postgres://…`: the verifier reads the service's PostgreSQL database through `pg` itself. Runs in the
// vitest project `postgres` (TEST_DATABASE_URL set), on a database populated through the real service.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrateToLatest } from '../../src/db/database.js';
import { redactCredentials, redactedUrl } from '../../src/verifier/postgres-source.js';
import { runVerification } from '../../src/verifier/run.js';
import { buildSampleLedger } from '../helpers/sample-ledger.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { dropHeadGuard } from '../helpers/tamper.js';
import { testEngine } from '../helpers/test-database.js';

const run = promisify(execFile);
const cli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/verify.ts', ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );

async function onDatabase(url: string, sql: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of sql) await client.query(statement);
  } finally {
    await client.end();
  }
}

const status = (report: Awaited<ReturnType<typeof runVerification>>, name: string) => report.checks.find((c) => c.name === name);

describe.skipIf(testEngine !== 'postgres')('verifying a PostgreSQL database', () => {
  let t: TestApp;
  let dir: string;
  let checkpoint: string;
  let jwks: string;
  let exported: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vl-verify-pg-'));
    t = await buildTestApp();
    await buildSampleLedger(t);
    exported = join(dir, 'ledger.ndjson');
    writeFileSync(exported, (await t.auditor.get('/v1/ledger/export?format=ndjson')).text);
    checkpoint = join(dir, 'checkpoint.json');
    jwks = join(dir, 'jwks.json');
    writeFileSync(checkpoint, JSON.stringify((await t.auditor.get('/v1/ledger/checkpoint')).body));
    writeFileSync(jwks, JSON.stringify((await request(t.app).get('/.well-known/jwks.json')).body));
  }, 120_000);
  afterAll(() => t?.close());

  it('passes every check, the database ones included, and agrees with the export', async () => {
    const report = await runVerification({ db: t.databaseUrl, checkpoint, jwks });
    expect(report.firstFailure).toBeNull();
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['format', 'pass'],
      ['hashes', 'pass'],
      ['chain', 'pass'],
      ['balanced', 'pass'],
      ['recomputation', 'pass'],
      ['rules', 'pass'],
      ['derived-inputs', 'pass'],
      ['checkpoint', 'pass'],
      ['balances', 'pass'],
      ['triggers', 'pass'],
      ['head', 'pass'],
    ]);
    const fromFile = await runVerification({ file: exported, checkpoint, jwks });
    expect({ entries: report.entries, lastSeq: report.lastSeq }).toEqual({ entries: fromFile.entries, lastSeq: fromFile.lastSeq });
  });

  it('gives the same report with hashing threads, and leaves the global int8 parser alone', async () => {
    const inline = await runVerification({ db: t.databaseUrl, hashThreads: 0 });
    expect(await runVerification({ db: t.databaseUrl, hashThreads: 2 })).toEqual(inline);
    expect(pg.types.getTypeParser(20)('9007199254740993')).toBe('9007199254740993');
  });

  it('through the command line: exit 0, and the URL is not echoed', async () => {
    const result = await cli(['--db', t.databaseUrl, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, firstFailure: null });
  }, 60_000);

  it('an empty ledger has the genesis head', async () => {
    // A database of its own, migrated from nothing through the service, so that no entry was ever written.
    const server = process.env['TEST_DATABASE_URL']!;
    const name = `vl_verify_${randomBytes(4).toString('hex')}`;
    await onDatabase(server, [`CREATE DATABASE ${name}`]);
    const url = new URL(server);
    url.pathname = `/${name}`;
    try {
      const db = createDatabase(url.toString());
      await migrateToLatest(db);
      await db.destroy();
      const report = await runVerification({ db: url.toString() });
      expect(status(report, 'head')?.status).toBe('pass');
      expect(status(report, 'triggers')?.status).toBe('pass');
      expect(report.entries).toBe(0);
    } finally {
      await onDatabase(server, [`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
    }
  });

  it('finds an edited posting, a forged balance, a moved head and each kind of broken trigger', async () => {
    const seq = Number(
      JSON.parse((await t.auditor.get('/v1/ledger?limit=1000')).text).entries.find((e: { type: string }) => e.type === 'redemption.recorded').seq,
    );
    await onDatabase(t.databaseUrl, [
      'ALTER TABLE ledger_postings DISABLE TRIGGER ledger_postings_no_update',
      `UPDATE ledger_postings SET amount_fen = amount_fen + 1 WHERE entry_seq = ${seq} AND idx = 1`,
      "UPDATE account_balances SET balance_fen = balance_fen + 100 WHERE account LIKE 'program:%'",
      // The schema refuses a moved head: the insider drops its guard first.
      ...dropHeadGuard('postgres'),
      'UPDATE ledger_head SET seq = seq - 1',
      'DROP TRIGGER ledger_entries_no_truncate ON ledger_entries',
      'CREATE FUNCTION vl_test_allow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$',
      'DROP TRIGGER checkpoints_no_delete ON checkpoints',
      'CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints FOR EACH ROW EXECUTE FUNCTION vl_test_allow()',
      'DROP TRIGGER checkpoints_no_update ON checkpoints',
      'CREATE TRIGGER checkpoints_no_update AFTER UPDATE ON checkpoints FOR EACH ROW EXECUTE FUNCTION ledger_append_only()',
      'ALTER TABLE ledger_entries ENABLE REPLICA TRIGGER ledger_entries_no_delete',
    ]);
    const report = await runVerification({ db: t.databaseUrl });
    expect(report.ok).toBe(false);
    expect(status(report, 'hashes')?.first?.seq).toBe(seq);
    expect(status(report, 'balanced')?.first?.seq).toBe(seq);
    expect(status(report, 'balances')?.first?.reason).toMatch(/account (payable|program):/);
    expect(status(report, 'head')?.first?.reason).toMatch(/^ledger_head says seq \d+ /);
    expect(status(report, 'triggers')?.first?.reason).toBe(
      'missing or altered: ledger_entries_no_delete (fires only on replicas), ledger_entries_no_truncate (missing), ledger_postings_no_update (disabled), ' +
        'checkpoints_no_update (not BEFORE UPDATE FOR EACH ROW), checkpoints_no_delete (its function does not raise an exception)',
    );
  });
});

describe('PostgreSQL credentials are never printed', () => {
  const secret = 'S3cr3t-pw_!';
  // Port 1 refuses at once: the connection fails and the error travels up to the report or the CLI.
  const url = `postgres://verifier:${encodeURIComponent(secret)}@127.0.0.1:1/ledger`;

  it('redacts the password wherever a message might carry it', () => {
    expect(redactedUrl(url)).toBe('postgres://verifier:***@127.0.0.1:1/ledger');
    const message = redactCredentials(`could not reach ${url} (password ${secret}, ${encodeURIComponent(secret)}) or postgresql://a:b@h/d?password=zz`, url);
    expect(message).not.toContain(secret);
    expect(message).not.toContain(encodeURIComponent(secret));
    expect(message).not.toContain('zz');
    expect(message).toContain('postgres://verifier:***@127.0.0.1:1/ledger');
  });

  it('a failed connection rejects without the password, and the CLI exits 2 without it', async () => {
    const error = await runVerification({ db: url }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).not.toContain(secret);
    const result = await cli(['--db', url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^npm run verify: verification could not run: /);
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
    expect(`${result.stdout}${result.stderr}`).not.toContain(encodeURIComponent(secret));
  }, 60_000);
});
