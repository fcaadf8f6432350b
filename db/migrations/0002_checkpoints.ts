import type { Kysely } from 'kysely';
import type { Engine } from '../../src/db/engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('checkpoints')
    .addColumn('id', engine.serialType, (c) => (engine.serialType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('jws', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('checkpoints_seq').on('checkpoints').columns(['seq', 'id']).execute();
  await engine.createAppendOnlyTriggers(db, 'checkpoints');
}

export async function down(): Promise<void> {
  throw new Error('checkpoints are append-only: this migration is not reversible');
}
