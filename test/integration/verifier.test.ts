import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { sql } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerification, type VerifyRequest } from '../../src/verifier/run.js';
import { buildSampleLedger } from '../helpers/sample-ledger.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-database.js';
import { dropHeadGuard, rehash, relink } from '../helpers/tamper.js';

/** The database-file tests copy the SQLite file; on PostgreSQL, verifier-postgres.test.ts covers --db. */
const sqlite = testEngine === 'sqlite';

type Entry = {
  seq: number;
  type: string;
  recordedAt: string;
  data: Record<string, unknown>;
  postings: { account: string; amount: string }[];
  prevHash: string;
  hash: string;
};

let t: TestApp;
let dir: string;
let files: { export: string; checkpoint: string; jwks: string; db: string; regional: string };
let entries: Entry[];

const write = (name: string, list: unknown[]) => {
  const path = join(dir, name);
  writeFileSync(path, list.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return path;
};
const verify = (file: string, extra: Partial<VerifyRequest> = {}) => runVerification({ file, checkpoint: files.checkpoint, jwks: files.jwks, ...extra });
const redemptionSeq = () => entries.find((e) => e.type === 'redemption.recorded' && e.data['subsidy'] !== '0.00')!.seq;
const copy = (seq: number) => structuredClone(entries[seq - 1]!);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vl-verify-'));
  const keyPath = join(dir, 'signing-key.pem');
  writeFileSync(keyPath, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
  t = await buildTestApp({ sqlitePath: join(dir, 'ledger.db'), env: { LEDGER_SIGNING_KEY: keyPath } });
  await buildSampleLedger(t);
  const exported = await t.auditor.get('/v1/ledger/export?format=ndjson');
  const regional = await (await t.as({ role: 'auditor', region: '330200' })).get('/v1/ledger/export');
  files = {
    export: join(dir, 'ledger.ndjson'),
    regional: join(dir, 'ningbo.ndjson'),
    checkpoint: join(dir, 'checkpoint.json'),
    jwks: join(dir, 'jwks.json'),
    db: join(dir, 'snapshot.db'),
  };
  writeFileSync(files.export, exported.text);
  writeFileSync(files.regional, regional.text);
  writeFileSync(files.checkpoint, JSON.stringify((await t.auditor.get('/v1/ledger/checkpoint')).body));
  writeFileSync(files.jwks, JSON.stringify((await request(t.app).get('/.well-known/jwks.json')).body));
  if (sqlite) await sql`vacuum into ${files.db}`.execute(t.db);
  entries = exported.text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Entry);
}, 60_000);
afterAll(() => t.close());

describe('verifying an untouched ledger', () => {
  it('passes every check on the full export with the checkpoint', async () => {
    const report = await verify(files.export);
    expect(report.firstFailure).toBeNull();
    expect(report).toMatchObject({ ok: true, partial: false, entries: entries.length, firstSeq: 1, lastSeq: entries.length, gaps: [] });
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['format', 'pass'],
      ['hashes', 'pass'],
      ['chain', 'pass'],
      ['balanced', 'pass'],
      ['recomputation', 'pass'],
      ['rules', 'pass'],
      ['derived-inputs', 'pass'],
      ['checkpoint', 'pass'],
    ]);
  });

  it.runIf(sqlite)('passes on the database file, including materialised balances, append-only triggers and the head', async () => {
    const report = await runVerification({ db: files.db, checkpoint: files.checkpoint, jwks: files.jwks });
    expect(report.firstFailure).toBeNull();
    expect(report.checks.find((c) => c.name === 'balances')?.status).toBe('pass');
    expect(report.checks.find((c) => c.name === 'triggers')?.status).toBe('pass');
    expect(report.checks.find((c) => c.name === 'head')?.status).toBe('pass');
  });

  it('a filtered export verifies entry by entry, lists its gaps and is marked partial', async () => {
    const report = await runVerification({ file: files.regional, partial: true });
    expect(report).toMatchObject({ ok: true, partial: true });
    expect(report.gaps.length).toBeGreaterThan(0);
    expect(report.checks.find((c) => c.name === 'derived-inputs')?.status).toBe('skipped');
    const strict = await runVerification({ file: files.regional });
    expect(strict.ok).toBe(false);
    expect(strict.firstFailure).toMatchObject({ seq: 1, check: 'chain' });
  });
});

describe('tampering is detected at the right seq', () => {
  it.each([
    ['an amount', (e: Entry) => void (e.postings[1]!.amount = '3000000.01')],
    ['a posting account', (e: Entry) => void (e.postings[1]!.account = 'payable:91330100799655058B')],
    ['a date', (e: Entry) => void (e.recordedAt = '2025-12-14T04:00:00.000Z')],
    ['a recorded input', (e: Entry) => void (e.data['voucherBalanceBefore'] = '9000001.00')],
  ])('changing %s fails the hash of that entry', async (_what, mutate) => {
    const seq = redemptionSeq();
    const tampered = copy(seq);
    mutate(tampered);
    const report = await verify(
      write(
        'tampered.ndjson',
        entries.map((e) => (e.seq === seq ? tampered : e)),
      ),
    );
    expect(report.ok).toBe(false);
    expect(report.firstFailure).toMatchObject({ seq, check: 'hashes' });
  });

  it('changing a recorded input and re-hashing the whole chain still fails recomputation or derivation at that seq, and the checkpoint', async () => {
    const seq = redemptionSeq();
    const tampered = copy(seq);
    tampered.data['voucherBalanceBefore'] = '9500000.00';
    const report = await verify(
      write(
        'rehashed.ndjson',
        relink(
          entries.map((e) => (e.seq === seq ? tampered : e)),
          seq - 1,
        ),
      ),
    );
    expect(report.firstFailure).toMatchObject({ seq, check: 'derived-inputs' });
    expect(report.checks.find((c) => c.name === 'hashes')?.status).toBe('pass');
    expect(report.checks.find((c) => c.name === 'checkpoint')?.first?.seq).toBe(entries.length);
  });

  it('deleting an entry fails the chain at the missing seq', async () => {
    const report = await verify(
      write(
        'deleted.ndjson',
        entries.filter((e) => e.seq !== 4),
      ),
    );
    expect(report.firstFailure).toMatchObject({ seq: 4, check: 'chain', reason: 'seq 4 is missing' });
  });

  it('swapping two entries fails the chain at the first of them', async () => {
    const swapped = [...entries];
    [swapped[5], swapped[6]] = [swapped[6]!, swapped[5]!];
    const report = await verify(write('swapped.ndjson', swapped));
    expect(report.firstFailure).toMatchObject({ seq: 6, check: 'chain' });
  });

  it('appending a forged entry fails at its seq, whether or not the forger re-hashed it', async () => {
    const next = entries.length + 1;
    const forged = { ...copy(redemptionSeq()), seq: next, prevHash: entries.at(-1)!.hash };
    forged.data['subsidy'] = '5000000.00';
    forged.postings = [
      { ...forged.postings[0]!, amount: '-5000000.00' },
      { ...forged.postings[1]!, amount: '5000000.00' },
    ];
    const naive = await verify(write('forged-naive.ndjson', [...entries, forged]));
    expect(naive.firstFailure).toMatchObject({ seq: next, check: 'hashes' });
    const careful = await verify(write('forged-careful.ndjson', [...entries, rehash(forged)]));
    expect(careful.firstFailure).toMatchObject({ seq: next, check: 'recomputation' });
    expect(careful.firstFailure?.reason).toMatch(/subsidy recomputes to 3000000.00/);
  });

  it('a checkpoint forged with another key fails, naming the seq it claims', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA');
    const real = JSON.parse(readFileSync(files.checkpoint, 'utf8'));
    const claim = { ...real.checkpoint, hash: 'f'.repeat(64) };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(claim)))
      .setProtectedHeader({ alg: 'EdDSA', kid: real.kid, typ: 'voucher-ledger-checkpoint+jws' })
      .sign(privateKey);
    const forgedPath = join(dir, 'forged-checkpoint.json');
    writeFileSync(forgedPath, JSON.stringify({ ...real, jws }));
    const report = await verify(files.export, { checkpoint: forgedPath });
    expect(report.firstFailure).toMatchObject({ seq: real.checkpoint.seq, check: 'checkpoint' });
    expect(report.firstFailure?.reason).toMatch(/does not verify/);
    // The same forgery verified against the forger's own JWKS still fails: the export does not hold that hash.
    const forgerJwks = join(dir, 'forger-jwks.json');
    writeFileSync(forgerJwks, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: real.kid, alg: 'EdDSA' }] }));
    const withForgerKey = await verify(files.export, { checkpoint: forgedPath, jwks: forgerJwks });
    expect(withForgerKey.firstFailure).toMatchObject({ seq: real.checkpoint.seq, check: 'checkpoint' });
  });

  it('a genuine checkpoint replayed from another ledger fails, whichever JWKS it is checked with', async () => {
    const other = await buildTestApp();
    try {
      await buildSampleLedger(other);
      const theirs = join(dir, 'their-checkpoint.json');
      const theirJwks = join(dir, 'their-jwks.json');
      writeFileSync(theirs, JSON.stringify((await other.auditor.get('/v1/ledger/checkpoint')).body));
      writeFileSync(theirJwks, JSON.stringify((await request(other.app).get('/.well-known/jwks.json')).body));
      const withOurKeys = await verify(files.export, { checkpoint: theirs });
      expect(withOurKeys.firstFailure).toMatchObject({ seq: entries.length, check: 'checkpoint' });
      const withTheirKeys = await verify(files.export, { checkpoint: theirs, jwks: theirJwks });
      expect(withTheirKeys.firstFailure).toMatchObject({ seq: entries.length, check: 'checkpoint' });
      expect(withTheirKeys.firstFailure?.reason).toMatch(/the checkpoint signs hash/);
    } finally {
      await other.close();
    }
  });

  it('rewriting history consistently from seq 3 passes hashes and chain but fails the checkpoint', async () => {
    // Times only, an hour later on the same Asia/Shanghai day, so every rule still holds: exactly what a signed
    // head exists to catch.
    const rewritten = relink(
      entries.map((e) => (e.seq >= 3 ? { ...e, recordedAt: e.recordedAt.replace('T04:', 'T05:') } : e)),
      2,
    );
    expect(rewritten.filter((e, i) => e.recordedAt !== entries[i]!.recordedAt)).toHaveLength(entries.length - 2);
    const report = await verify(write('rewritten.ndjson', rewritten));
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.name)).toEqual(['checkpoint']);
    expect(report.firstFailure).toMatchObject({ seq: entries.length, check: 'checkpoint' });
  });

  it('an export that stops before the checkpointed seq fails the checkpoint', async () => {
    const report = await verify(write('truncated.ndjson', entries.slice(0, -2)));
    expect(report.firstFailure).toMatchObject({
      seq: entries.length,
      check: 'checkpoint',
      reason: `the export does not hold the checkpointed seq ${entries.length}`,
    });
  });

  it.runIf(sqlite)('in the database: an edited posting, a forged balance, dropped triggers and a moved head are each found', async () => {
    const path = join(dir, 'tampered.db');
    await sql`vacuum into ${path}`.execute(t.db);
    const raw = new BetterSqlite3(path);
    const seq = redemptionSeq();
    raw.exec('DROP TRIGGER ledger_postings_no_update');
    raw.prepare('UPDATE ledger_postings SET amount_fen = amount_fen + 1 WHERE entry_seq = ? AND idx = 1').run(seq);
    raw.prepare("UPDATE account_balances SET balance_fen = balance_fen + 100 WHERE account LIKE 'program:%'").run();
    // The schema refuses a moved head: the insider drops its guard first.
    for (const statement of dropHeadGuard('sqlite')) raw.exec(statement);
    // A different first hex digit, whatever the real one is (an 'f' over an 'f' would change nothing).
    raw.prepare("UPDATE ledger_head SET hash = (CASE WHEN substr(hash, 1, 1) = 'f' THEN 'e' ELSE 'f' END) || substr(hash, 2)").run();
    raw.close();
    const report = await runVerification({ db: path });
    expect(report.firstFailure).toMatchObject({ seq: 0 });
    const failed = Object.fromEntries(report.checks.filter((c) => c.status === 'fail').map((c) => [c.name, c.first]));
    expect(failed['hashes']).toMatchObject({ seq });
    expect(failed['balanced']).toMatchObject({ seq });
    expect(failed['balances']?.reason).toMatch(/account (payable|program):/);
    expect(failed['triggers']?.reason).toBe('missing or altered: ledger_postings_no_update');
    expect(failed['head']?.reason).toMatch(/^ledger_head says seq \d+ hash [ef]/);
  });
});

describe('the command-line tools', () => {
  const run = promisify(execFile);
  const cli = (args: string[], script = 'scripts/verify.ts') =>
    run(process.execPath, ['--import', 'tsx', script, ...args]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );

  it('exits 0 with a report on a good export, and non-zero naming the first failing seq on a bad one', async () => {
    const good = await cli([files.export, '--checkpoint', files.checkpoint, '--jwks', files.jwks]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/OK: every check holds/);
    const bad = await cli([
      write(
        'cli-deleted.ndjson',
        entries.filter((e) => e.seq !== 2),
      ),
      '--json',
    ]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).firstFailure).toMatchObject({ seq: 2, check: 'chain' });
  }, 60_000);

  it.runIf(sqlite)(
    'npm run export reads the database file and writes the same bytes as the HTTP export',
    async () => {
      const out = join(dir, 'cli-export.ndjson');
      expect((await cli(['--db', files.db, '--format', 'ndjson', '--out', out], 'scripts/export.ts')).code).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(files.export, 'utf8'));
      const csv = join(dir, 'cli-export.csv');
      expect((await cli(['--db', files.db, '--format', 'csv', '--bom', '--kind', 'corpus', '--out', csv], 'scripts/export.ts')).code).toBe(0);
      const text = readFileSync(csv, 'utf8');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      expect(
        text
          .split('\r\n')
          .filter(Boolean)
          .slice(1)
          .every((row) => row.includes(',corpus,')),
      ).toBe(true);
    },
    60_000,
  );
});

describe('independence', () => {
  it('the verifier imports nothing from the service: its rules are a second implementation', () => {
    const folder = new URL('../../src/verifier/', import.meta.url);
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.ts'))) {
      const imports = [...readFileSync(new URL(file, folder), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]!);
      for (const spec of imports) expect(spec.startsWith('../'), `${file} imports ${spec}`).toBe(false);
    }
  });
});
