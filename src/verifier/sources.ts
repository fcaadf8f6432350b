import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { yuan } from './arithmetic.js';
import type { Entry } from './entry.js';
import type { PolicyFacts } from './recompute.js';

export interface SourceLine {
  value: unknown;
  line: number;
}

/** Reads an NDJSON export line by line; a line that is not JSON is passed on as a string to fail the format check. */
export async function* ndjsonLines(path: string, onBytes?: (bytes: number) => void): AsyncGenerator<SourceLine> {
  const stream = createReadStream(path);
  if (onBytes) stream.on('data', (chunk) => onBytes(chunk.length));
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    try {
      yield { value: JSON.parse(text) as unknown, line };
    } catch {
      yield { value: text, line };
    }
  }
}

/** Opens the service's SQLite file read-only, integers as bigint so that no fen passes through a float. */
export function openLedgerFile(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.defaultSafeIntegers(true);
  return db;
}

/** Entries straight from the database, postings merged in by seq: two cursors, flat memory. */
export function* databaseLines(db: Database.Database): Generator<SourceLine> {
  const entries = db.prepare('SELECT seq, type, recorded_at, actor, data, prev_hash, hash FROM ledger_entries ORDER BY seq').iterate() as IterableIterator<Record<string, unknown>>;
  // A second connection: better-sqlite3 allows one open iterator per connection.
  const postingsDb = new Database(db.name, { readonly: true });
  postingsDb.defaultSafeIntegers(true);
  const postings = postingsDb.prepare('SELECT entry_seq, account, amount_fen FROM ledger_postings ORDER BY entry_seq, idx').iterate() as IterableIterator<{ entry_seq: bigint; account: string; amount_fen: bigint }>;
  let pending = postings.next();
  let line = 0;
  try {
    for (const row of entries) {
      const seq = row['seq'] as bigint;
      const entryPostings: Entry['postings'] = [];
      while (!pending.done && pending.value.entry_seq < seq) pending = postings.next();
      while (!pending.done && pending.value.entry_seq === seq) {
        entryPostings.push({ account: pending.value.account, amount: yuan(pending.value.amount_fen) });
        pending = postings.next();
      }
      line++;
      yield {
        line,
        value: {
          seq: Number(seq),
          type: row['type'],
          recordedAt: row['recorded_at'],
          actor: JSON.parse(String(row['actor'])),
          data: JSON.parse(String(row['data'])),
          postings: entryPostings,
          prevHash: row['prev_hash'],
          hash: row['hash'],
        },
      };
    }
  } finally {
    postingsDb.close();
  }
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

/** Policy files by the SHA-256 of their bytes, as redemptions record them. */
export function loadPolicyFacts(dir: string): Map<string, PolicyFacts> {
  const facts = new Map<string, PolicyFacts>();
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const bytes = readFileSync(join(dir, file));
    const policy = JSON.parse(bytes.toString('utf8')) as { id: string; buckets: Record<string, { rate: { max: string }; annualCap: { amount: string | null } }> };
    facts.set(createHash('sha256').update(bytes).digest('hex'), {
      id: policy.id,
      buckets: Object.fromEntries(Object.entries(policy.buckets).map(([name, b]) => [name, { rate: b.rate.max, annualCap: b.annualCap.amount }])),
    });
  }
  return facts;
}
