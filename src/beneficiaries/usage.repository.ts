import { type Kysely, sql } from 'kysely';
import type { Database, ProgramRow } from '../db/schema.js';
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

/** Per program of the policy within a range of regions: what the beneficiary was granted in the year, per bucket. */
export async function programUsageOf(
  db: Kysely<Database>,
  query: { uscc: string; year: number; policyId: string; regions: { from: string; to: string } },
): Promise<{ program: ProgramRow; granted: Map<string, Fen> }[]> {
  const rows = await db
    .selectFrom('annual_usage')
    .innerJoin('programs', (join) => join.on('annual_usage.scope', '=', sql<string>`${sql.lit('program:')} || ${sql.ref('programs.id')}`))
    .selectAll('programs')
    .select(['annual_usage.bucket', 'annual_usage.granted_fen'])
    .where('annual_usage.uscc', '=', query.uscc)
    .where('annual_usage.year', '=', BigInt(query.year))
    .where('programs.policy_id', '=', query.policyId)
    .where('programs.region', '>=', query.regions.from)
    .where('programs.region', '<=', query.regions.to)
    .orderBy('programs.id')
    .orderBy('annual_usage.bucket')
    .execute();
  const byProgram = new Map<string, { program: ProgramRow; granted: Map<string, Fen> }>();
  for (const { bucket, granted_fen, ...program } of rows) {
    const entry = byProgram.get(program.id) ?? { program, granted: new Map<string, Fen>() };
    entry.granted.set(bucket, granted_fen);
    byProgram.set(program.id, entry);
  }
  return [...byProgram.values()];
}

/**
 * Gives back `amount` of usage in the year of the reversed redemption, never below zero: a rounding excess
 * clawed back may have been granted in another year of the contract (decision 0012), and freeing less cap
 * than was returned errs in the government's favour.
 */
export async function releaseGranted(db: Kysely<Database>, key: UsageKey, amount: Fen): Promise<void> {
  await db
    .updateTable('annual_usage')
    .set((eb) => ({
      granted_fen: eb.case().when('granted_fen', '<', amount).then(0n).else(eb('granted_fen', '-', amount)).end(),
    }))
    .where('scope', '=', key.scope)
    .where('uscc', '=', key.uscc)
    .where('bucket', '=', key.bucket)
    .where('year', '=', BigInt(key.year))
    .execute();
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
