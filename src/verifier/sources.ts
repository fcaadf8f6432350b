import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { yuan } from './arithmetic.js';
import type { Entry } from './entry.js';
import type { PolicyFacts } from './recompute.js';

/** One line of input: its parsed value, or its text still to parse (parsed when checked, so it dies young). */
export interface SourceLine {
  line: number;
  value?: unknown;
  text?: string;
}

/** Lines read together; `payload` is the same lines as NDJSON text, for hashing on another thread. */
export interface SourceBatch {
  lines: SourceLine[];
  payload?: Uint8Array | string;
}

/** Bytes read at a time, and so the size of a batch (a hashing thread's unit of work). */
const READ_BYTES = 1 << 18;

/** A line's value; a line that is not JSON is passed on as its text, to fail the format check. */
export function valueOf(source: SourceLine): unknown {
  if (source.text === undefined) return source.value;
  try {
    return JSON.parse(source.text) as unknown;
  } catch {
    return source.text;
  }
}

const isBlank = (text: string) => text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '');

/**
 * The lines of buffer[0, end) after line `before`, each decoded on its own (most are ASCII, and a one-byte
 * string parses faster than a piece of a two-byte chunk); `last` is the number of the last one.
 */
function linesOf(buffer: Buffer, end: number, before: number): { lines: SourceLine[]; last: number } {
  const lines: SourceLine[] = [];
  let line = before;
  for (let start = 0; start < end; start++) {
    const newline = buffer.indexOf(10, start);
    const stop = newline < 0 || newline > end ? end : newline;
    const text = buffer.toString('utf8', start, stop);
    line++;
    if (!isBlank(text)) lines.push({ text, line });
    start = stop;
  }
  return { lines, last: line };
}

/**
 * Where a batch's bytes go for hashing (line-hash.ts): `view`, the read buffer itself, valid until the next
 * batch is asked for; or a buffer of at least `length` bytes to copy them into, for another thread.
 */
export type PayloadBuffer = 'view' | ((length: number) => Uint8Array);

/**
 * Reads an NDJSON export 256 KB at a time (blocking reads: the verifier has nothing else to do meanwhile):
 * each batch holds the complete lines of one read, as text, and (`payload`) those lines' bytes for hashing.
 * Memory is a read or two, whatever the file's size.
 */
export function* ndjsonBatches(path: string, options: { onBytes?: (bytes: number) => void; payload?: PayloadBuffer } = {}): Generator<SourceBatch> {
  const file = openSync(path, 'r');
  // One read buffer for the whole file (it grows only for a line longer than itself): allocating one per
  // read left the allocator's free lists, and so the resident size, growing with the file.
  let buffer = Buffer.allocUnsafeSlow(READ_BYTES);
  let carried = 0;
  let line = 0;
  try {
    for (;;) {
      if (carried === buffer.length) {
        const grown = Buffer.allocUnsafeSlow(2 * buffer.length);
        buffer.copy(grown, 0, 0, carried);
        buffer = grown;
      }
      const bytesRead = readSync(file, buffer, carried, buffer.length - carried, null);
      if (bytesRead > 0) options.onBytes?.(bytesRead);
      const filled = carried + bytesRead;
      if (filled === 0) return;
      const end = bytesRead === 0 ? filled : buffer.lastIndexOf(10, filled - 1) + 1;
      if (end === 0) {
        carried = filled; // a line longer than the buffer: read on
        continue;
      }
      const { lines, last } = linesOf(buffer, end, line);
      line = last;
      const payload = payloadOf(buffer, end, options.payload);
      yield payload ? { lines, payload } : { lines };
      // Only now, the payload being a view of it: the start of the next line to the front of the buffer.
      buffer.copy(buffer, 0, end, filled);
      carried = filled - end;
      if (bytesRead === 0) return;
    }
  } finally {
    closeSync(file);
  }
}

function payloadOf(buffer: Buffer, end: number, target: PayloadBuffer | undefined): Uint8Array | undefined {
  if (target === undefined) return undefined;
  if (target === 'view') return buffer.subarray(0, end);
  const copy = target(end).subarray(0, end);
  copy.set(buffer.subarray(0, end));
  return copy;
}

/** Opens the service's SQLite file read-only, integers as bigint so that no fen passes through a float. */
export function openLedgerFile(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.defaultSafeIntegers(true);
  return db;
}

const BATCH_ENTRIES = 500;
const jsonOf = (value: unknown): string => (typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? 'null'));

/** Parses a stored JSON column; text that is not JSON is passed on as is, to fail the format check. */
function parseColumn(text: unknown): { value: unknown; json?: string } {
  if (typeof text !== 'string') return { value: text };
  try {
    return { value: JSON.parse(text) as unknown, json: text };
  } catch {
    return { value: text };
  }
}

/** A ledger_entries row: seq, type, recorded_at, actor, data, prev_hash, hash. */
export type EntryRow = [bigint, unknown, unknown, unknown, unknown, unknown, unknown];
/** A ledger_postings row: entry_seq, account, amount_fen. */
export type PostingRow = [bigint, string, bigint];

/**
 * Turns database rows into batches of entries, whichever engine they come from. Each batch's payload is its
 * entries as NDJSON with the stored actor and data JSON spliced in verbatim (each was just parsed on its
 * own, so it is one complete JSON value and parses back to the same thing).
 */
export class EntryBatcher {
  /** `payload`: also compose each batch's NDJSON text, for a hashing thread. */
  constructor(private readonly withPayload: boolean) {}
  private line = 0;
  private lines: SourceLine[] = [];
  private payload: string[] = [];

  /** Adds an entry; returns a full batch when there is one. */
  add([seq, type, recordedAt, actorText, dataText, prevHash, hash]: EntryRow, postings: Entry['postings']): SourceBatch | undefined {
    const actor = parseColumn(actorText);
    const data = parseColumn(dataText);
    const value = { seq: Number(seq), type, recordedAt, actor: actor.value, data: data.value, postings, prevHash, hash };
    this.lines.push({ line: ++this.line, value });
    if (this.withPayload && actor.json !== undefined && data.json !== undefined)
      this.payload.push(
        `{"seq":${value.seq},"type":${jsonOf(type)},"recordedAt":${jsonOf(recordedAt)},"actor":${actor.json},"data":${data.json},` +
          `"postings":${JSON.stringify(postings)},"prevHash":${jsonOf(prevHash)},"hash":${jsonOf(hash)}}`,
      );
    return this.lines.length >= BATCH_ENTRIES ? this.flush() : undefined;
  }

  flush(): SourceBatch | undefined {
    if (this.lines.length === 0) return undefined;
    const batch = this.withPayload ? { lines: this.lines, payload: this.payload.join('\n') } : { lines: this.lines };
    this.lines = [];
    this.payload = [];
    return batch;
  }
}

/** Entries straight from the SQLite file, postings merged in by seq: two cursors, flat memory. */
export function* databaseBatches(db: Database.Database, options: { payload?: boolean } = {}): Generator<SourceBatch> {
  const entries = db
    .prepare('SELECT seq, type, recorded_at, actor, data, prev_hash, hash FROM ledger_entries ORDER BY seq')
    .raw(true)
    .iterate() as IterableIterator<EntryRow>;
  // A second connection: better-sqlite3 allows one open iterator per connection.
  const postingsDb = new Database(db.name, { readonly: true });
  postingsDb.defaultSafeIntegers(true);
  const postings = postingsDb
    .prepare('SELECT entry_seq, account, amount_fen FROM ledger_postings ORDER BY entry_seq, idx')
    .raw(true)
    .iterate() as IterableIterator<PostingRow>;
  let pending = postings.next();
  const batcher = new EntryBatcher(options.payload ?? false);
  try {
    for (const row of entries) {
      const seq = row[0];
      const entryPostings: Entry['postings'] = [];
      while (!pending.done && pending.value[0] < seq) pending = postings.next();
      while (!pending.done && pending.value[0] === seq) {
        entryPostings.push({ account: pending.value[1], amount: yuan(pending.value[2]) });
        pending = postings.next();
      }
      const batch = batcher.add(row, entryPostings);
      if (batch) yield batch;
    }
    const last = batcher.flush();
    if (last) yield last;
  } finally {
    postingsDb.close();
  }
}

/** The chain head the database keeps in ledger_head, or undefined when it has no such table. */
export function storedHead(db: Database.Database): { seq: bigint; hash: unknown } | null | undefined {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_head'").get();
  if (!table) return undefined;
  return (db.prepare('SELECT seq, hash FROM ledger_head WHERE id = 1').get() as { seq: bigint; hash: unknown } | undefined) ?? null;
}

export function countEntries(db: Database.Database): number {
  return Number((db.prepare('SELECT count(*) AS n FROM ledger_entries').get() as { n: bigint }).n);
}

export function materialisedBalances(db: Database.Database): Map<string, bigint> {
  const rows = db.prepare('SELECT account, balance_fen FROM account_balances').all() as { account: string; balance_fen: bigint }[];
  return new Map(rows.map((row) => [row.account, row.balance_fen]));
}

export const REQUIRED_TRIGGERS = ['ledger_entries', 'ledger_postings', 'checkpoints'].flatMap((table) =>
  ['update', 'delete'].map((operation) => ({ table, operation, name: `${table}_no_${operation}` })),
);

/** The append-only triggers that are missing or no longer abort. */
export function missingTriggers(db: Database.Database): string[] {
  const rows = db.prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'").all() as { name: string; tbl_name: string; sql: string }[];
  return REQUIRED_TRIGGERS.filter(({ table, operation, name }) => {
    const trigger = rows.find((row) => row.name === name);
    return !trigger || trigger.tbl_name !== table || !new RegExp(`BEFORE\\s+${operation}`, 'i').test(trigger.sql) || !/RAISE\s*\(\s*ABORT/i.test(trigger.sql);
  }).map(({ name }) => name);
}

/** Policy files by the SHA-256 of their bytes, as programs and redemptions record them. */
export function loadPolicyFacts(dir: string): Map<string, PolicyFacts> {
  type Bucket = { kind: string; autonomous?: boolean; rate: { max: string }; annualCap: { amount: string | null } };
  const facts = new Map<string, PolicyFacts>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const bytes = readFileSync(join(dir, file));
    const policy = JSON.parse(bytes.toString('utf8')) as {
      id: string;
      jurisdiction: string;
      effective: { from: string; to: string };
      buckets: Record<string, Bucket>;
    };
    facts.set(createHash('sha256').update(bytes).digest('hex'), {
      id: policy.id,
      jurisdiction: policy.jurisdiction,
      effective: { from: policy.effective.from, to: policy.effective.to },
      buckets: Object.fromEntries(
        Object.entries(policy.buckets).map(([name, b]) => [name, { kind: b.kind, autonomous: b.autonomous, rate: b.rate.max, annualCap: b.annualCap.amount }]),
      ),
    });
  }
  return facts;
}
