import { type Kysely, sql } from 'kysely';
import type { Engine } from '../../src/db/engine.js';

// Webhooks (decision 0044): subscriptions, the outbox of events and one delivery per event and subscription.
// Operational state, like Idempotency-Keys: not money, not the ledger. Events are written in the transaction of the
// entry they come from and name its seq and hash.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_kind', 'text', (c) => c.notNull().check(sql`owner_kind in ('issuer', 'provider', 'enterprise')`))
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'disabled')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('disabled_at', 'text')
    .addColumn('disabled_by', 'text')
    .execute();
  await db.schema.createIndex('webhook_subscriptions_owner').on('webhook_subscriptions').columns(['owner_kind', 'owner', 'status']).execute();

  await db.schema
    .createTable('webhook_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    // The entry it came from; null for voucher.expiring, which the calendar makes, not an entry.
    .addColumn('seq', 'bigint')
    .addColumn('entry_hash', 'text')
    // The payload exactly as signed and sent: {type, timestamp, data}.
    .addColumn('payload', 'text', (c) => c.notNull())
    // Makes an event once only where it has no entry of its own (voucher.expiring:<voucherId>:<days>).
    .addColumn('dedupe_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_events_dedupe').on('webhook_events').column('dedupe_key').unique().execute();

  await db.schema
    .createTable('webhook_deliveries')
    // The order of a subscription's deliveries: rows are inserted under the ledger lock, so in commit order.
    .addColumn('position', engine.serialType, (c) => (engine.serialType === 'integer' ? c.primaryKey().autoIncrement() : c.primaryKey()))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('subscription_id', 'text', (c) => c.notNull().references('webhook_subscriptions.id'))
    .addColumn('event_id', 'text', (c) => c.notNull().references('webhook_events.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'delivered', 'failed', 'cancelled')`))
    .addColumn('attempts', 'bigint', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text')
    .addColumn('leased_until', 'text')
    .addColumn('lease_token', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('last_status', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhook_deliveries_queue').on('webhook_deliveries').columns(['subscription_id', 'status', 'position']).execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations run forward only: this migration is not reversible');
}
