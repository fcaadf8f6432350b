import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, type Db, migrateToLatest } from '../../src/db/database.js';

export type TestEngine = 'sqlite' | 'postgres';

/** The engine of the vitest project running this file (see test/vitest.config.ts). */
export const testEngine: TestEngine = process.env['TEST_ENGINE'] === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  /** The DATABASE_URL a server process would be given for this database. */
  url: string;
  drop(): Promise<void>;
}

async function onAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty database of this project's engine: on PostgreSQL a schema of its own in the run's database
 * (cheaper than a database per test), selected through the connection's search_path.
 */
export async function createTestDatabase(sqlitePath = ':memory:'): Promise<TestDatabase> {
  if (testEngine === 'sqlite') return { url: sqlitePath, drop: async () => undefined };
  const runUrl = inject('postgresUrl');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await onAdmin(runUrl, (client) => client.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(runUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => onAdmin(runUrl, (client) => client.query(`DROP SCHEMA ${schema} CASCADE`)).then(() => undefined) };
}

/** A migrated database of this project's engine, and how to close and drop it. */
export async function openTestDatabase(sqlitePath?: string, lockTimeoutMs?: number): Promise<{ db: Db; url: string; close(): Promise<void> }> {
  const target = await createTestDatabase(sqlitePath);
  const db = createDatabase(target.url, lockTimeoutMs === undefined ? {} : { lockTimeoutMs });
  await migrateToLatest(db);
  return {
    db,
    url: target.url,
    close: async () => {
      await db.destroy();
      await target.drop();
    },
  };
}
