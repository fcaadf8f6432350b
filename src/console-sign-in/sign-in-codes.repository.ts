// The only module that reads or writes console_sign_in_codes.
import type { Kysely } from 'kysely';
import type { ConsoleSignInCodeTable, Database } from '../db/schema.js';

export interface StoredSignInCode {
  codeHash: string;
  sealedToken: string;
  createdAt: string;
  expiresAt: string;
}

const toRow = (code: StoredSignInCode): ConsoleSignInCodeTable => ({
  code_hash: code.codeHash,
  sealed_token: code.sealedToken,
  created_at: code.createdAt,
  expires_at: code.expiresAt,
  used_at: null,
});

export async function insertSignInCode(db: Kysely<Database>, code: StoredSignInCode): Promise<void> {
  await db.insertInto('console_sign_in_codes').values(toRow(code)).execute();
}

/**
 * Marks the code used if it is unused and unexpired at `now`, and takes its sealed token out of the row; the
 * sealed token, or undefined when the code is unknown, used or expired. The conditional UPDATE is the decision:
 * of two concurrent claims, the database lets one change the row (PostgreSQL re-checks `used_at` after the
 * row lock; SQLite writes one at a time), and the other finds no row to change.
 */
export async function claimSignInCode(db: Kysely<Database>, codeHash: string, now: string): Promise<string | undefined> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('console_sign_in_codes')
      .set({ used_at: now })
      .where('code_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return undefined;
    const row = await trx.selectFrom('console_sign_in_codes').select('sealed_token').where('code_hash', '=', codeHash).executeTakeFirstOrThrow();
    // A used code's row keeps when it was used, not what it unlocked.
    await trx.updateTable('console_sign_in_codes').set({ sealed_token: null }).where('code_hash', '=', codeHash).execute();
    return row.sealed_token ?? undefined;
  });
}

/** Removes every code that expired before `cutoff` (an ISO instant); returns how many. */
export async function purgeSignInCodes(db: Kysely<Database>, cutoff: string): Promise<number> {
  const result = await db.deleteFrom('console_sign_in_codes').where('expires_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
