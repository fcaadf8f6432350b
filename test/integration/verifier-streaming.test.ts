// The streaming reader and the hashing threads must not change a single verdict: the same inputs give the
// same report with hashes computed on the main thread or on workers, from a file or from a database.
import canonicalize from 'canonicalize';
import BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fen, yuan } from '../../src/verifier/arithmetic.js';
import { runVerification } from '../../src/verifier/run.js';
import type { ExportedEntry } from '../helpers/tamper.js';

type Entry = ExportedEntry;

/** The fixture's own formatting, independent of the verifier's. */
const money = (fen: bigint) => `${fen < 0n ? '-' : ''}${(fen < 0n ? -fen : fen) / 100n}.${String((fen < 0n ? -fen : fen) % 100n).padStart(2, '0')}`;
const hashOf = (entry: Omit<Entry, 'hash'> & { hash?: string }) => {
  const { hash: _h, ...rest } = entry;
  return createHash('sha256').update(canonicalize(rest)!).digest('hex');
};

/** The policy file the fixture's programs are funded under, by the hash the verifier knows it by. */
const policySha256 = createHash('sha256')
  .update(readFileSync(new URL('../../src/rules/policies/zj-ai-2025.json', import.meta.url)))
  .digest('hex');
const limits = { 'compute.autonomous': { rate: '0.30', annualCap: null }, 'compute.non_autonomous': { rate: '0.10', annualCap: null } };

/** A rule-consistent chain of fundings and issuances (transfers only), with the members the service writes, hashed as it hashes. */
function chain(count: number, name = '基准测试企业'): Entry[] {
  const out: Entry[] = [];
  let prevHash = '0'.repeat(64);
  for (let seq = 1; seq <= count; seq++) {
    const funded = seq % 50 === 1;
    const program = `prg_${Math.floor((seq - 1) / 50)}`;
    const amount = funded ? 10n ** 12n : BigInt(100 + seq);
    const base = {
      seq,
      type: funded ? 'program.funded' : 'voucher.issued',
      recordedAt: new Date(Date.UTC(2025, 5, 1) + seq * 1000).toISOString(),
      actor: { sub: 'issuer-1', role: 'issuer', region: '330100' },
      data: funded
        ? { region: '330100', programId: program, kind: 'compute', name, policyId: 'zj-ai-2025', policySha256, budget: money(amount), limits }
        : {
            region: '330100',
            programId: program,
            kind: 'compute',
            voucherId: `vch_${seq}`,
            beneficiary: { uscc: '91330106000000005F', name },
            amount: money(amount),
            expiresOn: '2027-12-31',
          },
      postings: funded
        ? [
            { account: 'appropriation:330100', amount: money(-amount) },
            { account: `program:${program}`, amount: money(amount) },
          ]
        : [
            { account: `program:${program}`, amount: money(-amount) },
            { account: `voucher:vch_${seq}`, amount: money(amount) },
          ],
      prevHash,
    };
    const entry = { ...base, hash: hashOf(base) };
    out.push(entry);
    prevHash = entry.hash;
  }
  return out;
}

let dir: string;
let entries: Entry[];
const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const ndjson = (list: unknown[]) => list.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n') + '\n';

/** The report with hashes on the main thread, after checking that two hashing threads give the same one. */
async function bothWays(request: { file: string } | { db: string }) {
  const inline = await runVerification({ ...request, hashThreads: 0 });
  const threaded = await runVerification({ ...request, hashThreads: 2 });
  expect(threaded).toEqual(inline);
  return inline;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vl-verify-stream-'));
  // Enough entries for several 512 KB chunks, so that lines straddle chunk boundaries.
  entries = chain(4000);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an NDJSON export read in chunks, hashed on threads or not', () => {
  it('passes untouched, across chunk boundaries', async () => {
    const report = await bothWays({ file: write('good.ndjson', ndjson(entries)) });
    expect(report).toMatchObject({ ok: true, entries: 4000, lastSeq: 4000 });
  });

  it('tolerates CRLF line ends, blank lines and a missing final newline', async () => {
    const text = entries.map((e) => JSON.stringify(e)).join('\r\n\r\n');
    const report = await bothWays({ file: write('crlf.ndjson', text) });
    expect(report).toMatchObject({ ok: true, entries: 4000 });
  });

  it('reads a line longer than a chunk', async () => {
    const long = chain(3, 'x'.repeat(1_500_000));
    const report = await bothWays({ file: write('long.ndjson', ndjson(long)) });
    expect(report).toMatchObject({ ok: true, entries: 3 });
  });

  it('reports the same failures at the same seqs: edited entries, a lone surrogate, a line that is not JSON', async () => {
    const tampered: unknown[] = entries.map((e) => structuredClone(e));
    (tampered[1999] as Entry).recordedAt = '2025-01-01T00:00:00.000Z';
    ((tampered[2999] as Entry).data['beneficiary'] as Record<string, unknown>)['name'] = 'x';
    ((tampered[3099] as Entry).data['beneficiary'] as Record<string, unknown>)['name'] = '\ud800';
    tampered[3500] = '{"seq": 3501, not json';
    const report = await bothWays({ file: write('tampered.ndjson', ndjson(tampered)) });
    const hashes = report.checks.find((c) => c.name === 'hashes')!;
    expect(hashes).toMatchObject({ status: 'fail', failures: 3, first: { seq: 2000 } });
    expect(report.checks.find((c) => c.name === 'format')).toMatchObject({ status: 'fail', first: { reason: 'line 3501 is not a JSON object' } });
    expect(report.firstFailure).toMatchObject({ seq: 2000, check: 'hashes' });
  });

  it('finds a hash failure in the very first and the very last entry', async () => {
    const tampered = entries.map((e) => structuredClone(e));
    tampered[0]!.actor['sub'] = 'someone-else';
    tampered[3999]!.postings[1]!.account = 'voucher:elsewhere';
    const report = await bothWays({ file: write('ends.ndjson', ndjson(tampered)) });
    expect(report.checks.find((c) => c.name === 'hashes')).toMatchObject({ failures: 2, first: { seq: 1 } });
  });
});

describe('a database read in batches, hashed on threads or not', () => {
  function database(name: string, list: Entry[], mutate?: (db: BetterSqlite3.Database) => void): string {
    const path = join(dir, name);
    const db = new BetterSqlite3(path);
    db.exec(`CREATE TABLE ledger_entries (seq INTEGER PRIMARY KEY, type TEXT, recorded_at TEXT, actor TEXT, data TEXT, prev_hash TEXT, hash TEXT, region TEXT, program_id TEXT, kind TEXT);
      CREATE TABLE ledger_postings (entry_seq INTEGER, idx INTEGER, account TEXT, amount_fen INTEGER, PRIMARY KEY (entry_seq, idx));
      CREATE TABLE account_balances (account TEXT PRIMARY KEY, balance_fen INTEGER, last_seq INTEGER);
      CREATE TABLE checkpoints (seq INTEGER);`);
    for (const table of ['ledger_entries', 'ledger_postings', 'checkpoints'])
      for (const op of ['update', 'delete'])
        db.exec(`CREATE TRIGGER ${table}_no_${op} BEFORE ${op.toUpperCase()} ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`);
    const balances = new Map<string, bigint>();
    const insertEntry = db.prepare('INSERT INTO ledger_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insertPosting = db.prepare('INSERT INTO ledger_postings VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (const e of list) {
        insertEntry.run(
          e.seq,
          e.type,
          e.recordedAt,
          JSON.stringify(e.actor),
          JSON.stringify(e.data),
          e.prevHash,
          e.hash,
          '330100',
          e.data['programId'],
          'compute',
        );
        e.postings.forEach((p, idx) => {
          const fen = BigInt(p.amount.replace('.', ''));
          insertPosting.run(e.seq, idx, p.account, fen);
          balances.set(p.account, (balances.get(p.account) ?? 0n) + fen);
        });
      }
      const insertBalance = db.prepare('INSERT INTO account_balances VALUES (?, ?, ?)');
      for (const [account, fen] of balances) insertBalance.run(account, fen, list.length);
    })();
    mutate?.(db);
    db.close();
    return path;
  }

  it('passes untouched', async () => {
    const report = await bothWays({ db: database('good.db', entries) });
    expect(report).toMatchObject({ ok: true, entries: 4000 });
    expect(report.checks.map((c) => [c.name, c.status])).toContainEqual(['triggers', 'pass']);
  });

  it('finds edited rows, and reports stored JSON that does not parse instead of stopping', async () => {
    const path = database('tampered.db', entries, (db) => {
      db.exec('DROP TRIGGER ledger_entries_no_update');
      db.prepare("UPDATE ledger_entries SET data = replace(data, '基准', '基淮') WHERE seq = 1234").run();
      db.prepare('UPDATE ledger_entries SET actor = \'{"sub":\' WHERE seq = 2345').run();
    });
    const report = await bothWays({ db: path });
    expect(report.checks.find((c) => c.name === 'hashes')).toMatchObject({ status: 'fail', failures: 1, first: { seq: 1234 } });
    expect(report.checks.find((c) => c.name === 'format')).toMatchObject({ status: 'fail', first: { reason: 'line 2345 actor is not an object' } });
    expect(report.checks.find((c) => c.name === 'triggers')?.first?.reason).toBe('missing or altered: ledger_entries_no_update');
  });
});

describe('posting amounts read from a database', () => {
  it('are formatted exactly, on both sides of 2^53 fen', () => {
    const reference = (value: bigint) =>
      `${value < 0n ? '-' : ''}${(value < 0n ? -value : value) / 100n}.${String((value < 0n ? -value : value) % 100n).padStart(2, '0')}`;
    const safe = BigInt(Number.MAX_SAFE_INTEGER);
    fc.assert(
      fc.property(
        fc.oneof(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.bigInt({ min: -safe - 2n, max: safe + 2n }), fc.bigInt({ min: -1000n, max: 1000n })),
        (value) => {
          expect(yuan(value)).toBe(reference(value));
          expect(fen(yuan(value))).toBe(value);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
