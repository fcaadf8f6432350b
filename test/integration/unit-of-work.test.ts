import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { insertContractRow as insertContract } from '../../src/contracts/contracts.repository.js';
import { engineOf } from '../../src/db/database.js';
import { readEntries } from '../../src/ledger/ledger.reader.js';
import { accounts, transfer } from '../../src/ledger/ledger.types.js';
import { createLedger } from '../../src/deps.js';
import { DomainError } from '../../src/shared/errors.js';
import { ENTERPRISE, HANGZHOU, PROVIDER } from '../helpers/fixtures.js';
import { expectLedgerInvariants, snapshot } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { testEngine } from '../helpers/test-database.js';

/** The writer the app appends with (the Merkle tree grows with each entry). */
const ledger = createLedger();

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const INT64_MAX = 9223372036854775807n;

let contractIds = 0;
/** A contract row as the contracts repository stores it, under a fresh id. */
const contractRow = (number: string) => ({
  id: `ctr_${++contractIds}`,
  provider_uscc: PROVIDER,
  number,
  beneficiary_uscc: ENTERPRISE,
  kind: 'compute',
  autonomous: false,
  amount_fen: 100n,
  signed_on: '2025-06-01',
  national_key_project: false,
  net_executed_fen: 0n,
  net_subsidy_fen: 0n,
  voucher_id: null,
  created_at: '2025-12-15T04:00:00.000Z',
});

describe(`the unit of work on ${testEngine}`, () => {
  it('two concurrent redemptions cannot overdraw a 30.00 voucher, and the contract keeps both executions', async () => {
    t = await buildTestApp();
    const s = scenario(t);
    const program = await s.program();
    const voucher = await s.voucher(program.id, { amount: '30.00' });
    const contract = await s.contract({ autonomous: true });
    // 30% of 1,000.00 is 300.00 each: both want far more than the voucher holds.
    const [a, b] = await Promise.all([s.redeem(voucher.id, contract.id, '1000.00'), s.redeem(voucher.id, contract.id, '1000.00')]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const subsidies = [a.body.subsidy, b.body.subsidy].sort();
    expect(subsidies).toEqual(['0.00', '30.00']);
    expect((await t.issuer.get(`/v1/vouchers/${voucher.id}`)).body.balance).toBe('0.00');
    expect((await t.provider.get(`/v1/contracts/${contract.id}`)).body.netExecuted).toBe('2000.00');
    await expectLedgerInvariants(t.db);
  });

  it('an autonomous compute contract is subsidised at 30%, not 10% (booleans stay booleans)', async () => {
    t = await buildTestApp();
    const s = scenario(t);
    const { voucher } = await s.ready();
    const contract = await s.contract({ autonomous: true });
    expect((await s.redeem(voucher.id, contract.id, '100.00')).body).toMatchObject({ rate: '0.30', subsidy: '30.00' });
    expect((await t.provider.get(`/v1/contracts/${contract.id}`)).body).toMatchObject({ autonomous: true, nationalKeyProject: false });
    const keyProject = await s.contract({ autonomous: false, nationalKeyProject: true });
    expect((await t.provider.get(`/v1/contracts/${keyProject.id}`)).body).toMatchObject({ autonomous: false, nationalKeyProject: true });
    expect((await s.redeem(voucher.id, keyProject.id, '100.00')).body.code).toBe('national_rules_apply');
  });

  it('an operation that would take a balance past −(2^63−1) fen is 422 amount_out_of_range and changes nothing', async () => {
    t = await buildTestApp();
    // One balanced entry through the real writer brings Hangzhou's appropriation to the smallest allowed balance.
    await t.unitOfWork.transact((trx) =>
      ledger.append(
        trx,
        {
          type: 'program.funded',
          actor: { sub: 'test', role: 'issuer', region: HANGZHOU },
          data: { region: HANGZHOU, programId: 'prg_seed', kind: 'compute' },
          postings: transfer(accounts.appropriation(HANGZHOU), accounts.program('prg_seed'), INT64_MAX),
        },
        t!.clock.now(),
      ),
    );
    const before = await snapshot(t.db);
    const res = await t.issuer.post('/v1/programs', { name: 'one yuan too many', kind: 'compute', budget: '1.00' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'amount_out_of_range', status: 422 });
    expect(await snapshot(t.db)).toBe(before);
    const balance = await t.db
      .selectFrom('account_balances')
      .select('balance_fen')
      .where('account', '=', accounts.appropriation(HANGZHOU))
      .executeTakeFirstOrThrow();
    expect(balance.balance_fen).toBe(-INT64_MAX);
  });

  it('a unique violation that no rule caught is its 409 code, never a 500', async () => {
    t = await buildTestApp();
    // As if two registrations had both passed the duplicate check: the unique index is the last word.
    const run = t.unitOfWork.run({
      status: 201,
      context: { actor: { sub: 'p', role: 'provider', org: PROVIDER } },
      execute: async (trx) => {
        await insertContract(trx, contractRow('HT-RACE'));
        await insertContract(trx, contractRow('HT-RACE'));
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'duplicate_contract', extras: { field: 'number' } });
    await expect(run).rejects.toBeInstanceOf(DomainError);
    expect(await t.db.selectFrom('contracts').selectAll().execute()).toEqual([]);
  });

  it('concurrent commands share one transaction and commit; a failing one rolls back only itself', async () => {
    t = await buildTestApp();
    const transactions = vi.spyOn(engineOf(t.db), 'writeTransaction');
    const actor = { sub: 'test', role: 'issuer' as const, region: HANGZHOU };
    const fund = (programId: string, fail: boolean) =>
      t!.unitOfWork.run({
        status: 201,
        context: { actor },
        execute: async (trx) => {
          const entry = await ledger.append(
            trx,
            {
              type: 'program.funded',
              actor,
              data: { region: HANGZHOU, programId, kind: 'compute' },
              postings: transfer(accounts.appropriation(HANGZHOU), accounts.program(programId), 100n),
            },
            t!.clock.now(),
          );
          if (fail) throw new DomainError('insufficient_budget', 'refused after writing');
          return entry.seq;
        },
      });
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => fund(`prg_${i}`, i === 5)));
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(['insufficient_budget']);
    expect(transactions.mock.calls.length).toBeLessThan(12);
    transactions.mockRestore();
    const entries = await readEntries(t.db, {}, 100);
    expect(entries.map((e) => e.data.programId).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `prg_${i}`)
        .filter((id) => id !== 'prg_5')
        .sort(),
    );
    expect(outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.body] : [])).sort((a, b) => a - b)).toEqual(entries.map((e) => e.seq));
    await expectLedgerInvariants(t.db);
  });

  it('a command that refuses before writing costs its batch nothing; one that fails after writing has the batch rerun in savepoints', async () => {
    t = await buildTestApp();
    const transactions = vi.spyOn(engineOf(t.db), 'writeTransaction');
    const actor = { sub: 'test', role: 'issuer' as const, region: HANGZHOU };
    const fund = (programId: string, failure: 'none' | 'before writing' | 'duplicate row') =>
      t!.unitOfWork.run({
        status: 201,
        context: { actor },
        execute: async (trx) => {
          if (failure === 'before writing') throw new DomainError('insufficient_budget', 'refused before writing');
          const entry = await ledger.append(
            trx,
            {
              type: 'program.funded',
              actor,
              data: { region: HANGZHOU, programId, kind: 'compute' },
              postings: transfer(accounts.appropriation(HANGZHOU), accounts.program(programId), 100n),
            },
            t!.clock.now(),
          );
          // A statement that fails after the command wrote: on PostgreSQL it aborts the whole transaction.
          if (failure === 'duplicate row') await insertContract(trx, contractRow('HT-DUP'));
          return entry.seq;
        },
      });
    await insertContract(t.db, contractRow('HT-DUP'));

    const refusedEarly = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => fund(`prg_a${i}`, i === 3 ? 'before writing' : 'none')));
    expect(refusedEarly.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(transactions.mock.calls.length).toBe(1);

    transactions.mockClear();
    const failedLate = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => fund(`prg_b${i}`, i === 5 ? 'duplicate row' : 'none')));
    expect(failedLate.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(['duplicate_contract']);
    expect(transactions.mock.calls.length).toBe(2);
    transactions.mockRestore();

    const funded = (await readEntries(t.db, {}, 100)).map((e) => e.data.programId).sort();
    expect(funded).toEqual([...[0, 1, 2, 4, 5, 6, 7].map((i) => `prg_a${i}`), ...[0, 1, 2, 3, 4, 6, 7].map((i) => `prg_b${i}`)].sort());
    await expectLedgerInvariants(t.db);
  });

  it('concurrent HTTP requests are gathered into shared transactions too', async () => {
    t = await buildTestApp();
    const transactions = vi.spyOn(engineOf(t.db), 'writeTransaction');
    const responses = await Promise.all(Array.from({ length: 16 }, (_, i) => t!.issuer.post('/v1/programs', { name: `p${i}`, kind: 'model', budget: '1.00' })));
    expect(responses.map((r) => r.status)).toEqual(Array(16).fill(201));
    expect(transactions.mock.calls.length).toBeLessThan(16);
    transactions.mockRestore();
  });

  it('a write lock held elsewhere beyond the retries is 503 busy with Retry-After, and changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vl-busy-'));
    t = await buildTestApp({ sqlitePath: join(dir, 'ledger.db'), lockTimeoutMs: 50, env: { WRITE_ATTEMPTS: '2' } });
    const release = await holdWriteLock(t);
    try {
      const before = await snapshot(t.db);
      const res = await t.issuer.post('/v1/programs', { name: 'waits', kind: 'model', budget: '1.00' });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'busy', status: 503 });
      expect(await snapshot(t.db)).toBe(before);
    } finally {
      await release();
    }
    expect((await t.issuer.post('/v1/programs', { name: 'waits', kind: 'model', budget: '1.00' })).status).toBe(201);
  });
});

/** Takes the ledger's write lock from another connection, as another process would, until released. */
async function holdWriteLock(app: TestApp): Promise<() => Promise<void>> {
  if (testEngine === 'sqlite') {
    const other = new BetterSqlite3(app.databaseUrl);
    other.exec('BEGIN IMMEDIATE');
    return async () => {
      other.exec('ROLLBACK');
      other.close();
    };
  }
  const held = new pg.Client({ connectionString: app.databaseUrl });
  await held.connect();
  await held.query('BEGIN');
  await held.query('SELECT seq FROM ledger_head WHERE id = 1 FOR UPDATE');
  return async () => {
    await held.query('ROLLBACK');
    await held.end();
  };
}
