import type { Kysely } from 'kysely';

// Webhooks (decision 0047): a subscription's secret rotates without downtime. The secret it replaced keeps signing
// beside the new one until `previous_secret_expires_at` (24 hours after `secret_rotated_at`); null when never
// rotated. One column per statement: SQLite adds a single column per ALTER TABLE.
// The retention sweep asks of each old event whether a delivery still names it: an index on event_id answers that
// without reading every delivery once per event.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhook_subscriptions').addColumn('previous_secret', 'text').execute();
  await db.schema.alterTable('webhook_subscriptions').addColumn('previous_secret_expires_at', 'text').execute();
  await db.schema.alterTable('webhook_subscriptions').addColumn('secret_rotated_at', 'text').execute();
  await db.schema.createIndex('webhook_deliveries_event').on('webhook_deliveries').column('event_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations run forward only: this migration is not reversible');
}
