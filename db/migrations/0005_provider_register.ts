import type { Kysely } from 'kysely';
import type { Engine } from '../../src/db/engine.js';

export async function up(_db: Kysely<unknown>, _engine: Engine): Promise<void> {}

export async function down(): Promise<void> {
  throw new Error('the ledger is append-only: its migrations are not reversible');
}
