import type { Kysely } from 'kysely';

// Webhooks (decision 0044): one attempt at a time per subscription. Before a delivery is leased, no other delivery
// of its subscription may hold a lease (a redelivered older one would otherwise be posted beside the one in
// flight); this index answers that per subscription without reading its backlog of pending deliveries.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('webhook_deliveries_lease').on('webhook_deliveries').columns(['subscription_id', 'leased_until']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations run forward only: this migration is not reversible');
}
