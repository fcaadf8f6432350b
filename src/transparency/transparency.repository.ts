import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

type Executor = Kysely<Database>;

/** The entry at a seq with what decides who may see it (region, data, actor), or undefined. */
export async function entryScope(db: Executor, seq: bigint): Promise<{ hash: string; region: string; data: string; actor: string } | undefined> {
  return db.selectFrom('ledger_entries').select(['hash', 'region', 'data', 'actor']).where('seq', '=', seq).executeTakeFirst();
}

/** The index of the leaf with this hash (lowercase hex), found through the leaf level's own index (migration 0017). */
export async function leafIndexOf(db: Executor, leafHash: string): Promise<number | undefined> {
  const row = await db.selectFrom('merkle_nodes').select('idx').where('level', '=', 0n).where('hash', '=', leafHash).executeTakeFirst();
  return row === undefined ? undefined : Number(row.idx);
}

/** The newest checkpoint that carries a signed note (those issued since migration 0008). */
export async function newestNoteCheckpoint(db: Executor) {
  return db.selectFrom('checkpoints').selectAll().where('note', 'is not', null).orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export async function recordCosignature(db: Executor, row: Database['cosignatures']): Promise<boolean> {
  const inserted = await db
    .insertInto('cosignatures')
    .values(row)
    .onConflict((oc) => oc.columns(['tree_size', 'witness', 'signed_at']).doNothing())
    .executeTakeFirst();
  return (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Each witness's newest cosignature of the tree head (size, root). */
export async function cosignaturesOf(db: Executor, treeSize: bigint, rootHash: string): Promise<string[]> {
  const rows = await db
    .selectFrom('cosignatures')
    .select(['witness', 'signed_at', 'line'])
    .where('tree_size', '=', treeSize)
    .where('root_hash', '=', rootHash)
    .orderBy('witness')
    .orderBy('signed_at', 'desc')
    .execute();
  const newest = new Map<string, string>();
  for (const row of rows) if (!newest.has(row.witness)) newest.set(row.witness, row.line);
  return [...newest.values()];
}
