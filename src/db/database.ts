import {
  type Kysely,
  type KyselyPlugin,
  Migrator,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { migrationsFor } from '../../db/migrations/index.js';
import type { Engine } from './engine.js';
import { createPostgresKysely, isPostgresUrl, postgresEngine } from './postgres.js';
import type { Database } from './schema.js';
import { createSqliteKysely, sqliteEngine } from './sqlite.js';

export type Db = Kysely<Database>;

const engines = new WeakMap<Db, Engine>();

/**
 * Counts the rows every write of a database (its transactions included) changed: the group commit runs a batch's
 * commands without savepoints and needs one only for a command that fails after changing a row (decision 0036).
 */
class RowChangeCounter implements KyselyPlugin {
  changed = 0n;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const affected = args.result.numAffectedRows;
    if (affected !== undefined && affected > 0n) this.changed += affected;
    return args.result;
  }
}
const rowChanges = new WeakMap<Db, RowChangeCounter>();

/**
 * Opens the database named by DATABASE_URL: `postgres://…` (or `postgresql://…`) is PostgreSQL through a
 * pool; anything else is a SQLite file path, or `:memory:`.
 */
export interface DatabaseOptions {
  readonly?: boolean;
  poolSize?: number;
  /** How long a writer waits for another's write lock before the unit of work retries (default 2 s). */
  lockTimeoutMs?: number;
}

export function createDatabase(url: string, options: DatabaseOptions = {}): Db {
  const postgres = isPostgresUrl(url);
  const counter = new RowChangeCounter();
  const db = (postgres ? createPostgresKysely(url, options) : createSqliteKysely(url, options)).withPlugin(counter);
  engines.set(db, postgres ? postgresEngine : sqliteEngine);
  rowChanges.set(db, counter);
  return db;
}

/** Rows changed through this database since it was opened: any write of any transaction moves it forward. */
export function rowsChangedIn(db: Db): bigint {
  const counter = rowChanges.get(db);
  if (!counter) throw new Error('this database was not opened with createDatabase');
  return counter.changed;
}

/** The engine a database opened by `createDatabase` runs on. */
export function engineOf(db: Db): Engine {
  const engine = engines.get(db);
  if (!engine) throw new Error('this database was not opened with createDatabase');
  return engine;
}

/** A database URL fit for logs and error messages: a PostgreSQL password never leaves the process. */
export function redactDatabaseUrl(url: string): string {
  if (!isPostgresUrl(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

async function migratorFor(db: Db): Promise<Migrator> {
  const engine = engineOf(db);
  const migrationTableSchema = await engine.migrationSchema(db);
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrationsFor(engine) },
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
}

/** The names of this code's migrations that the database has not applied (readiness). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const migrations = await (await migratorFor(db)).getMigrations();
  return migrations.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = await migratorFor(db);
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
}
