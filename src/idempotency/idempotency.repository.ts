import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export async function findIdempotencyKey(db: Kysely<Database>, subject: string, key: string) {
  return db.selectFrom('idempotency_keys').selectAll().where('subject', '=', subject).where('key', '=', key).executeTakeFirst();
}

export async function saveIdempotencyKey(
  db: Kysely<Database>,
  record: { subject: string; key: string; fingerprint: string; status: number; body: string; createdAt: string },
): Promise<void> {
  await db
    .insertInto('idempotency_keys')
    .values({
      subject: record.subject,
      key: record.key,
      fingerprint: record.fingerprint,
      status: BigInt(record.status),
      body: record.body,
      created_at: record.createdAt,
    })
    .execute();
}
