import { type Kysely, sql } from 'kysely';
import type { Engine } from '../../src/db/engine.js';

// Enterprises apply for vouchers (decision 0038): a program's issuance and application round, the applications
// with their documents, the history of every decision on them, and objections to their public notice. These
// tables are the current state; the ledger holds every decision as an entry.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .alterTable('programs')
    .addColumn('issuance', 'text', (c) => c.notNull().defaultTo('direct'))
    .execute();
  for (const column of ['applications_open_on', 'applications_close_on', 'notice_contact_office', 'notice_contact_telephone'])
    await db.schema.alterTable('programs').addColumn(column, 'text').execute();
  await db.schema.alterTable('programs').addColumn('notice_working_days', 'bigint').execute();

  await db.schema
    .createTable('applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('enterprise_uscc', 'text', (c) => c.notNull())
    .addColumn('enterprise_name', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull().check(sql`amount_fen > 0`))
    .addColumn('approved_amount_fen', 'bigint')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('no_related_party_contracts', engine.booleanType, (c) => c.notNull())
    .addColumn('no_other_public_funding', engine.booleanType, (c) => c.notNull())
    .addColumn('no_dishonesty_record', engine.booleanType, (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('submitted', 'first_approved', 'approved', 'returned', 'rejected', 'on_hold', 'granted')`),
    )
    .addColumn('revision', 'bigint', (c) => c.notNull())
    .addColumn('first_reviewer', 'text')
    .addColumn('final_reviewer', 'text')
    .addColumn('notice_decided_on', 'text')
    .addColumn('notice_starts_on', 'text')
    .addColumn('notice_ends_on', 'text')
    .addColumn('notice_working_days', 'bigint')
    .addColumn('voucher_id', 'text')
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One application per enterprise and program unless it was rejected: two concurrent submissions cannot both pass.
  await sql`create unique index applications_one_per_enterprise on applications (program_id, enterprise_uscc) where status <> 'rejected'`.execute(db);
  await db.schema.createIndex('applications_region_status').on('applications').columns(['region', 'status', 'submitted_at', 'id']).execute();
  await db.schema.createIndex('applications_enterprise').on('applications').columns(['enterprise_uscc', 'submitted_at', 'id']).execute();
  await db.schema.createIndex('applications_notice').on('applications').columns(['region', 'notice_starts_on', 'id']).execute();

  await db.schema
    .createTable('application_documents')
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('application_documents_pk', ['application_id', 'position'])
    .execute();

  await db.schema
    .createTable('application_events')
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('actor_sub', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('revision', 'bigint', (c) => c.notNull())
    .addColumn('stage', 'text')
    .addColumn('decision', 'text')
    .addColumn('amount_fen', 'bigint')
    .addColumn('reason', 'text')
    .addColumn('objection_id', 'text')
    .addColumn('outcome', 'text')
    .addColumn('ledger_seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('application_events_pk', ['application_id', 'position'])
    .execute();
  // The history is appended to, never rewritten.
  await engine.createAppendOnlyTriggers(db, 'application_events');

  await db.schema
    .createTable('application_objections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'upheld', 'dismissed')`))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('received_by', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('application_objections_application').on('application_objections').columns(['application_id', 'received_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('migrations run forward only: this migration is not reversible');
}
