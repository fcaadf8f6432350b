// The ledger head is protected in the schema (decision 0031): plain SQL can neither delete it, add a second row,
// nor move it anywhere but forward onto the last entry; the service's own appends still move it; and a head that
// someone with DDL rights moved anyway makes /readyz answer 503.
import { type Kysely, sql } from 'kysely';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { ledgerHead } from '../../src/ledger/ledger.repository.js';
import { lastEntry } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { dropHeadGuard } from '../helpers/tamper.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-database.js';

let t: TestApp;
let s: ReturnType<typeof scenario>;
beforeEach(async () => {
  t = await buildTestApp();
  s = scenario(t);
  const program = await s.program();
  await s.voucher(program.id);
});
afterEach(() => t.close());

const run = (db: Kysely<Database>, statement: string) => sql.raw(statement).execute(db);

/** Runs `work` in a transaction that is always rolled back, so that the entries it forges never stay. */
async function rolledBack(work: (trx: Kysely<Database>) => Promise<void>): Promise<void> {
  const rollBack = new Error('roll back');
  await expect(
    t.db.transaction().execute(async (trx) => {
      await work(trx);
      throw rollBack;
    }),
  ).rejects.toBe(rollBack);
}

/** An entry appended by plain SQL, as an insider might (the schema lets entries in; the chain's hashes betray them). */
const forgedEntry = (seq: bigint, hash: string, prevHash: string) =>
  `INSERT INTO ledger_entries (seq, type, recorded_at, actor, data, prev_hash, hash, region, program_id, kind)
   VALUES (${seq}, 'program.funded', '2025-12-15T04:00:00.000Z', '{}', '{}', '${prevHash}', '${hash}', '330100', NULL, NULL)`;

describe('the ledger head in the schema', () => {
  it('refuses DELETE, a second row, a backward move, a changed id and a changed hash; the row stays as it was', async () => {
    const head = await ledgerHead(t.db);
    expect(head.seq).toBeGreaterThan(1n);
    const refusals: [string, RegExp][] = [
      ['DELETE FROM ledger_head', /ledger_head cannot be deleted/],
      ['DELETE FROM ledger_head WHERE id = 1', /ledger_head cannot be deleted/],
      [`INSERT INTO ledger_head (id, seq, hash) VALUES (2, ${head.seq}, '${head.hash}')`, /ledger_head holds one row/],
      ['UPDATE ledger_head SET seq = seq - 1', /ledger_head moves forward only/],
      [
        'UPDATE ledger_head SET seq = seq - 1, hash = (SELECT e.hash FROM ledger_entries e WHERE e.seq = ledger_head.seq - 1)',
        /ledger_head moves forward only/,
      ],
      ['UPDATE ledger_head SET seq = 0', /ledger_head moves forward only/],
      [`UPDATE ledger_head SET hash = '${'f'.repeat(64)}'`, /ledger_head moves forward only/],
      ['UPDATE ledger_head SET id = 2', /ledger_head/],
      // Beyond the last entry: no entry has that seq, whatever hash is claimed.
      [`UPDATE ledger_head SET seq = seq + 1, hash = '${'f'.repeat(64)}'`, /ledger_head must name an entry/],
      [`UPDATE ledger_head SET seq = seq + 5, hash = '${head.hash}'`, /ledger_head must name an entry/],
      ...(testEngine === 'postgres' ? ([['TRUNCATE ledger_head', /ledger_head cannot be deleted/]] as [string, RegExp][]) : []),
    ];
    for (const [statement, refusal] of refusals) {
      await expect(run(t.db, statement), statement).rejects.toThrow(refusal);
      expect(await ledgerHead(t.db), statement).toEqual(head);
    }
  });

  it('refuses a move onto an entry with the wrong hash, onto one that is not the last, and over a missing one', async () => {
    const head = await ledgerHead(t.db);
    const [next, after] = [head.seq + 1n, head.seq + 2n];
    const [a, b] = ['a'.repeat(64), 'b'.repeat(64)];
    // The entry at the new seq exists, but its hash is not the one claimed.
    await rolledBack(async (trx) => {
      await run(trx, forgedEntry(next, a, head.hash));
      await expect(run(trx, `UPDATE ledger_head SET seq = ${next}, hash = '${b}'`)).rejects.toThrow(/ledger_head must name an entry/);
    });
    // A later entry exists: the head would not be the last one.
    await rolledBack(async (trx) => {
      await run(trx, forgedEntry(next, a, head.hash));
      await run(trx, forgedEntry(after, b, a));
      await expect(run(trx, `UPDATE ledger_head SET seq = ${next}, hash = '${a}'`)).rejects.toThrow(/ledger_head must be the last entry/);
    });
    // The entry between the old head and the new one is missing.
    await rolledBack(async (trx) => {
      await run(trx, forgedEntry(after, b, head.hash));
      await expect(run(trx, `UPDATE ledger_head SET seq = ${after}, hash = '${b}'`)).rejects.toThrow(/ledger_head may pass only over existing entries/);
    });
    // What it lets through: forward, over existing entries, onto the last one with its hash (the hashes of the
    // entries themselves are the verifier's to check).
    await rolledBack(async (trx) => {
      await run(trx, forgedEntry(next, a, head.hash));
      await run(trx, forgedEntry(after, b, a));
      await run(trx, `UPDATE ledger_head SET seq = ${after}, hash = '${b}'`);
      expect(await ledgerHead(trx)).toEqual({ seq: after, hash: b });
    });
    expect(await ledgerHead(t.db)).toEqual(head);
  });

  it('still moves with every append of the service, one command at a time and in a group commit', async () => {
    const before = await ledgerHead(t.db);
    const program = await s.program();
    expect((await ledgerHead(t.db)).seq).toBe(before.seq + 1n);
    // Concurrent commands share one transaction, each in a savepoint, each moving the head after its entry.
    await Promise.all(Array.from({ length: 6 }, () => s.voucher(program.id, { amount: '1000.00' })));
    const last = await lastEntry(t.db);
    expect(BigInt(last.seq)).toBeGreaterThanOrEqual(before.seq + 7n);
    expect(await ledgerHead(t.db)).toEqual({ seq: BigInt(last.seq), hash: last.hash });
  });
});

describe('/readyz and the ledger head', () => {
  it('answers 503 naming the mismatch when the head is not the last entry', async () => {
    expect((await request(t.app).get('/readyz')).body).toEqual({ status: 'ready' });
    const head = await ledgerHead(t.db);
    // An insider with DDL rights lifts the guard and moves the head back one entry, hash and all.
    for (const statement of dropHeadGuard(testEngine)) await run(t.db, statement);
    await run(t.db, 'UPDATE ledger_head SET seq = seq - 1, hash = (SELECT e.hash FROM ledger_entries e WHERE e.seq = ledger_head.seq - 1)');
    const behind = await request(t.app).get('/readyz');
    expect(behind.status).toBe(503);
    expect(behind.body).toMatchObject({
      code: 'not_ready',
      detail: `the ledger head (seq ${head.seq - 1n}) is not the last entry (seq ${head.seq}); run npm run verify on this database`,
    });

    await run(t.db, `UPDATE ledger_head SET seq = ${head.seq}, hash = '${'f'.repeat(64)}'`);
    const forged = await request(t.app).get('/readyz');
    expect(forged.status).toBe(503);
    expect(forged.body.detail).toBe(
      `the ledger head (seq ${head.seq}, hash ffffffffffffffff…) is not the last entry (seq ${head.seq}, hash ${head.hash.slice(0, 16)}…); run npm run verify on this database`,
    );

    await run(t.db, 'DELETE FROM ledger_head');
    const missing = await request(t.app).get('/readyz');
    expect(missing.status).toBe(503);
    expect(missing.body.detail).toMatch(`the ledger head row is missing (the last entry is seq ${head.seq})`);

    await run(t.db, `INSERT INTO ledger_head (id, seq, hash) VALUES (1, ${head.seq}, '${head.hash}')`);
    expect((await request(t.app).get('/readyz')).status).toBe(200);
  });
});
