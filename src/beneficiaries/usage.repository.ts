import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Fen } from '../shared/money.js';

/** Usage is materialised per scope (`policy:<id>` across all programs, `program:<id>` for one). */
export const usageScopes = { policy: (id: string) => `policy:${id}`, program: (id: string) => `program:${id}` };

export interface UsageKey {
  scope: string;
  uscc: string;
  bucket: string;
  year: number;
}

export async function grantedIn(db: Kysely<Database>, key: UsageKey): Promise<Fen> {
  const row = await db
    .selectFrom('annual_usage')
    .select('granted_fen')
    .where('scope', '=', key.scope)
    .where('uscc', '=', key.uscc)
    .where('bucket', '=', key.bucket)
    .where('year', '=', BigInt(key.year))
    .executeTakeFirst();
  return row?.granted_fen ?? 0n;
}

/** Moves usage by `delta`; updated first so that the database checks the new total (an upsert would check the delta). */
export async function addGranted(db: Kysely<Database>, key: UsageKey, delta: Fen): Promise<void> {
  const updated = await db
    .updateTable('annual_usage')
    .set((eb) => ({ granted_fen: eb('granted_fen', '+', delta) }))
    .where('scope', '=', key.scope)
    .where('uscc', '=', key.uscc)
    .where('bucket', '=', key.bucket)
    .where('year', '=', BigInt(key.year))
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n)
    await db.insertInto('annual_usage').values({ scope: key.scope, uscc: key.uscc, bucket: key.bucket, year: BigInt(key.year), granted_fen: delta }).execute();
}
