import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { AppError } from '../http/errors.js';
import type { Clock } from '../shared/clock.js';
import { findIdempotencyKey, saveIdempotencyKey } from './idempotency.repository.js';

/** An Idempotency-Key as the caller sent it, scoped to the token's `sub`, with a fingerprint of the request. */
export interface IdempotencyRequest {
  subject: string;
  key: string;
  fingerprint: string;
}

export interface CommandResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/**
 * Runs a write in one transaction. With an Idempotency-Key the stored outcome is replayed instead, and the
 * outcome of a first run is stored in the same transaction as its writes: both commit or neither does.
 * Failures are not stored, so a corrected retry with the same key can still succeed.
 */
export async function runCommand<T>(
  db: Kysely<Database>,
  clock: Clock,
  idempotency: IdempotencyRequest | undefined,
  status: number,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<CommandResult<T>> {
  return db.transaction().execute(async (trx) => {
    if (idempotency) {
      const prior = await findIdempotencyKey(trx, idempotency.subject, idempotency.key);
      if (prior && prior.fingerprint !== idempotency.fingerprint)
        throw new AppError(409, 'idempotency_conflict', 'this Idempotency-Key was already used with a different request', { field: 'Idempotency-Key' });
      if (prior) return { status: Number(prior.status), body: JSON.parse(prior.body) as T, replayed: true };
    }
    const body = await work(trx);
    if (idempotency)
      await saveIdempotencyKey(trx, { ...idempotency, status, body: JSON.stringify(body), createdAt: clock.now().toISOString() });
    return { status, body, replayed: false };
  });
}
