import { type Kysely, Migrator } from 'kysely';
import { migrations } from '../../db/migrations/index.js';
import type { Database } from './schema.js';
import { createSqliteKysely } from './sqlite.js';

export type Db = Kysely<Database>;

/** Opens the database named by DATABASE_URL (a SQLite file path, or :memory:). */
export function createDatabase(url: string, options: { readonly?: boolean } = {}): Db {
  return createSqliteKysely(url, options);
}

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
}
