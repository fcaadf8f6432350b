import { type Kysely, Migrator } from 'kysely';
import { migrationsFor } from '../../db/migrations/index.js';
import type { Engine } from './engine.js';
import { createPostgresKysely, isPostgresUrl, postgresEngine } from './postgres.js';
import type { Database } from './schema.js';
import { createSqliteKysely, sqliteEngine } from './sqlite.js';

export type Db = Kysely<Database>;

const engines = new WeakMap<Db, Engine>();

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
  const db = postgres ? createPostgresKysely(url, options) : createSqliteKysely(url, options);
  engines.set(db, postgres ? postgresEngine : sqliteEngine);
  return db;
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
