// Several real processes write to one database at once: two server processes (and the expiry sweep from
// "cron") on one SQLite file, or two server processes on one PostgreSQL database. Thousands of concurrent
// mixed writes must get no 5xx, leave one linear chain with every acknowledged write in it, never exceed a
// balance or a cap, and pass the independent verifier.
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, type Db, migrateToLatest } from '../../src/db/database.js';
import { readEntries } from '../../src/ledger/ledger.reader.js';
import type { LedgerEntry } from '../../src/ledger/ledger.types.js';
import { uscc } from '../helpers/fixtures.js';
import { expectLedgerInvariants } from '../helpers/ledger-checks.js';
import { runScript, serviceEnvironment, startServer, stopChild } from '../helpers/processes.js';
import { mintToken, TEST_SECRET } from '../helpers/test-app.js';
import { createTestDatabase, type TestDatabase, testEngine } from '../helpers/test-database.js';

const CONCURRENCY = 32;
const PROVIDERS = [1, 2, 3, 4].map((n) => uscc(n));
const ENTERPRISES = Array.from({ length: 20 }, (_, i) => uscc(101 + i));

const dir = mkdtempSync(join(tmpdir(), 'vl-processes-'));
const children: ChildProcess[] = [];
let target: TestDatabase | undefined;
let db: Db | undefined;
afterAll(async () => {
  await Promise.all(children.map(stopChild));
  await db?.destroy();
  await target?.drop();
});

/** A small seeded PRNG (mulberry32), so that a failing run can be replayed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (n: number) => Math.floor(next() * n), pick: <T>(items: T[]) => items[Math.floor(next() * items.length)]! };
}

interface Outcome {
  kind: string;
  status: number;
  body: Record<string, unknown>;
}

describe(`several processes writing to one ${testEngine} database`, () => {
  it('two servers (and the sweep) under 2,400 concurrent mixed writes: no 5xx, one chain with every acknowledged write, caps kept, verifier OK', async () => {
    target = await createTestDatabase(join(dir, 'ledger.db'));
    db = createDatabase(target.url);
    await migrateToLatest(db);
    const keyPath = join(dir, 'signing.pem');
    writeFileSync(keyPath, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const env = serviceEnvironment(target.url, keyPath);
    const started = await Promise.all([startServer(env), startServer(env)]);
    children.push(...started.map((server) => server.child));
    const servers = started.map((server) => server.url);

    const issuer = await mintToken({ role: 'issuer', region: '330100' }, TEST_SECRET, '2h');
    const auditor = await mintToken({ role: 'auditor', region: '330000' }, TEST_SECRET, '2h');
    const providers = new Map(await Promise.all(PROVIDERS.map(async (org) => [org, await mintToken({ role: 'provider', org }, TEST_SECRET, '2h')] as const)));
    const rng = random(20261130);
    const outcomes: Outcome[] = [];
    let sent = 0;
    const call = async (kind: string, token: string, path: string, body: unknown): Promise<Outcome> => {
      const server = servers[sent++ % servers.length]!;
      const res = await fetch(`${server}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const outcome = { kind, status: res.status, body: (await res.json()) as Record<string, unknown> };
      outcomes.push(outcome);
      return outcome;
    };
    /** Runs the operations CONCURRENCY at a time, in a shuffled order so that kinds of write interleave. */
    const inParallel = async (operations: (() => Promise<unknown>)[]) => {
      const queue = operations.map((op) => ({ op, key: rng.int(1 << 30) })).sort((a, b) => a.key - b.key);
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let item = queue.shift(); item; item = queue.shift()) await item.op();
        }),
      );
    };
    const created = (kind: string) => outcomes.filter((o) => o.kind === kind && o.status === 201).map((o) => o.body);

    const newContract = (n: number) => () => {
      const provider = rng.pick(PROVIDERS);
      return call('contract', providers.get(provider)!, '/v1/contracts', {
        number: `HT-${n}`,
        beneficiaryUscc: rng.pick(ENTERPRISES),
        kind: 'compute',
        autonomous: rng.int(2) === 0,
        amount: `${50_000 + rng.int(50_000)}.00`,
        signedOn: '2026-01-15',
      });
    };
    const newVoucher = () => () => {
      const programs = created('program');
      return call('voucher', issuer, '/v1/vouchers', {
        programId: rng.pick(programs)['id'],
        beneficiary: { uscc: rng.pick(ENTERPRISES), name: '杭州示例智能科技有限公司' },
        amount: `${1_000 + rng.int(4_000)}.${String(rng.int(100)).padStart(2, '0')}`,
        expiresOn: '2027-06-30',
      });
    };
    let invoice = 0;
    // A contract is subsidised through one voucher only: keep to the voucher its first redemption bound it to.
    const boundVoucher = new Map<unknown, unknown>();
    const newRedemption = () => async () => {
      const contract = rng.pick(created('contract'));
      const vouchers = created('voucher').filter((v) => (v['beneficiary'] as { uscc: string }).uscc === contract['beneficiaryUscc']);
      if (vouchers.length === 0) return;
      const provider = contract['providerUscc'] as string;
      const voucherId = boundVoucher.get(contract['id']) ?? rng.pick(vouchers)['id'];
      const outcome = await call('redemption', providers.get(provider)!, '/v1/redemptions', {
        voucherId,
        contractId: contract['id'],
        executedAmount: `${100 + rng.int(6_000)}.${String(rng.int(100)).padStart(2, '0')}`,
        executedOn: '2026-06-01',
        invoiceNumber: `INV-${++invoice}`,
      });
      if (outcome.status === 201) boundVoucher.set(contract['id'], voucherId);
    };
    const newReversal = () => () => {
      const redemption = rng.pick(created('redemption'));
      const contract = created('contract').find((c) => c['id'] === redemption['contractId'])!;
      const executed = Number(String(redemption['executedAmount']).replace('.', ''));
      const amount = 1 + rng.int(Math.max(1, Math.floor(executed / 3)));
      return call('reversal', providers.get(contract['providerUscc'] as string)!, `/v1/redemptions/${redemption['id']}/reversals`, {
        executedAmount: `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`,
        reason: 'partial refund',
      });
    };
    const revoke = () => () => call('revocation', issuer, `/v1/vouchers/${rng.pick(created('voucher'))['id']}/revoke`, { reason: 'beneficiary withdrew' });

    let sweeping = true;
    const sweeps: number[] = [];
    const sweeper = (async () => {
      while (sweeping) sweeps.push((await runScript(['scripts/sweep-expired.ts'], env)).code ?? -1);
    })();

    let contractNo = 0;
    await inParallel([
      ...Array.from(
        { length: 10 },
        (_, i) => () => call('program', issuer, '/v1/programs', { name: `算力券 ${i}`, kind: 'compute', budget: i % 3 === 0 ? '40000.00' : '1000000.00' }),
      ),
      ...Array.from({ length: 100 }, () => newContract(++contractNo)),
    ]);
    await inParallel([...Array.from({ length: 300 }, newVoucher), ...Array.from({ length: 50 }, () => newContract(++contractNo))]);
    await inParallel([...Array.from({ length: 1_400 }, newRedemption), ...Array.from({ length: 100 }, newVoucher), ...Array.from({ length: 50 }, revoke)]);
    await inParallel([...Array.from({ length: 300 }, newReversal), ...Array.from({ length: 100 }, newRedemption)]);
    sweeping = false;
    await sweeper;

    // No 5xx, and enough real writes to mean something.
    const serverErrors = outcomes.filter((o) => o.status >= 500);
    expect(serverErrors.length, JSON.stringify(serverErrors.slice(0, 3))).toBe(0);
    expect(outcomes.length).toBeGreaterThanOrEqual(2_000);
    expect(created('redemption').length).toBeGreaterThan(500);
    expect(sweeps.length).toBeGreaterThan(0);
    expect(sweeps.every((code) => code === 0)).toBe(true);

    // One linear chain, balanced, with balances equal to their postings; every acknowledged write is in it.
    await expectLedgerInvariants(db);
    const entries = await readEntries(db, {}, 1_000_000);
    const acknowledged = outcomes.filter((o) => o.status === 201 || (o.kind === 'revocation' && o.status === 200));
    const contractsAcknowledged = acknowledged.filter((o) => o.kind === 'contract').length;
    expect(entries).toHaveLength(acknowledged.length - contractsAcknowledged);
    const at = (seq: unknown) => entries[Number(seq) - 1]!;
    for (const o of acknowledged) {
      if (o.kind === 'redemption') expect(at(o.body['ledgerSeq']).data).toMatchObject({ redemptionId: o.body['id'], subsidy: o.body['subsidy'] });
      if (o.kind === 'reversal') expect(at(o.body['ledgerSeq']).data).toMatchObject({ reversalId: o.body['id'], clawback: o.body['clawback'] });
    }
    const idsOf = (type: LedgerEntry['type'], field: string) => new Set(entries.filter((e) => e.type === type).map((e) => e.data[field]));
    expect(idsOf('program.funded', 'programId')).toEqual(new Set(created('program').map((p) => p['id'])));
    expect(idsOf('voucher.issued', 'voucherId')).toEqual(new Set(created('voucher').map((v) => v['id'])));
    expect(
      await db
        .selectFrom('contracts')
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: BigInt(contractsAcknowledged) });

    // Nothing overdrawn: programs, vouchers and payables never below zero; no subsidy above what was left.
    const balances = await db.selectFrom('account_balances').selectAll().execute();
    expect(balances.filter((b) => !b.account.startsWith('appropriation:') && b.balance_fen < 0n)).toEqual([]);
    for (const entry of entries.filter((e) => e.type === 'redemption.recorded')) {
      const cents = (key: string) => BigInt(String(entry.data[key]).replace('.', ''));
      expect(cents('subsidy')).toBeLessThanOrEqual(cents('voucherBalanceBefore'));
      expect(cents('subsidy')).toBeLessThanOrEqual(cents('entitlement'));
    }
    expect(outcomes.some((o) => o.kind === 'voucher' && o.body['code'] === 'insufficient_budget')).toBe(true);

    // The independent verifier accepts the export against a signed checkpoint.
    const auditorGet = (path: string) => fetch(`${servers[0]}${path}`, { headers: { authorization: `Bearer ${auditor}` } });
    const checkpoint = (await (await auditorGet('/v1/ledger/checkpoint')).json()) as { checkpoint: { seq: number } };
    const files = { ndjson: join(dir, 'ledger.ndjson'), checkpoint: join(dir, 'checkpoint.json'), jwks: join(dir, 'jwks.json') };
    writeFileSync(files.ndjson, await (await auditorGet(`/v1/ledger/export?format=ndjson&toSeq=${checkpoint.checkpoint.seq}`)).text());
    writeFileSync(files.checkpoint, JSON.stringify(checkpoint));
    writeFileSync(files.jwks, await (await fetch(`${servers[1]}/.well-known/jwks.json`)).text());
    const verified = await runScript(['scripts/verify.ts', files.ndjson, '--checkpoint', files.checkpoint, '--jwks', files.jwks], env);
    expect(verified.output).toMatch(/OK/);
    expect(verified.code).toBe(0);
  }, 300_000);
});
