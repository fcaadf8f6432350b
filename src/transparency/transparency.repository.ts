import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

type Executor = Kysely<Database>;

/** The entry at a seq with what decides who may see it (region, data, actor), or undefined. */
export async function entryScope(db: Executor, seq: bigint): Promise<{ hash: string; region: string; data: string; actor: string } | undefined> {
  return db.selectFrom('ledger_entries').select(['hash', 'region', 'data', 'actor']).where('seq', '=', seq).executeTakeFirst();
}

/** Leaves copied into the lookup per statement: a first lookup on a large tree catches up in bounded steps. */
const LOOKUP_BATCH = 50_000n;

/**
 * The index of the leaf with this hash (lowercase hex) among the first `treeSize` leaves, or undefined. The lookup
 * table is first brought up to `treeSize` from the tree's leaf level, by primary-key ranges, so that no append pays
 * for it (decision 0045); two readers catching up at once insert the same rows, and the second's are ignored.
 */
export async function leafIndexOf(db: Executor, leafHash: string, treeSize: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('merkle_leaf_lookup')
    .select((eb) => eb.fn.max('idx').as('idx'))
    .executeTakeFirst();
  let from = row?.idx === null || row?.idx === undefined ? 0n : BigInt(row.idx) + 1n;
  const size = BigInt(treeSize);
  while (from < size) {
    const to = from + LOOKUP_BATCH < size ? from + LOOKUP_BATCH : size;
    await db
      .insertInto('merkle_leaf_lookup')
      .columns(['hash', 'idx'])
      .expression((eb) => eb.selectFrom('merkle_nodes').select(['hash', 'idx']).where('level', '=', 0n).where('idx', '>=', from).where('idx', '<', to))
      .onConflict((oc) => oc.doNothing())
      .execute();
    from = to;
  }
  const found = await db.selectFrom('merkle_leaf_lookup').select('idx').where('hash', '=', leafHash).executeTakeFirst();
  return found === undefined || BigInt(found.idx) >= size ? undefined : Number(found.idx);
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
