import { type Kysely, sql } from 'kysely';
import { changedRows, firstRow, prepared } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import type { Program } from '../programs/programs.model.js';
import { programToDomain } from '../programs/programs.repository.js';
import type { Fen } from '../shared/money.js';

/** Usage is materialised per scope (`policy:<id>` across all programs, `program:<id>` for one). */
export const usageScopes = { policy: (id: string) => `policy:${id}`, program: (id: string) => `program:${id}` };

export interface UsageKey {
  scope: string;
  uscc: string;
  bucket: string;
  year: number;
}

/** A usage row's key as stored: the year is an integer column. */
type UsageRowKey = { scope: string; uscc: string; bucket: string; year: bigint };
const rowKey = (key: UsageKey): UsageRowKey => ({ scope: key.scope, uscc: key.uscc, bucket: key.bucket, year: BigInt(key.year) });

const used = prepared<UsageRowKey, { used_fen: Fen }>((db, p) =>
  db
    .selectFrom('annual_usage')
    // What counts against a cap: granted, and reserved by open claims (decision 0041).
    .select((eb) => eb('granted_fen', '+', eb.ref('reserved_fen')).as('used_fen'))
    .where('scope', '=', p.scope)
    .where('uscc', '=', p.uscc)
    .where('bucket', '=', p.bucket)
    .where('year', '=', p.year),
);
/** What counts against the cap under `key`: granted, and held by open claims. */
export async function usedIn(db: Kysely<Database>, key: UsageKey): Promise<Fen> {
  // sum of int8 columns: a bigint on both engines (SQLite's adapter reads integers as bigint).
  const row = firstRow(await used(db, rowKey(key)));
  return row === undefined ? 0n : BigInt(row.used_fen);
}

/** What was granted under `key`, and what open claims hold (decision 0041). */
export interface Usage {
  granted: Fen;
  reserved: Fen;
}

export async function usageIn(db: Kysely<Database>, key: UsageKey): Promise<Usage> {
  const row = await db
    .selectFrom('annual_usage')
    .select(['granted_fen', 'reserved_fen'])
    .where('scope', '=', key.scope)
    .where('uscc', '=', key.uscc)
    .where('bucket', '=', key.bucket)
    .where('year', '=', BigInt(key.year))
    .executeTakeFirst();
  return { granted: row?.granted_fen ?? 0n, reserved: row?.reserved_fen ?? 0n };
}

/** Per program of the policy within a range of regions: what the beneficiary was granted in the year and what claims hold, per bucket. */
export async function programUsageOf(
  db: Kysely<Database>,
  query: { uscc: string; year: number; policyId: string; regions: { from: string; to: string } },
): Promise<{ program: Program; usage: Map<string, Usage> }[]> {
  const rows = await db
    .selectFrom('annual_usage')
    .innerJoin('programs', (join) => join.on('annual_usage.scope', '=', sql<string>`${sql.lit('program:')} || ${sql.ref('programs.id')}`))
    .selectAll('programs')
    .select(['annual_usage.bucket', 'annual_usage.granted_fen', 'annual_usage.reserved_fen'])
    .where('annual_usage.uscc', '=', query.uscc)
    .where('annual_usage.year', '=', BigInt(query.year))
    .where('programs.policy_id', '=', query.policyId)
    .where('programs.region', '>=', query.regions.from)
    .where('programs.region', '<=', query.regions.to)
    .orderBy('programs.id')
    .orderBy('annual_usage.bucket')
    .execute();
  const byProgram = new Map<string, { program: Program; usage: Map<string, Usage> }>();
  for (const { bucket, granted_fen, reserved_fen, ...programRow } of rows) {
    const entry = byProgram.get(programRow.id) ?? { program: programToDomain(programRow), usage: new Map<string, Usage>() };
    entry.usage.set(bucket, { granted: granted_fen, reserved: reserved_fen });
    byProgram.set(programRow.id, entry);
  }
  return [...byProgram.values()];
}

/**
 * Gives back `amount` of usage in the year of the reversed redemption, never below zero: a rounding excess
 * clawed back may have been granted in another year of the contract (decision 0012), and freeing less cap
 * than was returned errs in the government's favour.
 */
const release = prepared<UsageRowKey & { amount: Fen }, never>((db, p) =>
  db
    .updateTable('annual_usage')
    .set((eb) => ({
      granted_fen: eb
        .case()
        .when('granted_fen', '<', p.amount)
        .then(0n)
        .else(eb('granted_fen', '-', p.amount))
        .end(),
    }))
    .where('scope', '=', p.scope)
    .where('uscc', '=', p.uscc)
    .where('bucket', '=', p.bucket)
    .where('year', '=', p.year),
);
export async function releaseGranted(db: Kysely<Database>, key: UsageKey, amount: Fen): Promise<void> {
  await release(db, { ...rowKey(key), amount });
}

/** Moves usage by `delta`; updated first so that the database checks the new total (an upsert would check the delta). */
const add = prepared<UsageRowKey & { delta: Fen }, never>((db, p) =>
  db
    .updateTable('annual_usage')
    .set((eb) => ({ granted_fen: eb('granted_fen', '+', p.delta) }))
    .where('scope', '=', p.scope)
    .where('uscc', '=', p.uscc)
    .where('bucket', '=', p.bucket)
    .where('year', '=', p.year),
);
const insertUsage = prepared<UsageRowKey & { granted_fen: Fen; reserved_fen: Fen }, never>(
  (db, row) => db.insertInto('annual_usage').values(row),
  ['scope', 'uscc', 'bucket', 'year', 'granted_fen', 'reserved_fen'],
);
export async function addGranted(db: Kysely<Database>, key: UsageKey, delta: Fen): Promise<void> {
  const updated = await add(db, { ...rowKey(key), delta });
  if (changedRows(updated) === 0n) await insertUsage(db, { ...rowKey(key), granted_fen: delta, reserved_fen: 0n });
}

/**
 * Moves what a claim holds (decision 0041): `reserved` by its own delta and `granted` by its own, in one
 * statement, the row created on a claim's first reservation.
 */
export async function moveClaimUsage(db: Kysely<Database>, key: UsageKey, delta: { reserved: Fen; granted: Fen }): Promise<void> {
  const updated = await db
    .updateTable('annual_usage')
    .set((eb) => ({ reserved_fen: eb('reserved_fen', '+', delta.reserved), granted_fen: eb('granted_fen', '+', delta.granted) }))
    .where('scope', '=', key.scope)
    .where('uscc', '=', key.uscc)
    .where('bucket', '=', key.bucket)
    .where('year', '=', BigInt(key.year))
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) await insertUsage(db, { ...rowKey(key), granted_fen: delta.granted, reserved_fen: delta.reserved });
}
