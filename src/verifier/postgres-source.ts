// `--db postgres://…`: the same checks on the service's PostgreSQL database, read through `pg` directly.
// Everything is read inside one REPEATABLE READ, READ ONLY transaction, so that entries, postings,
// materialised balances and the head are one snapshot even while the service keeps appending.
import type pg from 'pg';
import { yuan } from './arithmetic.js';
import type { Entry } from './entry.js';
import { EntryBatcher, type EntryRow, type PostingRow, type SourceBatch } from './sources.js';

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

/** Rows per page: keyset pagination keeps memory flat at any ledger size. */
const PAGE_ROWS = 2000;
const INT8_OID = 20;

/** This client's own type parsers: int8 as bigint, so that no fen passes through a float; the global parsers stay untouched. */
const typesOf = (driver: typeof pg) => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (text: string) => BigInt(text)
      : driver.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
});

/** Replaces credentials in any text that might carry the URL (an error message), so that no password is printed. */
export function redactCredentials(text: string, url?: string): string {
  let out = text;
  if (url) {
    out = out.split(url).join(redactedUrl(url));
    const password = passwordOf(url);
    if (password) for (const form of new Set([password, encodeURIComponent(password)])) out = out.split(form).join('***');
  }
  return out.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*):[^@\s]*@/gi, '$1:***@').replace(/(password=)[^&\s]*/gi, '$1***');
}

function passwordOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return (parsed.password ? decodeURIComponent(parsed.password) : undefined) ?? parsed.searchParams.get('password') ?? undefined;
  } catch {
    return undefined;
  }
}

/** The URL as it may be shown: user, host and database, never the password. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

export class PostgresLedger {
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<PostgresLedger> {
    // Loaded here, not at the top: verifying a SQLite file or an export does not carry `pg` (decision 0046).
    const { default: driver } = await import('pg');
    const client = new driver.Client({ connectionString: url, types: typesOf(driver) });
    // A connection lost mid-run must surface as a failed query, not crash the process.
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    } catch (err) {
      await client.end();
      throw err;
    }
    return new PostgresLedger(client);
  }

  async close(): Promise<void> {
    try {
      await this.client.query('ROLLBACK');
    } finally {
      await this.client.end();
    }
  }

  private async rows<T>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.client.query<T extends unknown[] ? T : never>({ text, values, rowMode: 'array' })).rows as T[];
  }

  async countEntries(): Promise<number> {
    const [row] = await this.rows<[bigint]>('SELECT count(*) FROM ledger_entries');
    return Number(row![0]);
  }

  /** Entries by seq, a page at a time, each page's postings fetched for the same seq range. */
  async *batches(options: { payload?: boolean } = {}): AsyncGenerator<SourceBatch> {
    const batcher = new EntryBatcher(options.payload ?? false);
    let after = -1n;
    for (;;) {
      const entries = await this.rows<EntryRow>(
        'SELECT seq, type, recorded_at, actor, data, prev_hash, hash FROM ledger_entries WHERE seq > $1 ORDER BY seq LIMIT $2',
        [after, PAGE_ROWS],
      );
      if (entries.length === 0) break;
      const last = entries.at(-1)![0];
      const postings = await this.rows<PostingRow>(
        'SELECT entry_seq, account, amount_fen FROM ledger_postings WHERE entry_seq > $1 AND entry_seq <= $2 ORDER BY entry_seq, idx',
        [after, last],
      );
      let p = 0;
      for (const row of entries) {
        const seq = row[0];
        const entryPostings: Entry['postings'] = [];
        while (p < postings.length && postings[p]![0] < seq) p++;
        for (; p < postings.length && postings[p]![0] === seq; p++) entryPostings.push({ account: postings[p]![1], amount: yuan(postings[p]![2]) });
        const batch = batcher.add(row, entryPostings);
        if (batch) yield batch;
      }
      after = last;
      if (entries.length < PAGE_ROWS) break;
    }
    const rest = batcher.flush();
    if (rest) yield rest;
  }

  async materialisedBalances(): Promise<Map<string, bigint>> {
    return new Map(await this.rows<[string, bigint]>('SELECT account, balance_fen FROM account_balances'));
  }

  async storedHead(): Promise<{ seq: bigint; hash: unknown } | null | undefined> {
    const [exists] = await this.rows<[boolean]>("SELECT to_regclass('ledger_head') IS NOT NULL");
    if (!exists![0]) return undefined;
    const [row] = await this.rows<[bigint, unknown]>('SELECT seq, hash FROM ledger_head WHERE id = 1');
    return row ? { seq: row[0], hash: row[1] } : null;
  }

  /**
   * The append-only triggers that are missing, disabled or do not abort, each with why. Each of
   * ledger_entries, ledger_postings and checkpoints needs BEFORE UPDATE and BEFORE DELETE row triggers and a
   * BEFORE TRUNCATE statement trigger, enabled, whose PL/pgSQL function raises an exception first thing.
   */
  async triggerProblems(): Promise<string[]> {
    const rows = await this.rows<[string, string, string, number, string, string]>(
      `SELECT t.tgname, c.relname, t.tgenabled, t.tgtype, l.lanname, p.prosrc
         FROM pg_trigger t
         JOIN pg_class c ON c.oid = t.tgrelid
         JOIN pg_proc p ON p.oid = t.tgfoid
         JOIN pg_language l ON l.oid = p.prolang
        WHERE NOT t.tgisinternal
          AND t.tgrelid IN (to_regclass('ledger_entries'), to_regclass('ledger_postings'), to_regclass('checkpoints'))`,
    );
    const problems: string[] = [];
    for (const { table, operation, name } of POSTGRES_TRIGGERS) {
      const row = rows.find(([tgname, relname]) => tgname === name && relname === table);
      if (!row) {
        problems.push(`${name} (missing)`);
        continue;
      }
      const [, , enabled, tgtype, language, source] = row;
      const wanted = TRIGGER_TYPE[operation];
      // tgenabled: O fires in origin sessions, A always; D is disabled, R fires only on replicas.
      if (enabled === 'D') problems.push(`${name} (disabled)`);
      else if (enabled === 'R') problems.push(`${name} (fires only on replicas)`);
      else if ((tgtype & TIMING_AND_LEVEL) !== wanted.timingAndLevel || (tgtype & wanted.event) === 0)
        problems.push(`${name} (not BEFORE ${operation.toUpperCase()}${operation === 'truncate' ? '' : ' FOR EACH ROW'})`);
      else if (language !== 'plpgsql' || !raisesFirst(source)) problems.push(`${name} (its function does not raise an exception)`);
    }
    return problems;
  }
}

// pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
const ROW = 1;
const BEFORE = 2;
const INSTEAD = 64;
const TIMING_AND_LEVEL = ROW | BEFORE | INSTEAD;
const TRIGGER_TYPE = {
  update: { timingAndLevel: ROW | BEFORE, event: 16 },
  delete: { timingAndLevel: ROW | BEFORE, event: 8 },
  truncate: { timingAndLevel: BEFORE, event: 32 },
} as const;

const POSTGRES_TRIGGERS = ['ledger_entries', 'ledger_postings', 'checkpoints'].flatMap((table) =>
  (['update', 'delete', 'truncate'] as const).map((operation) => ({ table, operation, name: `${table}_no_${operation}` })),
);

/** The function's first statement raises an exception unconditionally (comments and a label aside). */
function raisesFirst(source: string): boolean {
  const code = source.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
  return /^\s*(<<\w+>>\s*)?BEGIN\s+RAISE(\s+EXCEPTION\b|\s+SQLSTATE\b|\s*')/i.test(code);
}
