// The one module that knows the database is SQLite: connection pragmas and the append-only triggers. A PostgreSQL deployment replaces this module (see docs/decisions).
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from './schema.js';

export function openSqlite(path: string, options: { readonly?: boolean } = {}): BetterSqlite3.Database {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  const connection = new BetterSqlite3(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  connection.defaultSafeIntegers(true);
  if (!options.readonly) {
    // WAL with synchronous=FULL: a commit that returned survives power loss.
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = FULL');
  }
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  return connection;
}

export function createSqliteKysely(path: string, options: { readonly?: boolean } = {}): Kysely<Database> {
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: openSqlite(path, options) }) });
}

export function appendOnlyTriggerName(table: string, operation: 'update' | 'delete'): string {
  return `${table}_no_${operation}`;
}

export async function createAppendOnlyTriggers(db: Kysely<unknown>, table: string): Promise<void> {
  for (const operation of ['update', 'delete'] as const) {
    await sql
      .raw(
        `CREATE TRIGGER ${appendOnlyTriggerName(table, operation)} BEFORE ${operation.toUpperCase()} ON ${table} ` +
          `BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
      )
      .execute(db);
  }
}
