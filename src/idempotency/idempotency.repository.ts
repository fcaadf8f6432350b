import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface StoredOutcome {
  fingerprint: string;
  status: number;
  body: string;
  createdAt: string;
}

export async function findIdempotencyKey(db: Kysely<Database>, caller: string, key: string): Promise<StoredOutcome | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['fingerprint', 'status', 'body', 'created_at'])
    .where('caller', '=', caller)
    .where('key', '=', key)
    .executeTakeFirst();
  return row && { fingerprint: row.fingerprint, status: Number(row.status), body: row.body, createdAt: row.created_at };
}

export async function saveIdempotencyKey(db: Kysely<Database>, caller: string, key: string, outcome: StoredOutcome): Promise<void> {
  await db
    .insertInto('idempotency_keys')
    .values({ caller, key, fingerprint: outcome.fingerprint, status: BigInt(outcome.status), body: outcome.body, created_at: outcome.createdAt })
    .execute();
}

export async function deleteIdempotencyKey(db: Kysely<Database>, caller: string, key: string): Promise<void> {
  await db.deleteFrom('idempotency_keys').where('caller', '=', caller).where('key', '=', key).execute();
}

/** Removes every key stored before `cutoff` (an ISO instant); returns how many. */
export async function purgeIdempotencyKeys(db: Kysely<Database>, cutoff: string): Promise<number> {
  const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
