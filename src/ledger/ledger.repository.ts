import type { Kysely, SelectQueryBuilder } from 'kysely';
import { changedRows, firstRow, prepared, preparedRows } from '../db/prepared.js';
import type { Database, LedgerEntryRow } from '../db/schema.js';
import type { Fen } from '../shared/money.js';
import type { PostingDraft } from './ledger.types.js';

type Executor = Kysely<Database>;

export interface PostingRow {
  entry_seq: bigint;
  idx: bigint;
  account: string;
  amount_fen: bigint;
}

/** Entry filters shared by the ledger page and the exports; every bound is inclusive. */
export interface EntryFilter {
  afterSeq?: bigint;
  toSeq?: bigint;
  regionFrom?: string;
  regionTo?: string;
  recordedFrom?: string;
  recordedBefore?: string;
  type?: string;
  programId?: string;
  kind?: string;
}

/** The chain head: seq 0 and the genesis hash on an empty ledger. */
const head = prepared<object, { seq: bigint; hash: string }>((db) => db.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1n));
export async function ledgerHead(db: Executor): Promise<{ seq: bigint; hash: string }> {
  const row = firstRow(await head(db, {}));
  if (!row) throw new Error('the ledger has no head row');
  return row;
}

/**
 * The stored head (undefined without its row) beside the last entry (undefined on an empty ledger): two reads by
 * key in one statement, so that both come from the same commit while writers append.
 */
export async function headBesideLastEntry(db: Executor): Promise<{ head?: { seq: bigint; hash: string }; last?: { seq: bigint; hash: string } }> {
  const row = await db
    .selectFrom('ledger_head')
    .leftJoin(
      (eb) => eb.selectFrom('ledger_entries').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).as('last'),
      (join) => join.onTrue(),
    )
    .select(['ledger_head.seq as headSeq', 'ledger_head.hash as headHash', 'last.seq as lastSeq', 'last.hash as lastHash'])
    .where('ledger_head.id', '=', 1n)
    .executeTakeFirst();
  if (row) {
    const head = { seq: row.headSeq, hash: row.headHash };
    return row.lastSeq === null || row.lastHash === null ? { head } : { head, last: { seq: row.lastSeq, hash: row.lastHash } };
  }
  // No head row: the last entry is still read, to say how far the chain goes.
  const last = await db.selectFrom('ledger_entries').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return last ? { last } : {};
}

// The statements every append runs, compiled once (decision 0036).
const insertEntryRow = prepared<LedgerEntryRow, never>(
  (db, row) => db.insertInto('ledger_entries').values(row),
  ['seq', 'type', 'recorded_at', 'actor', 'data', 'prev_hash', 'hash', 'region', 'program_id', 'kind'],
);
// Moving the head only from the seq it was at makes a forked append fail instead of overwriting the head.
const moveHead = prepared<{ seq: bigint; hash: string; from: bigint }, never>((db, p) =>
  db.updateTable('ledger_head').set({ seq: p.seq, hash: p.hash }).where('id', '=', 1n).where('seq', '=', p.from),
);
const insertPostings = preparedRows<PostingRow, never>(
  (db, rows) => db.insertInto('ledger_postings').values(rows),
  ['entry_seq', 'idx', 'account', 'amount_fen'],
);
const moveBalance = prepared<{ account: string; amount: Fen; seq: bigint }, never>((db, p) =>
  db
    .updateTable('account_balances')
    .set((eb) => ({ balance_fen: eb('balance_fen', '+', p.amount), last_seq: p.seq }))
    .where('account', '=', p.account),
);
const insertBalance = prepared<{ account: string; balance_fen: Fen; last_seq: bigint }, never>(
  (db, row) => db.insertInto('account_balances').values(row),
  ['account', 'balance_fen', 'last_seq'],
);

/** Postings per INSERT: 4 values each, well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const POSTINGS_PER_STATEMENT = 1000;

/** Appends an entry and its postings, moves the head and the materialised balances: all in the caller's transaction. */
export async function insertEntry(db: Executor, row: LedgerEntryRow, postings: PostingDraft[]): Promise<void> {
  await insertEntryRow(db, row);
  const moved = await moveHead(db, { seq: row.seq, hash: row.hash, from: row.seq - 1n });
  if (changedRows(moved) !== 1n) throw new Error(`the ledger head moved while entry ${row.seq} was appended`);
  if (postings.length === 0) return;
  const rows = postings.map((posting, idx) => ({ entry_seq: row.seq, idx: BigInt(idx), account: posting.account, amount_fen: posting.amount }));
  // In slices: a program's close posts once per voucher, and one statement may bind at most 32,766 values (SQLite).
  for (let from = 0; from < rows.length; from += POSTINGS_PER_STATEMENT) await insertPostings(db, rows.slice(from, from + POSTINGS_PER_STATEMENT));
  // Materialised balances move in the same transaction as the postings, so they always equal their sum. An
  // update by delta first, so that the database checks the new balance (an upsert would check the delta).
  for (const posting of postings) {
    const updated = await moveBalance(db, { account: posting.account, amount: posting.amount, seq: row.seq });
    if (changedRows(updated) === 0n) await insertBalance(db, { account: posting.account, balance_fen: posting.amount, last_seq: row.seq });
  }
}

const balanceOf = prepared<{ account: string }, { balance_fen: Fen }>((db, p) =>
  db.selectFrom('account_balances').select('balance_fen').where('account', '=', p.account),
);
export async function accountBalance(db: Executor, account: string): Promise<Fen> {
  return firstRow(await balanceOf(db, { account }))?.balance_fen ?? 0n;
}

/** Applies an entry filter to any query over ledger_entries (the ledger page and the exports). */
export function filtered<O>(query: SelectQueryBuilder<Database, 'ledger_entries', O>, filter: EntryFilter) {
  let q = query;
  if (filter.afterSeq !== undefined) q = q.where('seq', '>', filter.afterSeq);
  if (filter.toSeq !== undefined) q = q.where('seq', '<=', filter.toSeq);
  if (filter.regionFrom !== undefined) q = q.where('region', '>=', filter.regionFrom);
  if (filter.regionTo !== undefined) q = q.where('region', '<=', filter.regionTo);
  if (filter.recordedFrom !== undefined) q = q.where('recorded_at', '>=', filter.recordedFrom);
  if (filter.recordedBefore !== undefined) q = q.where('recorded_at', '<', filter.recordedBefore);
  if (filter.type !== undefined) q = q.where('type', '=', filter.type);
  if (filter.programId !== undefined) q = q.where('program_id', '=', filter.programId);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  return q;
}

export async function findEntries(db: Executor, filter: EntryFilter, limit: number): Promise<LedgerEntryRow[]> {
  return filtered(db.selectFrom('ledger_entries').selectAll(), filter).orderBy('seq').limit(limit).execute();
}

export async function countEntries(db: Executor, filter: EntryFilter): Promise<number> {
  const row = await filtered(
    db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<bigint>().as('n')),
    filter,
  ).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function postingsOf(db: Executor, seqs: bigint[]): Promise<PostingRow[]> {
  if (seqs.length === 0) return [];
  return db.selectFrom('ledger_postings').selectAll().where('entry_seq', 'in', seqs).orderBy('entry_seq').orderBy('idx').execute();
}

export async function ledgerId(db: Executor): Promise<string> {
  const row = await db.selectFrom('ledger_meta').select('value').where('key', '=', 'ledger_id').executeTakeFirstOrThrow();
  return row.value;
}

/**
 * The seq before the first one recorded at or after an instant (UTC ISO), or undefined when none is: where a closed
 * year's report stops (decision 0043). The first entry of the next year ends the year, so that the cut is a seq
 * even where two servers' clocks disagree across midnight.
 */
export async function seqBeforeFirstRecordedFrom(db: Executor, instant: string): Promise<bigint | undefined> {
  const row = await db
    .selectFrom('ledger_entries')
    .select((eb) => eb.fn.min('seq').as('seq'))
    .where('recorded_at', '>=', instant)
    .executeTakeFirst();
  return row?.seq === null || row?.seq === undefined ? undefined : BigInt(row.seq) - 1n;
}
