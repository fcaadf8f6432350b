import { stringify } from 'csv-stringify';
import type { Kysely } from 'kysely';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Database } from '../../db/schema.js';
import { nextDate, shanghaiDayStart } from '../../shared/dates.js';
import { coveredRange } from '../../shared/region.js';
import { readEntries } from '../ledger.reader.js';
import { type EntryFilter, ledgerHead } from '../ledger.repository.js';
import type { LedgerEntry } from '../ledger.types.js';
import type { ExportFormat, ExportQuery } from './export.schemas.js';

const BATCH = 500;

/** Turns export filters into an entry filter; `scope` is the region the caller may see at most. */
export function exportFilter(query: Omit<ExportQuery, 'format' | 'bom'>, scope?: string): EntryFilter {
  const region = query.region ?? scope;
  const range = region === undefined ? undefined : coveredRange(region);
  return {
    ...(query.fromSeq !== undefined ? { afterSeq: query.fromSeq - 1n } : {}),
    ...(query.toSeq !== undefined ? { toSeq: query.toSeq } : {}),
    ...(query.from !== undefined ? { recordedFrom: shanghaiDayStart(query.from) } : {}),
    ...(query.to !== undefined ? { recordedBefore: shanghaiDayStart(nextDate(query.to)) } : {}),
    ...(query.programId !== undefined ? { programId: query.programId } : {}),
    ...(query.kind !== undefined ? { kind: query.kind } : {}),
    ...(range ? { regionFrom: range.from, regionTo: range.to } : {}),
  };
}

/**
 * Yields matching entries in seq order, a batch at a time, up to the head as it was when the export began:
 * memory stays flat and the connection is free between batches, and the export is a consistent snapshot.
 */
export async function* streamEntries(db: Kysely<Database>, filter: EntryFilter): AsyncGenerator<LedgerEntry> {
  const head = (await ledgerHead(db))?.seq ?? 0n;
  const toSeq = filter.toSeq !== undefined && filter.toSeq < head ? filter.toSeq : head;
  let afterSeq = filter.afterSeq ?? 0n;
  for (;;) {
    const page = await readEntries(db, { ...filter, afterSeq, toSeq }, BATCH);
    yield* page;
    const last = page.at(-1);
    if (page.length < BATCH || !last) return;
    afterSeq = BigInt(last.seq);
  }
}

export const CSV_COLUMNS = [
  'seq',
  'type',
  'recorded_at',
  'actor_sub',
  'actor_role',
  'actor_scope',
  'region',
  'program_id',
  'kind',
  'posting_index',
  'account',
  'amount',
  'prev_hash',
  'hash',
  'data',
] as const;

/** One CSV row per posting (journal lines), the entry's fields repeated; an entry without postings keeps one row. */
function csvRows(entry: LedgerEntry): string[][] {
  const actorScope = 'org' in entry.actor ? entry.actor.org : 'region' in entry.actor ? entry.actor.region : '';
  const common = [entry.actor.sub, entry.actor.role, actorScope, entry.data.region, entry.data.programId, entry.data.kind];
  const lines = entry.postings.length > 0 ? entry.postings.map((p, i) => [String(i), p.account, p.amount]) : [['', '', '']];
  return lines.map((line) => [String(entry.seq), entry.type, entry.recordedAt, ...common, ...line, entry.prevHash, entry.hash, JSON.stringify(entry.data)]);
}

/** Writes entries to a stream in the chosen format, honouring backpressure all the way down. */
export async function writeExport(
  entries: AsyncIterable<LedgerEntry>,
  format: ExportFormat,
  out: Writable,
  options: { bom?: boolean; onEntry?: (entry: LedgerEntry) => void } = {},
): Promise<void> {
  const source = Readable.from(entries);
  const counted = new Transform({
    objectMode: true,
    transform(entry: LedgerEntry, _encoding, done) {
      options.onEntry?.(entry);
      if (format === 'ndjson') return done(null, `${JSON.stringify(entry)}\n`);
      for (const row of csvRows(entry)) this.push(row);
      done();
    },
  });
  if (format === 'ndjson') return pipeline(source, counted, out);
  // RFC 4180: CRLF line breaks, fields quoted when they hold a comma, quote or line break.
  const csv = stringify({ header: true, columns: [...CSV_COLUMNS], bom: options.bom ?? false, record_delimiter: 'windows' });
  return pipeline(source, counted, csv, out);
}
