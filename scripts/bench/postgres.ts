// Redemptions on PostgreSQL: a throwaway database for the run, and the floor, the statements one redemption
// executes on raw `pg` with named prepared statements, from concurrent clients as the app's servers are.
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { redactDatabaseUrl } from '../../src/db/database.js';
import { appendedNodes, appendPlan, leafHash } from '../../src/transparency/merkle.js';
import { BENEFICIARY, executedOn, FLOOR_ACTOR, floorEntryData, floorEntryHash, PROVIDER } from './redemptions.js';

export interface BenchDatabase {
  url: string;
  /** The server's version, e.g. "PostgreSQL 15.20". */
  version: string;
  /** Drops the database, closing whatever is still connected to it; safe to call more than once. */
  drop(): Promise<void>;
}

/** The URL of `name` on the server of `url`, with everything else of it kept. */
const onDatabase = (url: string, name: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
};

/** A fresh database `vl_bench_<random>` on the server of `adminUrl`; throws one line when the server is unreachable. */
export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL at ${redactDatabaseUrl(adminUrl)} is unreachable (${(err as Error).message || (err as { code?: string }).code}): start it, or pass --pg-url`,
    );
  }
  const name = `vl_bench_${randomBytes(4).toString('hex')}`;
  const { rows } = await admin.query<{ version: string }>('select version()');
  await admin.query(`create database ${name}`);
  let dropped: Promise<void> | undefined;
  return {
    url: onDatabase(adminUrl, name),
    version: /^PostgreSQL [0-9.]+/.exec(rows[0]?.version ?? '')?.[0] ?? 'PostgreSQL',
    // WITH (FORCE): a server that did not exit in time must not leave the database behind.
    drop: () => (dropped ??= admin.query(`drop database if exists ${name} with (force)`).then(() => admin.end())),
  };
}

type Fixture = { voucherId: string; contractId: string };

/** A named statement: PostgreSQL parses and plans it once per connection. */
const statement =
  (name: string, text: string) =>
  (...values: unknown[]) => ({ name: `floor_${name}`, text, values });

// The statements of redemptions.service.ts, ledger.writer.ts and the repositories they call, as kysely compiles them.
const s = {
  lock: statement('lock', 'select seq from ledger_head where id = 1 for update'),
  contract: statement('contract', 'select * from contracts where id = $1'),
  voucher: statement('voucher', 'select * from vouchers where id = $1'),
  program: statement('program', 'select * from programs where id = $1'),
  invoice: statement('invoice', 'select id from redemptions where provider_uscc = $1 and invoice_number = $2'),
  granted: statement('granted', 'select granted_fen from annual_usage where scope = $1 and uscc = $2 and bucket = $3 and year = $4'),
  balance: statement('balance', 'select balance_fen from account_balances where account = $1'),
  head: statement('head', 'select seq, hash from ledger_head where id = $1'),
  entry: statement(
    'entry',
    'insert into ledger_entries (seq, type, recorded_at, actor, data, prev_hash, hash, region, program_id, kind) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
  ),
  moveHead: statement('move_head', 'update ledger_head set seq = $1, hash = $2 where id = $3 and seq = $4'),
  postings: statement('postings', 'insert into ledger_postings (entry_seq, idx, account, amount_fen) values ($1, $2, $3, $4), ($5, $6, $7, $8)'),
  moveBalance: statement('move_balance', 'update account_balances set balance_fen = balance_fen + $1, last_seq = $2 where account = $3'),
  newBalance: statement('new_balance', 'insert into account_balances (account, balance_fen, last_seq) values ($1, $2, $3)'),
  redemption: statement(
    'redemption',
    'insert into redemptions (id, voucher_id, contract_id, provider_uscc, invoice_number, executed_amount_fen, executed_on, bucket, rate, entitlement_fen, subsidy_fen, limited_by, reversed_amount_fen, clawed_back_fen, ledger_seq, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)',
  ),
  execution: statement(
    'execution',
    'update contracts set net_executed_fen = net_executed_fen + $1, net_subsidy_fen = net_subsidy_fen + $2, voucher_id = $3 where id = $4',
  ),
  moveGranted: statement('move_granted', 'update annual_usage set granted_fen = granted_fen + $1 where scope = $2 and uscc = $3 and bucket = $4 and year = $5'),
  newGranted: statement('new_granted', 'insert into annual_usage (scope, uscc, bucket, year, granted_fen) values ($1, $2, $3, $4, $5)'),
};

// The tree's left siblings in one read and its new nodes in one insert, one statement per count, as merkle.repository.ts.
const placeholders = (count: number, width: number, each: (at: (i: number) => string) => string) =>
  Array.from({ length: count }, (_unused, row) => each((i) => `$${row * width + i}`));
const readNodes = (count: number) =>
  statement(
    `nodes_${count}`,
    `select level, idx, hash from merkle_nodes where ${placeholders(count, 2, (at) => `(level = ${at(1)} and idx = ${at(2)})`).join(' or ')}`,
  );
const insertNodes = (count: number) =>
  statement(
    `new_nodes_${count}`,
    `insert into merkle_nodes (level, idx, hash) values ${placeholders(count, 3, (at) => `(${at(1)}, ${at(2)}, ${at(3)})`).join(', ')}`,
  );

async function growTree(client: pg.Client, seq: bigint, entryHash: string): Promise<void> {
  const index = Number(seq - 1n);
  const { lefts } = appendPlan(index);
  const stored = new Map<string, string>();
  if (lefts.length > 0) {
    const { rows } = await client.query<{ level: string; idx: string; hash: string }>(
      readNodes(lefts.length)(...lefts.flatMap((ref) => [ref.level, ref.index])),
    );
    for (const row of rows) stored.set(`${row.level}:${row.idx}`, row.hash);
  }
  const leftHashes = lefts.map((ref) => Buffer.from(stored.get(`${ref.level}:${ref.index}`)!, 'hex'));
  const nodes = appendedNodes(index, leafHash(entryHash), leftHashes);
  await client.query(insertNodes(nodes.length)(...nodes.flatMap((node) => [node.level, node.index, node.hash.toString('hex')])));
}

/** What every redemption of the floor writes the same: the fixture's keys and the stored texts. */
interface FloorRun {
  fixture: Fixture;
  programId: string;
  on: string;
  year: number;
  data: string;
  nextInvoice: () => number;
}

/** Updates a materialised row by delta, inserting it when absent, as the repositories do. */
async function moveOrInsert(client: pg.Client, update: pg.QueryConfig, insert: pg.QueryConfig): Promise<void> {
  if ((await client.query(update)).rowCount === 0) await client.query(insert);
}

async function redeemOnce(client: pg.Client, run: FloorRun): Promise<void> {
  const { fixture, programId, on, year } = run;
  const n = run.nextInvoice();
  const usage = (scope: string) => [scope, BENEFICIARY, 'compute.autonomous', year];
  await client.query(s.contract(fixture.contractId));
  await client.query(s.voucher(fixture.voucherId));
  await client.query(s.program(programId));
  await client.query(s.invoice(PROVIDER, `FLOOR-${n}`));
  await client.query(s.granted(...usage('policy:zj-ai-2025')));
  await client.query(s.granted(...usage(`program:${programId}`)));
  await client.query(s.balance(`voucher:${fixture.voucherId}`));
  const head = (await client.query<{ seq: string; hash: string }>(s.head(1))).rows[0]!;
  const seq = BigInt(head.seq) + 1n;
  const hash = floorEntryHash(seq);
  const now = new Date().toISOString();
  await client.query(s.entry(seq, 'redemption.recorded', now, FLOOR_ACTOR, run.data, head.hash, hash, '330100', programId, 'compute'));
  await client.query(s.moveHead(seq, hash, 1, head.seq));
  await growTree(client, seq, hash);
  await client.query(s.postings(seq, 0, `voucher:${fixture.voucherId}`, -30, seq, 1, `payable:${PROVIDER}`, 30));
  for (const [account, delta] of [
    [`voucher:${fixture.voucherId}`, -30],
    [`payable:${PROVIDER}`, 30],
  ] as const)
    await moveOrInsert(client, s.moveBalance(delta, seq, account), s.newBalance(account, delta, seq));
  await client.query(
    s.redemption(
      `rdm_${randomUUID()}`,
      fixture.voucherId,
      fixture.contractId,
      PROVIDER,
      `FLOOR-${n}`,
      100,
      on,
      'compute.autonomous',
      '0.30',
      30,
      30,
      null,
      0,
      0,
      seq,
      now,
    ),
  );
  await client.query(s.execution(100, 30, fixture.voucherId, fixture.contractId));
  for (const scope of ['policy:zj-ai-2025', `program:${programId}`])
    await moveOrInsert(client, s.moveGranted(30, ...usage(scope)), s.newGranted(...usage(scope), 30));
}

/** One transaction of `perTransaction` redemptions, the ledger lock taken first as postgres.ts's writeTransaction does. */
async function commitBatch(client: pg.Client, run: FloorRun, perTransaction: number): Promise<void> {
  await client.query('begin');
  try {
    await client.query(s.lock());
    for (let i = 0; i < perTransaction; i++) await redeemOnce(client, run);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
}

/**
 * The floor: `clients` connections (one per server the app runs on) each committing `perTransaction`
 * redemptions per transaction (the group commit's size it is compared with) until `seconds` have passed,
 * on the database the app wrote to, against its fixture. Nothing is computed but what the statements need (the
 * tree's node hashes among them); the checkpoint the app signs per batch is not part of it. Keep it in step when the
 * write path changes. Returns redemptions per second.
 */
export async function rawPostgresFloor(url: string, fixture: Fixture, options: { seconds: number; perTransaction: number; clients: number }): Promise<number> {
  const clients = Array.from({ length: options.clients }, () => new pg.Client({ connectionString: url }));
  await Promise.all(clients.map((client) => client.connect()));
  try {
    const voucher = await clients[0]!.query<{ program_id: string }>(s.voucher(fixture.voucherId));
    const programId = voucher.rows[0]!.program_id;
    const on = executedOn();
    let invoice = 0;
    const run: FloorRun = { fixture, programId, on, year: Number(on.slice(0, 4)), data: floorEntryData(fixture, programId, on), nextInvoice: () => ++invoice };
    const started = performance.now();
    const end = started + options.seconds * 1000;
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < end) await commitBatch(client, run, options.perTransaction);
      }),
    );
    return invoice / ((performance.now() - started) / 1000);
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}
