// Redemption throughput: the use case called in-process, and its floor, the same SQL statements on raw
// better-sqlite3. Throughput itself is being reworked elsewhere (group commit); this only measures.
import BetterSqlite3 from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { appendedNodes, appendPlan, leafHash } from '../../src/transparency/merkle.js';
import type { AddressInfo } from 'node:net';
import { mintDevToken } from '../../src/auth/dev-token.js';
import type { Config } from '../../src/config.js';
import { createDatabase, migrateToLatest } from '../../src/db/database.js';
import { createDeps } from '../../src/deps.js';
import { createApp } from '../../src/app/app.js';
import { createLogger } from '../../src/logger.js';
import { createRedemptionService } from '../../src/redemptions/redemptions.service.js';
import { loadPolicies } from '../../src/rules/policy-loader.js';
import { systemClock, todayIn } from '../../src/shared/clock.js';
import { usccCheckCharacter } from '../../src/shared/uscc.js';

export const PROVIDER = '91330100799655058B';
export const BENEFICIARY = (() => {
  const first17 = '91330106000000777';
  return first17 + usccCheckCharacter(first17);
})();

export const benchTokens = async (config: Config) => ({
  issuer: await mintDevToken(config, { sub: 'bench-issuer', role: 'issuer', region: '330100' }),
  provider: await mintDevToken(config, { sub: 'bench-provider', role: 'provider', org: PROVIDER }),
});

/** Today (Asia/Shanghai), kept inside the policy window so that redemptions are valid. */
export const executedOn = () => (todayIn(systemClock) > '2027-12-31' ? '2027-12-31' : todayIn(systemClock));

/** The body of the n-th redemption of 1.00 yuan, each with its own invoice number. */
export const redemptionBody = (fixture: { voucherId: string; contractId: string }) => {
  const on = executedOn();
  const run = Date.now().toString(36);
  return (n: number) =>
    JSON.stringify({ voucherId: fixture.voucherId, contractId: fixture.contractId, executedAmount: '1.00', executedOn: on, invoiceNumber: `INV-${run}-${n}` });
};

/**
 * A program, a voucher and an autonomous-compute contract large enough for millions of 1.00 redemptions
 * (no annual cap applies to autonomous compute), created through the HTTP API of a running server.
 */
export async function redemptionFixture(base: string, tokens: { issuer: string; provider: string }): Promise<{ voucherId: string; contractId: string }> {
  const post = async (path: string, token: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { id: string };
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json.id;
  };
  const programId = await post('/v1/programs', tokens.issuer, { name: '基准测试算力券', kind: 'compute', budget: '9999999999999.99' });
  const voucherId = await post('/v1/vouchers', tokens.issuer, {
    programId,
    beneficiary: { uscc: BENEFICIARY, name: '基准测试企业' },
    amount: '9000000000000.00',
    expiresOn: '2027-12-31',
  });
  const contractId = await post('/v1/contracts', tokens.provider, {
    number: 'HT-BENCH',
    beneficiaryUscc: BENEFICIARY,
    kind: 'compute',
    autonomous: true,
    amount: '9999999999999.99',
    signedOn: '2025-06-01',
  });
  return { voucherId, contractId };
}

/** A redemption entry's stored data, of the real size and shape: the floors store this text, they do not build it. */
export const floorEntryData = ({ voucherId, contractId }: { voucherId: string; contractId: string }, programId: string, on: string) =>
  JSON.stringify({
    region: '330100',
    programId,
    kind: 'compute',
    redemptionId: 'rdm_00000000-0000-0000-0000-000000000000',
    voucherId,
    contract: {
      id: contractId,
      number: 'HT-BENCH',
      providerUscc: PROVIDER,
      beneficiaryUscc: BENEFICIARY,
      amount: '9999999999999.99',
      autonomous: true,
      signedOn: '2025-06-01',
    },
    invoiceNumber: 'INV-000000',
    executedAmount: '1.00',
    executedOn: on,
    year: Number(on.slice(0, 4)),
    policyId: 'zj-ai-2025',
    policySha256: 'f'.repeat(64),
    bucket: 'compute.autonomous',
    policyRate: '0.30',
    rate: '0.30',
    netExecutedBefore: '0.00',
    netExecutedAfter: '1.00',
    entitlement: '0.30',
    annualCap: null,
    annualUsedBefore: '0.00',
    programAnnualCap: null,
    programUsedBefore: '0.00',
    voucherBalanceBefore: '9000000000000.00',
    subsidy: '0.30',
    limitedBy: null,
  });

/**
 * An entry hash for the floors: SHA-256, as the ledger's are, so that its inserts land where the ledger's do, at
 * random places in the unique indexes on `hash` and `prev_hash` (text counting up would always append to their last
 * page, and commit fewer pages than the ledger).
 */
export const floorEntryHash = (seq: bigint) => createHash('sha256').update(`floor-entry-${seq}`).digest('hex');

export const FLOOR_ACTOR = JSON.stringify({ sub: 'bench-provider', role: 'provider', org: PROVIDER });

/** A fresh database file with the fixture, made through an in-process app. */
async function fixtureDatabase(path: string, config: Config) {
  const db = createDatabase(path);
  await migrateToLatest(db);
  const options = { db, config, logger: createLogger('silent'), clock: systemClock, policies: loadPolicies(config.POLICY_DIR) };
  const deps = createDeps(options);
  const server = createApp(options).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const fixture = await redemptionFixture(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, await benchTokens(config));
  await new Promise((resolve) => server.close(resolve));
  return { db, deps, fixture };
}

/** Redemptions per second through createRedemptionService(deps).redeem, with `inFlight` concurrent callers. */
export async function inProcessRedemptions(path: string, config: Config, seconds: number, inFlight: number): Promise<number> {
  const { db, deps, fixture } = await fixtureDatabase(path, config);
  const service = createRedemptionService(deps);
  const ctx = { actor: { sub: 'bench-provider', role: 'provider' as const, org: PROVIDER } };
  const on = executedOn();
  let invoice = 0;
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await service.redeem(
          { voucherId: fixture.voucherId, contractId: fixture.contractId, executedAmount: 100n, executedOn: on, invoiceNumber: `INV-${++invoice}` },
          ctx,
        );
        done++;
      }
    }),
  );
  const rate = done / ((performance.now() - started) / 1000);
  await db.destroy();
  return rate;
}

/**
 * The floor: the statements one redemption executes (read from redemptions.service.ts, ledger.writer.ts, the
 * Merkle tree's append, the repositories they call and the SQLite engine's write transaction), prepared once,
 * `perTransaction` redemptions per BEGIN IMMEDIATE transaction (the size of the group commits it is compared
 * with: 1 with one write in flight), WAL with synchronous=FULL, on the same schema (its triggers included).
 * Nothing is computed but the values the statements need: the tree's node hashes, and an entry hash and a
 * redemption id as random as the ledger's (`floorEntryHash`, `randomUUID`), so that the floor's inserts dirty as many
 * index pages as the ledger's do. Keep it in step when the write path changes.
 */
export async function rawRedemptionFloor(path: string, config: Config, seconds: number, perTransaction: number): Promise<number> {
  const { db, fixture } = await fixtureDatabase(path, config);
  await db.destroy();
  const sqlite = new BetterSqlite3(path);
  sqlite.defaultSafeIntegers(true);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  const s = {
    contract: sqlite.prepare('select * from contracts where id = ?'),
    voucher: sqlite.prepare('select * from vouchers where id = ?'),
    program: sqlite.prepare('select * from programs where id = ?'),
    invoice: sqlite.prepare('select id from redemptions where provider_uscc = ? and invoice_number = ?'),
    granted: sqlite.prepare('select granted_fen from annual_usage where scope = ? and uscc = ? and bucket = ? and year = ?'),
    balance: sqlite.prepare('select balance_fen from account_balances where account = ?'),
    head: sqlite.prepare('select seq, hash from ledger_head where id = 1'),
    entry: sqlite.prepare(
      'insert into ledger_entries (seq, type, recorded_at, actor, data, prev_hash, hash, region, program_id, kind) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    moveHead: sqlite.prepare('update ledger_head set seq = ?, hash = ? where id = 1 and seq = ?'),
    postings: sqlite.prepare('insert into ledger_postings (entry_seq, idx, account, amount_fen) values (?, ?, ?, ?), (?, ?, ?, ?)'),
    moveBalance: sqlite.prepare('update account_balances set balance_fen = balance_fen + ?, last_seq = ? where account = ?'),
    newBalance: sqlite.prepare('insert into account_balances (account, balance_fen, last_seq) values (?, ?, ?)'),
    redemption: sqlite.prepare(
      'insert into redemptions (id, voucher_id, contract_id, provider_uscc, invoice_number, executed_amount_fen, executed_on, bucket, rate, entitlement_fen, subsidy_fen, limited_by, reversed_amount_fen, clawed_back_fen, ledger_seq, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    execution: sqlite.prepare(
      'update contracts set net_executed_fen = net_executed_fen + ?, net_subsidy_fen = net_subsidy_fen + ?, voucher_id = ? where id = ?',
    ),
    moveGranted: sqlite.prepare('update annual_usage set granted_fen = granted_fen + ? where scope = ? and uscc = ? and bucket = ? and year = ?'),
    newGranted: sqlite.prepare('insert into annual_usage (scope, uscc, bucket, year, granted_fen) values (?, ?, ?, ?, ?)'),
    node: sqlite.prepare('select hash from merkle_nodes where level = ? and idx = ?').pluck(),
    newNode: sqlite.prepare('insert into merkle_nodes (level, idx, hash) values (?, ?, ?)'),
  };
  // The tree's append: the left siblings the leaf completes, then the leaf and each subtree it completes.
  const growTree = (seq: bigint, entryHash: string) => {
    const index = Number(seq - 1n);
    const lefts = appendPlan(index).lefts.map((ref) => Buffer.from(s.node.get(BigInt(ref.level), BigInt(ref.index)) as string, 'hex'));
    for (const row of appendedNodes(index, leafHash(entryHash), lefts)) s.newNode.run(BigInt(row.level), BigInt(row.index), row.hash.toString('hex'));
  };
  const { voucherId, contractId } = fixture;
  const voucherRow = s.voucher.get(voucherId) as { program_id: string };
  const on = executedOn();
  const year = BigInt(on.slice(0, 4));
  const data = floorEntryData(fixture, voucherRow.program_id, on);
  const actor = FLOOR_ACTOR;
  const moveBalance = (account: string, delta: bigint, seq: bigint) => {
    if (s.moveBalance.run(delta, seq, account).changes === 0) s.newBalance.run(account, delta, seq);
  };
  const moveGranted = (scope: string, delta: bigint) => {
    if (s.moveGranted.run(delta, scope, BENEFICIARY, 'compute.autonomous', year).changes === 0)
      s.newGranted.run(scope, BENEFICIARY, 'compute.autonomous', year, delta);
  };
  let invoice = 0;
  const redeemOnce = () => {
    const n = ++invoice;
    s.contract.get(contractId);
    s.voucher.get(voucherId);
    s.program.get(voucherRow.program_id);
    s.invoice.get(PROVIDER, `FLOOR-${n}`);
    s.granted.get('policy:zj-ai-2025', BENEFICIARY, 'compute.autonomous', year);
    s.granted.get(`program:${voucherRow.program_id}`, BENEFICIARY, 'compute.autonomous', year);
    s.balance.get(`voucher:${voucherId}`);
    const head = s.head.get() as { seq: bigint; hash: string };
    const seq = head.seq + 1n;
    const hash = floorEntryHash(seq);
    const now = new Date().toISOString();
    s.entry.run(seq, 'redemption.recorded', now, actor, data, head.hash, hash, '330100', voucherRow.program_id, 'compute');
    s.moveHead.run(seq, hash, head.seq);
    growTree(seq, hash);
    s.postings.run(seq, 0n, `voucher:${voucherId}`, -30n, seq, 1n, `payable:${PROVIDER}`, 30n);
    moveBalance(`voucher:${voucherId}`, -30n, seq);
    moveBalance(`payable:${PROVIDER}`, 30n, seq);
    s.redemption.run(
      `rdm_${randomUUID()}`,
      voucherId,
      contractId,
      PROVIDER,
      `FLOOR-${n}`,
      100n,
      on,
      'compute.autonomous',
      '0.30',
      30n,
      30n,
      null,
      0n,
      0n,
      seq,
      now,
    );
    s.execution.run(100n, 30n, voucherId, contractId);
    moveGranted('policy:zj-ai-2025', 30n);
    moveGranted(`program:${voucherRow.program_id}`, 30n);
  };
  const batch = sqlite.transaction(() => {
    for (let i = 0; i < perTransaction; i++) redeemOnce();
  });
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) batch.immediate();
  const rate = invoice / ((performance.now() - started) / 1000);
  sqlite.close();
  return rate;
}
