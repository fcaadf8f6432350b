import type { Kysely } from 'kysely';
import type { Engine } from '../../src/db/engine.js';

// The head row was the one ledger table that plain SQL could delete or move backwards, and the server would then
// chain new entries to a head that is not the last entry. Now the schema keeps it the last entry (decision 0031).
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await engine.createLedgerHeadGuard(db);
}

export async function down(): Promise<void> {
  throw new Error('the ledger is append-only: its migrations are not reversible');
}
