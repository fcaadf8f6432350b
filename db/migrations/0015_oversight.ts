import { type Kysely, sql } from 'kysely';
import type { Engine } from '../../src/db/engine.js';

// Program periods and close, the watchlist, related-party groups, nationwide invoice numbers and spot checks
// (decision 0042). These tables are the current state; the ledger holds every decision as an entry.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema.alterTable('programs').addColumn('fiscal_year', 'bigint').execute();
  await db.schema.alterTable('programs').addColumn('closes_on', 'text').execute();
  await db.schema.alterTable('programs').addColumn('closed_on', 'text').execute();
  await db.schema.alterTable('programs').addColumn('closed_at', 'text').execute();

  // An invoice number is unique nationwide. An existing database that holds one number under two providers cannot
  // take the index: name them, so that an operator can settle it, rather than fail with the engine's message.
  const duplicates = await sql<{ invoice_number: string }>`
    select invoice_number from redemptions group by invoice_number having count(*) > 1 limit 10`.execute(db);
  if (duplicates.rows.length > 0)
    throw new Error(
      `migration 0015: invoice numbers used more than once (by different providers): ${duplicates.rows.map((r) => r.invoice_number).join(', ')}; ` +
        'decision 0042 makes an invoice number unique nationwide',
    );
  await db.schema.createIndex('redemptions_invoice_nationwide').on('redemptions').column('invoice_number').unique().execute();

  await db.schema
    .createTable('watchlist')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('uscc', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('listed_on', 'text', (c) => c.notNull())
    .addColumn('listed_at', 'text', (c) => c.notNull())
    .addColumn('listed_by', 'text', (c) => c.notNull())
    .addColumn('listed_seq', 'bigint', (c) => c.notNull())
    .addColumn('delisted_on', 'text')
    .addColumn('delisted_at', 'text')
    .addColumn('delisted_by', 'text')
    .addColumn('delist_reason', 'text')
    .addColumn('delisted_seq', 'bigint')
    .execute();
  await db.schema.createIndex('watchlist_uscc').on('watchlist').columns(['uscc', 'region']).execute();
  // One active listing per region and enterprise: the database refuses a second even under a race.
  await db.schema.createIndex('watchlist_active').on('watchlist').columns(['uscc', 'region']).unique().where(sql.ref('delisted_on'), 'is', null).execute();

  await db.schema
    .createTable('related_party_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('relation', 'text', (c) => c.notNull().check(sql`relation in ('shareholding', 'management', 'family', 'other')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('declared_at', 'text', (c) => c.notNull())
    .addColumn('declared_by', 'text', (c) => c.notNull())
    .addColumn('ledger_seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('related_party_members')
    .addColumn('group_id', 'text', (c) => c.notNull().references('related_party_groups.id'))
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('uscc', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('related_party_members_pk', ['group_id', 'position'])
    .execute();
  await db.schema.createIndex('related_party_members_uscc').on('related_party_members').columns(['uscc', 'group_id']).execute();
  // A group is a fact, declared once and never dissolved: both tables are appended to only.
  await engine.createAppendOnlyTriggers(db, 'related_party_groups');
  await engine.createAppendOnlyTriggers(db, 'related_party_members');

  await db.schema
    .createTable('spot_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('rate', 'text', (c) => c.notNull())
    .addColumn('population', 'bigint', (c) => c.notNull())
    .addColumn('drawn_on', 'text', (c) => c.notNull())
    .addColumn('drawn_at', 'text', (c) => c.notNull())
    .addColumn('drawn_by_role', 'text', (c) => c.notNull())
    .addColumn('drawn_by', 'text', (c) => c.notNull())
    .addColumn('ledger_seq', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('spot_checks_program').on('spot_checks').columns(['program_id', 'drawn_at']).execute();
  await db.schema
    .createTable('spot_check_items')
    .addColumn('spot_check_id', 'text', (c) => c.notNull().references('spot_checks.id'))
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('redemption_id', 'text', (c) => c.notNull().references('redemptions.id'))
    .addColumn('outcome', 'text', (c) => c.check(sql`outcome in ('passed', 'failed')`))
    .addColumn('reason', 'text')
    .addColumn('recorded_at', 'text')
    .addColumn('recorded_by_role', 'text')
    .addColumn('recorded_by', 'text')
    .addColumn('ledger_seq', 'bigint')
    .addPrimaryKeyConstraint('spot_check_items_pk', ['spot_check_id', 'position'])
    .execute();
  await db.schema.createIndex('spot_check_items_redemption').on('spot_check_items').columns(['spot_check_id', 'redemption_id']).unique().execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations run forward only: this migration is not reversible');
}
