import type { Kysely } from 'kysely';
import type { Database, LedgerEntryRow } from '../db/schema.js';
import { formatFen } from '../shared/money.js';
import { type EntryFilter, findEntries, type PostingRow, postingsOf } from './ledger.repository.js';
import type { LedgerEntry } from './ledger.types.js';

/** Rebuilds the API form of stored entries; the same function serves the ledger page and the exports. */
export function toLedgerEntry(row: LedgerEntryRow, postings: PostingRow[]): LedgerEntry {
  return {
    seq: Number(row.seq),
    type: row.type as LedgerEntry['type'],
    recordedAt: row.recorded_at,
    actor: JSON.parse(row.actor) as LedgerEntry['actor'],
    data: JSON.parse(row.data) as LedgerEntry['data'],
    postings: postings.map((posting) => ({ account: posting.account, amount: formatFen(posting.amount_fen) })),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** One page of entries after a seq, with their postings fetched in a single query. */
export async function readEntries(db: Kysely<Database>, filter: EntryFilter, limit: number): Promise<LedgerEntry[]> {
  const rows = await findEntries(db, filter, limit);
  const postings = await postingsOf(db, rows.map((row) => row.seq));
  const bySeq = new Map<bigint, PostingRow[]>();
  for (const posting of postings) bySeq.set(posting.entry_seq, [...(bySeq.get(posting.entry_seq) ?? []), posting]);
  return rows.map((row) => toLedgerEntry(row, bySeq.get(row.seq) ?? []));
}
