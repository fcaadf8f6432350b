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

export async function addGranted(db: Kysely<Database>, key: UsageKey, delta: Fen): Promise<void> {
  await db
    .insertInto('annual_usage')
    .values({ scope: key.scope, uscc: key.uscc, bucket: key.bucket, year: BigInt(key.year), granted_fen: delta })
    .onConflict((oc) =>
      oc.columns(['scope', 'uscc', 'bucket', 'year']).doUpdateSet((eb) => ({
        granted_fen: eb('annual_usage.granted_fen', '+', eb.ref('excluded.granted_fen')),
      })),
    )
    .execute();
}
