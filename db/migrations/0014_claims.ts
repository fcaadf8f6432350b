import { type Kysely, sql } from 'kysely';
import type { Engine } from '../../src/db/engine.js';

// Claims (decision 0041): a program's claim terms, each redemption's status, the reservation a claim holds on the
// beneficiary's annual usage, and per claim its figures, its evidence and the history of every decision on it.
// These tables are the current state; the ledger holds every decision as an entry.
export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const no = engine.booleanType === 'integer' ? sql`0` : sql`false`;
  await db.schema
    .alterTable('programs')
    .addColumn('claim_beneficiary_confirmation', engine.booleanType, (c) => c.notNull().defaultTo(no))
    .execute();
  await db.schema
    .alterTable('programs')
    .addColumn('claim_review', engine.booleanType, (c) => c.notNull().defaultTo(no))
    .execute();
  await db.schema
    .alterTable('programs')
    .addColumn('claim_confirmation_days', 'bigint', (c) => c.notNull().defaultTo(10))
    .execute();

  // Every redemption before claims was owed at once: approved.
  await db.schema
    .alterTable('redemptions')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('approved')
        .check(sql`status in ('approved', 'awaiting_confirmation', 'awaiting_review', 'disputed', 'returned', 'rejected', 'withdrawn', 'lapsed')`),
    )
    .execute();
  // The issuer's review queue and the sweep read claims by status.
  await db.schema.createIndex('redemptions_status').on('redemptions').columns(['status', 'ledger_seq']).where(sql.ref('status'), '<>', 'approved').execute();

  // What open claims hold of the annual caps, beside what was granted: caps count both.
  await db.schema
    .alterTable('annual_usage')
    .addColumn('reserved_fen', 'bigint', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`reserved_fen >= 0`),
    )
    .execute();

  await db.schema
    .createTable('claims')
    .addColumn('redemption_id', 'text', (c) => c.primaryKey().references('redemptions.id'))
    .addColumn('beneficiary_uscc', 'text', (c) => c.notNull())
    .addColumn('needs_confirmation', engine.booleanType, (c) => c.notNull())
    .addColumn('needs_review', engine.booleanType, (c) => c.notNull())
    .addColumn('claimed_executed_fen', 'bigint', (c) => c.notNull())
    .addColumn('reserved_at_submission_fen', 'bigint', (c) => c.notNull())
    .addColumn('reserved_fen', 'bigint', (c) => c.notNull().check(sql`reserved_fen >= 0`))
    .addColumn('paid_amount_fen', 'bigint')
    .addColumn('basis_fen', 'bigint')
    .addColumn('approved_fen', 'bigint')
    .addColumn('released_fen', 'bigint')
    .addColumn('confirmation_due_on', 'text')
    // The submission's inputs that approval recomputes the subsidy from (decision 0041).
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('year', 'bigint', (c) => c.notNull())
    .addColumn('net_executed_before_fen', 'bigint', (c) => c.notNull())
    .addColumn('annual_cap_fen', 'bigint')
    .addColumn('annual_used_before_fen', 'bigint', (c) => c.notNull())
    .addColumn('program_annual_cap_fen', 'bigint')
    .addColumn('program_used_before_fen', 'bigint', (c) => c.notNull())
    .addColumn('voucher_balance_before_fen', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('claims_due').on('claims').columns(['confirmation_due_on']).execute();

  await db.schema
    .createTable('claim_documents')
    .addColumn('redemption_id', 'text', (c) => c.notNull().references('claims.redemption_id'))
    .addColumn('party', 'text', (c) => c.notNull().check(sql`party in ('provider', 'enterprise')`))
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('claim_documents_pk', ['redemption_id', 'party', 'position'])
    .execute();

  await db.schema
    .createTable('claim_events')
    .addColumn('redemption_id', 'text', (c) => c.notNull().references('claims.redemption_id'))
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('actor_sub', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('paid_amount_fen', 'bigint')
    .addColumn('ledger_seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('claim_events_pk', ['redemption_id', 'position'])
    .execute();
  // The history is appended to, never rewritten.
  await engine.createAppendOnlyTriggers(db, 'claim_events');
}

export async function down(): Promise<void> {
  throw new Error('migrations run forward only: this migration is not reversible');
}
