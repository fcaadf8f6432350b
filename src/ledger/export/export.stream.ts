import type { Kysely } from 'kysely';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Database } from '../../db/schema.js';
import { type EntryFilter, ledgerHead } from '../ledger.repository.js';
import { findReferencedFacts, findStoredEntries, findStoredPostings, type StoredEntry, type StoredPosting } from './export.repository.js';
import type { ExportFormat } from './export.schemas.js';
import { asText, CSV_COLUMNS, type CsvLanguage, describeEntry, emptyReferencedFacts, inert, type ReferencedFacts, referencedIds, shanghaiDateTime } from './spreadsheet.js';

export { CSV_COLUMNS } from './spreadsheet.js';

// A page is the unit of work between two turns of the event loop: large enough that query overhead is
// negligible, small enough that serving it (about 5 ms for 500 entries) never delays other requests much.
const PAGE = 500;

/**
 * A page: entries in seq order, and postings in (seq, index) order that include every posting of those
 * entries (a dense read may add others in their seq range). Kept as two flat lists rather than an object
 * per entry: V8 pretenures objects from an allocation site whose objects mostly survive a scavenge, which a
 * page's objects do, and an export then fills the old generation at its own pace (RSS +60 MB, measured).
 */
export interface ExportPage {
  entries: StoredEntry[];
  postings: StoredPosting[];
  /** For the CSV: each entry's parsed data, and what the page's entries refer to by id only. */
  described?: { datas: Record<string, unknown>[]; facts: ReferencedFacts };
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
  /** Whether to parse each entry's data and look up the names it refers to, for the CSV's readable columns. */
  describe = true;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly filter: EntryFilter,
  ) {}

  async #describe(entries: StoredEntry[]): Promise<NonNullable<ExportPage['described']>> {
    const datas = entries.map((entry) => JSON.parse(entry.dataJson) as Record<string, unknown>);
    const ids = datas.map(referencedIds);
    const facts = await findReferencedFacts(this.db, {
      voucherIds: ids.flatMap((id) => (id.voucherId === undefined ? [] : [id.voucherId])),
      contractIds: ids.flatMap((id) => (id.contractId === undefined ? [] : [id.contractId])),
      redemptionIds: ids.flatMap((id) => (id.redemptionId === undefined ? [] : [id.redemptionId])),
    });
    return { datas, facts };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ExportPage> {
    const { seq: head } = await ledgerHead(this.db);
    const toSeq = this.filter.toSeq !== undefined && this.filter.toSeq < head ? this.filter.toSeq : head;
    let afterSeq = this.filter.afterSeq ?? 0n;
    for (;;) {
      await nextTurn();
      const entries = await findStoredEntries(this.db, { ...this.filter, afterSeq, toSeq }, PAGE, { scope: this.scopeColumns });
      // Taken before the yield: the consumer empties the page's lists once it has serialised them.
      const lastSeq = entries.at(-1)?.seq;
      const full = entries.length === PAGE;
      if (entries.length > 0)
        yield {
          entries,
          postings: await findStoredPostings(this.db, entries.map((entry) => entry.seq)),
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

/**
 * One NDJSON line: JSON.stringify of the API's LedgerEntry (src/ledger/ledger.types.ts), member for member
 * in its order. `actor` and `data` are stored as JSON.stringify output and JSON.stringify(JSON.parse(text))
 * returns that text unchanged, so splicing the stored text gives the very bytes GET /v1/ledger sends.
 */
export function ndjsonLine(entry: StoredEntry, postings: StoredPosting[], from: number, to: number): string {
  let list = '';
  for (let i = from; i < to; i++) {
    const posting = postings[i]!;
    list += `${i === from ? '' : ','}{"account":${JSON.stringify(posting.account)},"amount":"${fenText(posting.amountFen)}"}`;
  }
  return (
    `{"seq":${Number(entry.seq)},"type":${JSON.stringify(entry.type)},"recordedAt":${JSON.stringify(entry.recordedAt)},` +
    `"actor":${entry.actorJson},"data":${entry.dataJson},"postings":[${list}],` +
    `"prevHash":${JSON.stringify(entry.prevHash)},"hash":${JSON.stringify(entry.hash)}}\n`
  );
}

/**
 * An RFC 4180 field: quoted when it holds a quote, a comma, a CR or an LF, quotes doubled (csv-stringify's
 * output with record_delimiter 'windows', except that a lone CR or LF is quoted too, which csv-stringify
 * leaves bare and spreadsheets then read as a new row); null and undefined are empty.
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
    columns = `${csvField(inert(text(actor['sub'])))},${csvField(text(actor['role']))},${csvField(asText(text(scope)))}`;
    if (cache.size >= 1024) cache.clear();
    cache.set(actorJson, columns);
  }
  return columns;
}

/**
 * A page's output as UTF-8 bytes, encoded line by line into one buffer. Encoding each line on its own keeps
 * V8's fast path for the (mostly ASCII) lines: one string for the whole page becomes a two-byte string as
 * soon as one line holds a Chinese name, and then encodes several times slower. Bytes that repeat (the
 * entry's fields on each of its CSV rows) are copied rather than encoded again. Buffers come back through
 * `release` once the destination has taken their bytes, so an export reuses two or three of them instead
 * of leaving a trail of megabyte buffers for the garbage collector.
 */
class PageBytes {
  readonly #spare: Buffer[] = [];
  readonly #ours = new WeakSet<ArrayBufferLike>();
  #buffer = this.#acquire(256 * 1024);
  #used = 0;

  get length(): number {
    return this.#used;
  }

  #acquire(size: number): Buffer {
    const spare = this.#spare.pop();
    if (spare && spare.length >= size) return spare;
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool, so that it can be reused.
    const fresh = Buffer.allocUnsafeSlow(size);
    this.#ours.add(fresh.buffer);
    return fresh;
  }

  #reserve(bytes: number): void {
    if (this.#used + bytes <= this.#buffer.length) return;
    const bigger = this.#acquire(Math.max(this.#buffer.length * 2, this.#used + bytes));
    this.#buffer.copy(bigger, 0, 0, this.#used);
    this.#buffer = bigger;
  }

  text(value: string): void {
    // A UTF-16 code unit never takes more than three UTF-8 bytes.
    this.#reserve(value.length * 3);
    this.#used += this.#buffer.write(value, this.#used);
  }

  /** Appends again the bytes already written between two offsets. */
  repeat(start: number, end: number): void {
    this.#reserve(end - start);
    this.#used += this.#buffer.copy(this.#buffer, this.#used, start, end);
  }

  /** The bytes written so far; the next page starts in a spare buffer at least as large as this one. */
  take(): Buffer {
    const bytes = this.#buffer.subarray(0, this.#used);
    this.#buffer = this.#acquire(this.#buffer.length);
    this.#used = 0;
    return bytes;
  }

  /** Takes back the buffer of a chunk that the destination no longer needs. */
  release(chunk: Buffer): void {
    if (this.#ours.has(chunk.buffer) && this.#spare.length < 2) this.#spare.push(Buffer.from(chunk.buffer));
  }
}

/** One CSV row per posting (journal lines), the entry's fields repeated; an entry without postings keeps one row. */
function writeCsvRows(out: PageBytes, actors: Map<string, string>, entry: StoredEntry, data: Record<string, unknown>, facts: ReferencedFacts, postings: StoredPosting[], from: number, to: number): void {
  const d = describeEntry(data, facts);
  const head =
    `${Number(entry.seq)},${csvField(entry.type)},${csvField(shanghaiDateTime(entry.recordedAt))},${actorColumns(actors, entry.actorJson)},` +
    `${csvField(asText(entry.region))},${csvField(entry.programId)},${csvField(entry.kind)},` +
    `${csvField(d.voucherId)},${csvField(asText(d.beneficiaryUscc))},${csvField(inert(d.beneficiaryName))},${csvField(asText(d.providerUscc))},` +
    `${csvField(asText(d.contractNumber))},${csvField(asText(d.invoiceNumber))},${csvField(asText(d.executedAmount))},${csvField(asText(d.rate))},` +
    `${csvField(asText(d.subsidy))},${csvField(asText(d.clawback))},`;
  const tail = `,${csvField(asText(entry.prevHash))},${csvField(asText(entry.hash))},${csvField(entry.dataJson)}\r\n`;
  if (from === to) return out.text(`${head},,${tail}`);
  let headStart = 0;
  let headEnd = 0;
  let tailStart = 0;
  let tailEnd = 0;
  for (let i = 0; i < to - from; i++) {
    const posting = postings[from + i]!;
    if (i === 0) {
      headStart = out.length;
      out.text(head);
      headEnd = out.length;
    } else out.repeat(headStart, headEnd);
    out.text(`${i},${csvField(posting.account)},${csvField(asText(fenText(posting.amountFen)))}`);
    if (i === 0) {
      tailStart = out.length;
      out.text(tail);
      tailEnd = out.length;
    } else out.repeat(tailStart, tailEnd);
  }
}

export const csvHeader = (bom: boolean, lang: CsvLanguage = 'en') =>
  `${bom ? '\uFEFF' : ''}${CSV_COLUMNS.map(([en, zh]) => (lang === 'zh' ? zh : en)).join(',')}\r\n`;

/** Serialises each page into one chunk: NDJSON lines exactly as GET /v1/ledger shows entries, or CSV rows. */
async function* exportChunks(pages: AsyncIterable<ExportPage>, format: ExportFormat, out: PageBytes, options: ExportOptions): AsyncGenerator<Buffer> {
  const actors = new Map<string, string>();
  if (format === 'csv') yield Buffer.from(csvHeader(options.bom ?? true, options.lang), 'utf8');
  const noFacts = emptyReferencedFacts();
  for await (const page of pages) {
    eachEntry(page, (entry, postings, from, to, index) => {
      options.onEntry?.(entry);
      if (format === 'ndjson') out.text(ndjsonLine(entry, postings, from, to));
      else {
        const data = page.described?.datas[index] ?? (JSON.parse(entry.dataJson) as Record<string, unknown>);
        writeCsvRows(out, actors, entry, data, page.described?.facts ?? noFacts, postings, from, to);
      }
    });
    // Drop the page's rows before waiting for the destination: rows still referenced during that wait
    // survive scavenges, get promoted, and grow the old generation by tens of megabytes over a long export.
    page.entries.length = 0;
    page.postings.length = 0;
    yield out.take();
  }
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
  if (pages instanceof ExportPages && format === 'ndjson') {
    pages.scopeColumns = false;
    pages.describe = false;
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
