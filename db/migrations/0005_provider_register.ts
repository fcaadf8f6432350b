import { type Kysely, sql } from 'kysely';
import type { Engine } from '../../src/db/engine.js';

// The provider register (decision 0018): one registration per provider and region, its append-only history,
// and the service a contract names.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('provider_registrations')
    .addColumn('uscc', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('bank_name', 'text', (c) => c.notNull())
    .addColumn('bank_account_name', 'text', (c) => c.notNull())
    .addColumn('bank_account_number', 'text', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active', 'suspended')`))
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('provider_registrations_pk', ['uscc', 'region'])
    .execute();
  // Listing a region's register scans by region.
  await db.schema.createIndex('provider_registrations_region').on('provider_registrations').columns(['region', 'uscc']).execute();

  await db.schema
    .createTable('provider_registration_history')
    .addColumn('uscc', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('registration', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('provider_registration_history_pk', ['uscc', 'region', 'version'])
    .execute();
  await engine.createAppendOnlyTriggers(db, 'provider_registration_history');

  // The registered service a contract is for (optional; a program that requires registration checks it).
  await db.schema.alterTable('contracts').addColumn('service_code', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('the ledger is append-only: its migrations are not reversible');
}
