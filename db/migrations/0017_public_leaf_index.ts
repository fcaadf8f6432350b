import { type Kysely, sql } from 'kysely';

// The public inclusion proof finds a leaf by its hash (decision 0045): a partial index on the tree's leaf level,
// so that a lookup is one index probe and the upper levels' nodes cost nothing.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('merkle_leaves_hash').on('merkle_nodes').column('hash').where(sql.ref('level'), '=', 0).execute();
}

export async function down(): Promise<void> {
  throw new Error('the ledger is append-only: its migrations are not reversible');
}
