// The one module that knows the database is SQLite: connection pragmas, the ledger lock (BEGIN IMMEDIATE),
// error codes, booleans as 0/1, and the DDL that SQLite spells its own way (triggers instead of added CHECKs).
import BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  SqliteDialect,
  type UnknownRow,
  sql,
} from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Engine, StorageFailure } from './engine.js';
import type { Invariant } from './invariants.js';
import { BOOLEAN_COLUMNS, type Database } from './schema.js';

/** The database file's folder, made if missing; a path through a file is named as the setting it came from. */
function makeFolderOf(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new Error(`DATABASE_URL: ${path} is inside a file, not a folder (${dirname(path)} is not a directory)`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new Error(`DATABASE_URL: the folder ${dirname(path)} cannot be created (${code})`);
    throw err;
  }
}

export function openSqlite(path: string, options: { readonly?: boolean; lockTimeoutMs?: number } = {}): BetterSqlite3.Database {
  if (path !== ':memory:' && !options.readonly) makeFolderOf(path);
  const connection = new BetterSqlite3(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  connection.defaultSafeIntegers(true);
  if (!options.readonly) {
    // WAL with synchronous=FULL: a commit that returned survives power loss.
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = FULL');
  }
  connection.pragma('foreign_keys = ON');
  // Another process holding the write lock is waited for this long before the unit of work retries.
  connection.pragma(`busy_timeout = ${options.lockTimeoutMs ?? 2000}`);
  return withStatementCache(connection);
}

/** Statements kept prepared, by SQL text; the hot paths run the same few dozen statements over and over. */
const STATEMENT_CACHE_SIZE = 256;

/** better-sqlite3 cannot bind booleans: they go in as 0/1 (and come back as booleans, see SqliteBooleans). */
const bindable = (parameters: unknown[]) =>
  parameters.some((value) => typeof value === 'boolean') ? parameters.map((value) => (typeof value === 'boolean' ? Number(value) : value)) : parameters;

/** The three calls kysely's driver makes on a statement, with booleans bound as integers. */
function withBooleanParameters(statement: BetterSqlite3.Statement): BetterSqlite3.Statement {
  return {
    get reader() {
      return statement.reader;
    },
    get busy() {
      return statement.busy;
    },
    all: (parameters: unknown[]) => statement.all(bindable(parameters)),
    run: (parameters: unknown[]) => statement.run(bindable(parameters)),
    iterate: (parameters: unknown[]) => statement.iterate(bindable(parameters)),
  } as unknown as BetterSqlite3.Statement;
}

/**
 * kysely's SQLite driver prepares every statement anew, which was nearly half of a write's CPU. A statement
 * is reusable once its previous run has finished; the driver runs one query at a time per connection, and
 * a statement still iterating (a streamed read) is prepared afresh instead.
 */
function withStatementCache(connection: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepareOnce = connection.prepare.bind(connection);
  const prepare = (source: string) => withBooleanParameters(prepareOnce(source));
  connection.prepare = ((source: string) => {
    const cached = cache.get(source);
    if (cached && !cached.busy) {
      // Move to the back: the map's insertion order is the least-recently-used order.
      cache.delete(source);
      cache.set(source, cached);
      return cached;
    }
    const statement = prepare(source);
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(source, statement);
    return statement;
  }) as BetterSqlite3.Database['prepare'];
  return connection;
}

/** Boolean columns come back as booleans (they are bound as 0/1 by the statement wrapper above). */
class SqliteBooleans implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    for (const row of args.result.rows)
      for (const column of BOOLEAN_COLUMNS) {
        const value = row[column];
        if (typeof value === 'bigint' || typeof value === 'number') row[column] = value !== 0n && value !== 0;
      }
    return args.result;
  }
}

export function createSqliteKysely(path: string, options: { readonly?: boolean; lockTimeoutMs?: number } = {}): Kysely<Database> {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqlite(path, options) }), plugins: [new SqliteBooleans()] });
}

function appendOnlyTriggerName(table: string, operation: 'update' | 'delete'): string {
  return `${table}_no_${operation}`;
}

/** What the ledger head's guard says, as SQLite's RAISE takes them: fixed text, no values. */
const HEAD_GUARD = {
  delete: 'ledger_head cannot be deleted: it holds the chain head',
  insert: 'ledger_head holds one row: no other can be inserted',
  id: 'ledger_head: the id of its row cannot change',
  backwards: 'ledger_head moves forward only',
  noEntry: 'ledger_head must name an entry: no entry has this seq and hash',
  notLast: 'ledger_head must be the last entry: entries follow the new seq',
  gap: 'ledger_head may pass only over existing entries: one is missing',
};

const errorCode = (err: unknown) => (typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '');

export const sqliteEngine: Engine = {
  name: 'sqlite',
  booleanType: 'integer',
  serialType: 'integer',

  async writeTransaction(db, work) {
    // BEGIN IMMEDIATE takes SQLite's single write lock before the first read, so that no other process can
    // commit between what a command reads and what it writes (and no deferred upgrade can fail half-way).
    return db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await work(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (err) {
        await sql`rollback`.execute(connection).catch(() => undefined);
        throw err;
      }
    });
  },

  classifyError(err): StorageFailure | undefined {
    const code = errorCode(err);
    const message = err instanceof Error ? err.message : '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return { kind: 'busy' };
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
      return { kind: 'unique', table: /constraint failed: (\w+)\./.exec(message)?.[1] };
    const invariant = /^invariant (\w+)$/.exec(message);
    if (code === 'SQLITE_CONSTRAINT_TRIGGER' && invariant?.[1]) return { kind: 'invariant', name: invariant[1] };
    if (message === 'integer overflow') return { kind: 'out_of_range' };
    return undefined;
  },

  migrationSchema: async () => undefined,

  isInteger: (expr) => `typeof(${expr}) = 'integer'`,

  async createAppendOnlyTriggers(db, table) {
    for (const operation of ['update', 'delete'] as const) {
      await sql
        .raw(
          `CREATE TRIGGER ${appendOnlyTriggerName(table, operation)} BEFORE ${operation.toUpperCase()} ON ${table} ` +
            `BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
        )
        .execute(db);
    }
  },

  // Every statement reads by the seq primary key; writes are serialised (BEGIN IMMEDIATE), so "the entries this
  // transaction appended" is the same as "the entries after the old head, up to the last one".
  async createLedgerHeadGuard(db) {
    for (const statement of [
      `CREATE TRIGGER ledger_head_no_delete BEFORE DELETE ON ledger_head BEGIN SELECT RAISE(ABORT, '${HEAD_GUARD.delete}'); END`,
      `CREATE TRIGGER ledger_head_no_insert BEFORE INSERT ON ledger_head BEGIN SELECT RAISE(ABORT, '${HEAD_GUARD.insert}'); END`,
      `CREATE TRIGGER ledger_head_forward_only BEFORE UPDATE ON ledger_head BEGIN ` +
        `SELECT RAISE(ABORT, '${HEAD_GUARD.id}') WHERE NEW.id IS NOT OLD.id; ` +
        `SELECT RAISE(ABORT, '${HEAD_GUARD.backwards}') WHERE NEW.seq <= OLD.seq; ` +
        `SELECT RAISE(ABORT, '${HEAD_GUARD.noEntry}') WHERE NOT EXISTS (SELECT 1 FROM ledger_entries WHERE seq = NEW.seq AND hash = NEW.hash); ` +
        `SELECT RAISE(ABORT, '${HEAD_GUARD.notLast}') WHERE EXISTS (SELECT 1 FROM ledger_entries WHERE seq > NEW.seq); ` +
        `SELECT RAISE(ABORT, '${HEAD_GUARD.gap}') ` +
        `WHERE (SELECT count(*) FROM ledger_entries WHERE seq > OLD.seq AND seq <= NEW.seq) <> NEW.seq - OLD.seq; ` +
        `END`,
    ])
      await sql.raw(statement).execute(db);
  },

  // SQLite cannot add a CHECK to an existing table without rebuilding it (the append-only ledger tables
  // included), so each invariant is a trigger statement that aborts with the invariant's name.
  async createInvariants(db, table, invariants: Invariant[]) {
    if (invariants.length === 0) return;
    const checks = invariants
      .map((invariant) => `SELECT RAISE(ABORT, 'invariant ${invariant.name}') WHERE NOT (${invariant.check((column) => `NEW.${column}`)});`)
      .join(' ');
    for (const operation of ['insert', 'update'] as const)
      await sql.raw(`CREATE TRIGGER ${table}_invariants_on_${operation} BEFORE ${operation.toUpperCase()} ON ${table} BEGIN ${checks} END`).execute(db);
  },
};
