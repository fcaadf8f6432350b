import type { Kysely } from 'kysely';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Database } from '../../db/schema.js';
import { type EntryFilter, ledgerHead } from '../ledger.repository.js';
import { findReferencedFacts, findStoredEntries, findStoredPostings, type StoredEntry, type StoredPosting } from './export.repository.js';
import type { ExportFormat } from './export.schemas.js';
import { PageBytes } from './page-bytes.js';
import { clearDataFields, type DataFields, emptyDataFields, readDataFields } from './data-fields.js';
import {
  collectLookups,
  CSV_COLUMNS,
  type CsvLanguage,
  type DescriptiveColumns,
  describeFields,
  emptyReferencedFacts,
  inert,
  type LookupIds,
  type ReferencedFacts,
  shanghaiDateTime,
  textField,
} from './spreadsheet.js';

export { CSV_COLUMNS } from './spreadsheet.js';

// A page is the unit of work between two turns of the event loop: large enough that query overhead is
// negligible, small enough that serving it (about 5 ms for 500 NDJSON entries, as long for 250 CSV ones)
// never delays other requests much, and that its objects die before two scavenges have passed (else they
// are promoted and fill the old generation until the next full collection).
const PAGE = { ndjson: 500, csv: 250 } as const;

/**
 * A page: entries in seq order, and postings in (seq, index) order that include every posting of those
 * entries (a dense read may add others in their seq range). Kept as two flat lists rather than an object
 * per entry: V8 pretenures objects from an allocation site whose objects mostly survive a scavenge, which a
 * page's objects do, and an export then fills the old generation at its own pace (RSS +60 MB, measured).
 */
export interface ExportPage {
  entries: StoredEntry[];
  postings: StoredPosting[];
  /** For the CSV: the fields of each entry's data it describes, and what the entries refer to by id only. */
  described?: { fields: DataFields[]; facts: ReferencedFacts };
}

/**
 * Matching entries in seq order, a page at a time, up to the head as it was when the export began (the
 * ledger is append-only, so this is a consistent snapshot). Each page is two short queries; the connection
 * is free between pages, and iteration yields to the event loop before each page, because better-sqlite3
 * answers synchronously and a fast socket drains on process.nextTick: without the yield a whole export
 * could run without health checks or other requests getting a turn.
 */
export class ExportPages implements AsyncIterable<ExportPage> {
  /** Whether to read the region, program and kind columns: the CSV shows them, the NDJSON does not need them. */
  scopeColumns = true;
  /** Whether to look up the names the entries refer to, for the CSV's readable columns. */
  describe = true;
  /** Entries per page. */
  pageSize: number = PAGE.ndjson;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly filter: EntryFilter,
  ) {}

  /** One DataFields per entry of a page, reused from page to page, so that each entry's data is read once. */
  readonly #fields: DataFields[] = [];

  async #describe(entries: StoredEntry[]): Promise<NonNullable<ExportPage['described']>> {
    const ids: LookupIds = { voucherIds: [], contractIds: [], redemptionIds: [] };
    entries.forEach((entry, index) => {
      const fields = (this.#fields[index] ??= emptyDataFields());
      readDataFields(entry.dataJson, fields);
      collectLookups(fields, ids);
    });
    return { fields: this.#fields, facts: await findReferencedFacts(this.db, ids) };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ExportPage> {
    const { seq: head } = await ledgerHead(this.db);
    const toSeq = this.filter.toSeq !== undefined && this.filter.toSeq < head ? this.filter.toSeq : head;
    let afterSeq = this.filter.afterSeq ?? 0n;
    for (;;) {
      await nextTurn();
      const entries = await findStoredEntries(this.db, { ...this.filter, afterSeq, toSeq }, this.pageSize, { scope: this.scopeColumns });
      // Taken before the yield: the consumer empties the page's lists once it has serialised them.
      const lastSeq = entries.at(-1)?.seq;
      const full = entries.length === this.pageSize;
      if (entries.length > 0)
        yield {
          entries,
          postings: await findStoredPostings(
            this.db,
            entries.map((entry) => entry.seq),
          ),
          ...(this.describe ? { described: await this.#describe(entries) } : {}),
        };
      if (!full || lastSeq === undefined) return;
      afterSeq = lastSeq;
    }
  }
}

export const streamPages = (db: Kysely<Database>, filter: EntryFilter) => new ExportPages(db, filter);

/** Walks a page's entries, each with the range of its postings in `page.postings`. */
function eachEntry(page: ExportPage, visit: (entry: StoredEntry, postings: StoredPosting[], from: number, to: number, index: number) => void): void {
  const { entries, postings } = page;
  let p = 0;
  entries.forEach((entry, index) => {
    while (p < postings.length && postings[p]!.entrySeq < entry.seq) p++;
    const from = p;
    while (p < postings.length && postings[p]!.entrySeq === entry.seq) p++;
    visit(entry, postings, from, p, index);
  });
}

/** formatFen by string slicing: the same text ("-12.30"), without two bigint divisions per posting. */
export function fenText(fen: bigint): string {
  const negative = fen < 0n;
  const digits = (negative ? -fen : fen).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

function postingsJson(postings: StoredPosting[], from: number, to: number): string {
  let list = '';
  for (let i = from; i < to; i++) {
    const posting = postings[i]!;
    list += `${i === from ? '' : ','}{"account":${JSON.stringify(posting.account)},"amount":"${fenText(posting.amountFen)}"}`;
  }
  return list;
}

/**
 * One NDJSON line: JSON.stringify of the API's LedgerEntry (src/ledger/ledger.types.ts), member for member
 * in its order. `actor` and `data` are stored as JSON.stringify output and JSON.stringify(JSON.parse(text))
 * returns that text unchanged, so splicing the stored text gives the very bytes GET /v1/ledger sends. The
 * seq is printed from its bigint: Number(seq) would go through V8's number-to-string cache, which keeps each
 * seq's text alive until it is promoted (a million of them grew the old generation by 25 MB).
 */
function writeNdjsonLine(out: PageBytes, entry: StoredEntry, postings: StoredPosting[], from: number, to: number): void {
  out.text(`{"seq":${entry.seq},"type":${JSON.stringify(entry.type)},"recordedAt":${JSON.stringify(entry.recordedAt)},"actor":${entry.actorJson},"data":`);
  out.text(entry.dataJson);
  out.text(`,"postings":[${postingsJson(postings, from, to)}],"prevHash":${JSON.stringify(entry.prevHash)},"hash":${JSON.stringify(entry.hash)}}\n`);
}

/**
 * An RFC 4180 field: quoted when it holds a quote, a comma, a CR or an LF, quotes doubled (csv-stringify's
 * output with record_delimiter 'windows', except that a lone CR or LF is quoted too, which csv-stringify
 * leaves bare and spreadsheets then read as a new row); null and undefined are empty. PageBytes.csv writes
 * the same bytes for long texts.
 */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : value === null || value === undefined ? undefined : String(value));

/**
 * The three actor columns. Actors repeat across many entries and are tiny, so each distinct stored text is
 * parsed once; the cache is cleared when it grows, which keeps it bounded for any ledger.
 */
function actorColumns(cache: Map<string, string>, actorJson: string): string {
  let columns = cache.get(actorJson);
  if (columns === undefined) {
    const actor = JSON.parse(actorJson) as Record<string, unknown>;
    const scope = 'org' in actor ? actor['org'] : 'region' in actor ? actor['region'] : '';
    columns = `${csvField(inert(text(actor['sub'])))},${csvField(text(actor['role']))},${textField(text(scope))}`;
    if (cache.size >= 1024) cache.clear();
    cache.set(actorJson, columns);
  }
  return columns;
}

/** The columns before the posting's: the entry, its actor, its scope and what it is about (seq from its bigint, as for NDJSON). */
function csvHead(actors: Map<string, string>, entry: StoredEntry, d: DescriptiveColumns): string {
  return (
    `${entry.seq},${csvField(entry.type)},${csvField(shanghaiDateTime(entry.recordedAt))},${actorColumns(actors, entry.actorJson)},` +
    `${textField(entry.region)},${csvField(entry.programId)},${csvField(entry.kind)},` +
    `${csvField(d.voucherId)},${textField(d.beneficiaryUscc)},${csvField(inert(d.beneficiaryName))},${textField(d.providerUscc)},` +
    `${textField(d.contractNumber)},${textField(d.invoiceNumber)},${textField(d.executedAmount)},${textField(d.rate)},` +
    `${textField(d.subsidy)},${textField(d.clawback)},`
  );
}

const postingColumns = (posting: StoredPosting, index: number) => `${index},${csvField(posting.account)},${textField(fenText(posting.amountFen))}`;

/** The columns after the posting's; the data JSON, most of a row, is quoted in the bytes rather than in a copy of the string. */
function writeCsvTail(out: PageBytes, entry: StoredEntry): void {
  out.text(`,${textField(entry.prevHash)},${textField(entry.hash)},`);
  out.csv(entry.dataJson);
  out.text('\r\n');
}

/** One CSV row per posting (journal lines), the entry's fields repeated; an entry without postings keeps one row. */
function writeCsvRows(out: PageBytes, head: string, entry: StoredEntry, postings: StoredPosting[], from: number, to: number): void {
  if (from === to) {
    out.text(`${head},,`);
    return writeCsvTail(out, entry);
  }
  const headStart = out.length;
  out.text(head);
  const headEnd = out.length;
  out.text(postingColumns(postings[from]!, 0));
  const tailStart = out.length;
  writeCsvTail(out, entry);
  const tailEnd = out.length;
  for (let i = 1; i < to - from; i++) {
    out.repeat(headStart, headEnd);
    out.text(postingColumns(postings[from + i]!, i));
    out.repeat(tailStart, tailEnd);
  }
}

export const csvHeader = (bom: boolean, lang: CsvLanguage = 'en') =>
  `${bom ? '\uFEFF' : ''}${CSV_COLUMNS.map(([en, zh]) => (lang === 'zh' ? zh : en)).join(',')}\r\n`;

/** Serialises each page into one chunk: NDJSON lines exactly as GET /v1/ledger shows entries, or CSV rows. */
async function* exportChunks(pages: AsyncIterable<ExportPage>, format: ExportFormat, out: PageBytes, options: ExportOptions): AsyncGenerator<Buffer> {
  if (format === 'csv') yield Buffer.from(csvHeader(options.bom ?? true, options.lang), 'utf8');
  const write = format === 'ndjson' ? writeNdjsonPage : csvPageWriter();
  for await (const page of pages) {
    write(out, page, options);
    // Drop the page's rows before waiting for the destination: rows still referenced during that wait
    // survive scavenges, get promoted, and grow the old generation by tens of megabytes over a long export.
    page.entries.length = 0;
    page.postings.length = 0;
    page.described?.fields.forEach(clearDataFields);
    yield out.take();
  }
}

function writeNdjsonPage(out: PageBytes, page: ExportPage, options: ExportOptions): void {
  eachEntry(page, (entry, postings, from, to) => {
    options.onEntry?.(entry);
    writeNdjsonLine(out, entry, postings, from, to);
  });
}

/** Writes a page's CSV rows; actors' columns are cached across pages. */
function csvPageWriter(): (out: PageBytes, page: ExportPage, options: ExportOptions) => void {
  const actors = new Map<string, string>();
  const ownFields = emptyDataFields();
  const noFacts = emptyReferencedFacts();
  const fieldsOf = (page: ExportPage, entry: StoredEntry, index: number) => {
    const read = page.described?.fields[index];
    if (read) return read;
    readDataFields(entry.dataJson, ownFields);
    return ownFields;
  };
  return (out, page, options) =>
    eachEntry(page, (entry, postings, from, to, index) => {
      options.onEntry?.(entry);
      const d = describeFields(fieldsOf(page, entry, index), page.described?.facts ?? noFacts);
      writeCsvRows(out, csvHead(actors, entry, d), entry, postings, from, to);
    });
}

export interface ExportOptions {
  /** The CSV's byte-order mark, on unless turned off: spreadsheets need it to read UTF-8. */
  bom?: boolean;
  /** The CSV header's language. */
  lang?: CsvLanguage;
  onEntry?: (entry: StoredEntry) => void;
}

/** Resolves when the destination wants more, rejects when it closed or failed first. */
function drained(out: Writable): Promise<void> {
  if (out.destroyed) return Promise.reject(new Error('the destination closed before the export finished'));
  return new Promise((resolve, reject) => {
    const settle = (err?: Error) => {
      out.off('drain', onDrain).off('close', onClose).off('error', settle);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new Error('the destination closed before the export finished'));
    out.on('drain', onDrain).on('close', onClose).on('error', settle);
  });
}

/**
 * Writes pages of entries to a stream in the chosen format. Backpressure bounds the read-ahead: a page is
 * read and serialised only when the destination has taken the previous one (its 'drain'), so at most one
 * serialised page waits in the destination while the kernel sends the one before; a closed connection
 * stops the export at the next page.
 */
export async function writeExport(pages: AsyncIterable<ExportPage>, format: ExportFormat, out: Writable, options: ExportOptions = {}): Promise<void> {
  if (pages instanceof ExportPages) {
    pages.pageSize = PAGE[format];
    if (format === 'ndjson') {
      pages.scopeColumns = false;
      pages.describe = false;
    }
  }
  const bytes = new PageBytes();
  try {
    for await (const chunk of exportChunks(pages, format, bytes, options)) {
      if (!out.write(chunk, () => bytes.release(chunk))) await drained(out);
    }
    out.end();
    await finished(out);
  } catch (err) {
    out.destroy(err as Error);
    throw err;
  }
}
