import type { Kysely } from 'kysely';
import type { Database, LedgerEntryRow } from '../db/schema.js';
import { nextDate, shanghaiDayStart } from '../shared/dates.js';
import { formatFen } from '../shared/money.js';
import { DomainError } from '../shared/errors.js';
import { coveredRange, covers } from '../shared/region.js';
import { type EntryFilter, findEntries, type PostingRow, postingsOf } from './ledger.repository.js';
import type { EntryFilterQuery } from './ledger.schemas.js';
import type { LedgerEntry } from './ledger.types.js';
import type { StoredEntryScope } from './entry-visibility.js';

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
  const postings = await postingsOf(
    db,
    rows.map((row) => row.seq),
  );
  const bySeq = new Map<bigint, PostingRow[]>();
  for (const posting of postings) bySeq.set(posting.entry_seq, [...(bySeq.get(posting.entry_seq) ?? []), posting]);
  return rows.map((row) => toLedgerEntry(row, bySeq.get(row.seq) ?? []));
}

/** One entry with what decides who may see it (its region, and its data and actor as stored), or undefined. */
export async function readEntryScoped(db: Kysely<Database>, seq: bigint): Promise<{ entry: LedgerEntry; scope: StoredEntryScope } | undefined> {
  const [row] = await findEntries(db, { afterSeq: seq - 1n, toSeq: seq }, 1);
  if (!row) return undefined;
  return { entry: toLedgerEntry(row, await postingsOf(db, [row.seq])), scope: { region: row.region, data: row.data, actor: row.actor } };
}

/** Turns an auditor's filters into an entry filter; `scope` is the region the caller may see at most. */
export function entryFilterOf(query: EntryFilterQuery, scope?: string): EntryFilter {
  const region = query.region ?? scope;
  const range = region === undefined ? undefined : coveredRange(region);
  return {
    ...(query.fromSeq !== undefined ? { afterSeq: query.fromSeq - 1n } : {}),
    ...(query.toSeq !== undefined ? { toSeq: query.toSeq } : {}),
    ...(query.from !== undefined ? { recordedFrom: shanghaiDayStart(query.from) } : {}),
    ...(query.to !== undefined ? { recordedBefore: shanghaiDayStart(nextDate(query.to)) } : {}),
    ...(query.type !== undefined ? { type: query.type } : {}),
    ...(query.programId !== undefined ? { programId: query.programId } : {}),
    ...(query.kind !== undefined ? { kind: query.kind } : {}),
    ...(range ? { regionFrom: range.from, regionTo: range.to } : {}),
  };
}

/** A region filter must stay inside what the auditor covers. */
export function assertCovered(actor: { region: string }, region: string | undefined): void {
  if (region !== undefined && !covers(actor.region, region))
    throw new DomainError('forbidden', `region ${region} is outside the caller's region ${actor.region}`, { field: 'region' });
}
