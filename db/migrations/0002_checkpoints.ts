import type { Kysely } from 'kysely';
import { createAppendOnlyTriggers } from '../../src/db/sqlite.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('checkpoints')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('jws', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('checkpoints_seq').on('checkpoints').columns(['seq', 'id']).execute();
  await createAppendOnlyTriggers(db, 'checkpoints');
}

export async function down(): Promise<void> {
  throw new Error('checkpoints are append-only: this migration is not reversible');
}
