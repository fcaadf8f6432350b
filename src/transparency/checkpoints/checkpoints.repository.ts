import type { Insertable, Kysely } from 'kysely';
import type { CheckpointTable, Database } from '../../db/schema.js';

export async function recordCheckpoint(db: Kysely<Database>, row: Insertable<CheckpointTable>): Promise<void> {
  await db.insertInto('checkpoints').values(row).execute();
}

/** The latest checkpoint issued at a seq (signed by the key `kid`, when given). */
export async function findCheckpoint(db: Kysely<Database>, seq: bigint, kid?: string) {
  let query = db.selectFrom('checkpoints').selectAll().where('seq', '=', seq);
  if (kid !== undefined) query = query.where('kid', '=', kid);
  return query.orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The newest checkpoint with a signed note by the key `kid`, whatever its seq. */
export async function newestNoteCheckpointBy(db: Kysely<Database>, kid: string) {
  return db.selectFrom('checkpoints').selectAll().where('kid', '=', kid).where('note', 'is not', null).orderBy('id', 'desc').limit(1).executeTakeFirst();
}
