// The export's reads: plain kysely (SQLite and PostgreSQL alike), returning the stored text of each entry
// untouched, so that the export can splice it into its output instead of parsing and re-serialising it.
// Integers come back as bigint on both engines (the adapters in src/db see to it).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Fen } from '../../shared/money.js';
import { type EntryFilter, filtered } from '../ledger.repository.js';
import { emptyReferencedFacts, type LookupIds, type ReferencedFacts } from './spreadsheet.js';

/** A ledger entry as stored: `actorJson` and `dataJson` are the JSON texts the writer stored. */
export interface StoredEntry {
  seq: bigint;
  type: string;
  recordedAt: string;
  actorJson: string;
  dataJson: string;
  prevHash: string;
  hash: string;
  /** The indexed copies of data.region, data.programId and data.kind, read only when asked for. */
  region?: string;
  programId?: string | null;
  kind?: string | null;
}

export interface StoredPosting {
  entrySeq: bigint;
  account: string;
  amountFen: Fen;
}

/**
 * One keyset page of matching entries in seq order (the filter's afterSeq is the page's start). The scope
 * columns cost a tenth of the read, so only the CSV, which shows them, asks for them.
 */
export async function findStoredEntries(db: Kysely<Database>, filter: EntryFilter, limit: number, options: { scope?: boolean } = {}): Promise<StoredEntry[]> {
  return filtered(
    db
      .selectFrom('ledger_entries')
      .select(['seq', 'type', 'recorded_at as recordedAt', 'actor as actorJson', 'data as dataJson', 'prev_hash as prevHash', 'hash'])
      .$if(options.scope === true, (query) => query.select(['region', 'program_id as programId', 'kind'])),
    filter,
  )
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/**
 * The postings of a page of entries (seqs ascending), ordered by entry and index. A dense page (the whole
 * ledger, a date range) is read as one seq range, which is a plain index range scan on both engines; a
 * sparse one (a region or a program among many) by its list of seqs, so that no other entries' postings
 * are read.
 */
export async function findStoredPostings(db: Kysely<Database>, seqs: readonly bigint[]): Promise<StoredPosting[]> {
  const first = seqs[0];
  const last = seqs.at(-1);
  if (first === undefined || last === undefined) return [];
  let query = db.selectFrom('ledger_postings').select(['entry_seq as entrySeq', 'account', 'amount_fen as amountFen']);
  const dense = last - first + 1n <= BigInt(seqs.length) * 2n;
  query = dense ? query.where('entry_seq', '>=', first).where('entry_seq', '<=', last) : query.where('entry_seq', 'in', [...seqs]);
  return query.orderBy('entry_seq').orderBy('idx').execute();
}

/**
 * The names and numbers a page's entries refer to by id: a voucher's beneficiary, a contract's number, a
 * redemption's invoice. Each list is padded to a power of two with its last id, so that the statement cache
 * holds a few statements per table rather than one for every list length it meets.
 */
export async function findReferencedFacts(db: Kysely<Database>, ids: LookupIds): Promise<ReferencedFacts> {
  const facts = emptyReferencedFacts();
  const voucherIds = padded(ids.voucherIds);
  const contractIds = padded(ids.contractIds);
  const redemptionIds = padded(ids.redemptionIds);
  if (voucherIds.length > 0)
    for (const row of await db.selectFrom('vouchers').select(['id', 'beneficiary_uscc', 'beneficiary_name']).where('id', 'in', voucherIds).execute())
      facts.beneficiaries.set(row.id, { uscc: row.beneficiary_uscc, name: row.beneficiary_name });
  if (contractIds.length > 0)
    for (const row of await db.selectFrom('contracts').select(['id', 'number']).where('id', 'in', contractIds).execute())
      facts.contractNumbers.set(row.id, row.number);
  if (redemptionIds.length > 0)
    for (const row of await db.selectFrom('redemptions').select(['id', 'invoice_number']).where('id', 'in', redemptionIds).execute())
      facts.invoiceNumbers.set(row.id, row.invoice_number);
  return facts;
}

/** The distinct ids, the last repeated up to the next power of two (repeats change nothing in an IN list). */
function padded(list: readonly string[]): string[] {
  const distinct = [...new Set(list)];
  const last = distinct.at(-1);
  if (last === undefined) return distinct;
  const size = 2 ** Math.ceil(Math.log2(distinct.length));
  while (distinct.length < size) distinct.push(last);
  return distinct;
}
