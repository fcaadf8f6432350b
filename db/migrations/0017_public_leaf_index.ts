import type { Kysely } from 'kysely';

// The public inclusion proof finds a leaf by its hash (decision 0045). The lookup is built by the readers who need
// it, not by each append: an index on the tree's leaves cost the write path a tenth of its throughput (measured).
// The table is derived from merkle_nodes and may be rebuilt from it at any time.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('merkle_leaf_lookup')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('idx', 'bigint', (c) => c.notNull().unique())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('the ledger is append-only: its migrations are not reversible');
}
