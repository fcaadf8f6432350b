import type { Kysely } from 'kysely';

// GET /v1/ledger filters by entry type (an auditor's "every payment.disbursed"): read in seq order from an
// index, so a page of a rare type does not scan the whole ledger.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('ledger_entries_type').on('ledger_entries').columns(['type', 'seq']).execute();
}

export async function down(): Promise<void> {
  throw new Error('the ledger is append-only: its migrations are not reversible');
}
