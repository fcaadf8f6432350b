import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Database } from '../../db/schema.js';
import { nextDate, shanghaiDayStart } from '../../shared/dates.js';
import { coveredRange } from '../../shared/region.js';
import { readEntries } from '../ledger.reader.js';
import { type EntryFilter, ledgerHead } from '../ledger.repository.js';
import type { LedgerEntry } from '../ledger.types.js';
import type { ExportFormat, ExportQuery } from './export.schemas.js';

// Small pages keep each serialised chunk (and so the export's memory) small; one query per page is cheap.
const BATCH = 200;

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
 * Yields matching entries in seq order, a page at a time, up to the head as it was when the export began:
 * memory stays flat, the connection is free between pages, and the export is a consistent snapshot.
 */
export async function* streamPages(db: Kysely<Database>, filter: EntryFilter): AsyncGenerator<LedgerEntry[]> {
  const head = (await ledgerHead(db))?.seq ?? 0n;
  const toSeq = filter.toSeq !== undefined && filter.toSeq < head ? filter.toSeq : head;
  let afterSeq = filter.afterSeq ?? 0n;
  for (;;) {
    const page = await readEntries(db, { ...filter, afterSeq, toSeq }, BATCH);
    if (page.length > 0) yield page;
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
  const head = [String(entry.seq), entry.type, entry.recordedAt, entry.actor.sub, entry.actor.role, actorScope, entry.data.region, entry.data.programId, entry.data.kind];
  const tail = [entry.prevHash, entry.hash, JSON.stringify(entry.data)];
  const lines = entry.postings.length > 0 ? entry.postings.map((p, i) => [String(i), p.account, p.amount]) : [['', '', '']];
  return lines.map((line) => [...head, ...line, ...tail]);
}

/** Serialises each page into one chunk: NDJSON lines exactly as GET /v1/ledger shows entries, or CSV rows. */
async function* exportChunks(pages: AsyncIterable<LedgerEntry[]>, format: ExportFormat, options: ExportOptions): AsyncGenerator<string> {
  // RFC 4180 via csv-stringify: CRLF line breaks, fields quoted when they hold a comma, quote or line break.
  const csv = (rows: string[][]) => stringify(rows, { record_delimiter: 'windows' });
  if (format === 'csv') yield (options.bom ? '\uFEFF' : '') + csv([[...CSV_COLUMNS]]);
  for await (const page of pages) {
    for (const entry of page) options.onEntry?.(entry);
    yield format === 'ndjson' ? page.map((entry) => `${JSON.stringify(entry)}\n`).join('') : csv(page.flatMap(csvRows));
  }
}

export interface ExportOptions {
  bom?: boolean;
  onEntry?: (entry: LedgerEntry) => void;
}

/** Writes pages of entries to a stream in the chosen format; the pipeline pulls a page only when the reader drained the last. */
export async function writeExport(pages: AsyncIterable<LedgerEntry[]>, format: ExportFormat, out: Writable, options: ExportOptions = {}): Promise<void> {
  // highWaterMark 1: hold at most one serialised page ahead of the consumer, not sixteen.
  await pipeline(Readable.from(exportChunks(pages, format, options), { highWaterMark: 1 }), out);
}
