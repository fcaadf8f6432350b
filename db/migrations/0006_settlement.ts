import { type Kysely, sql } from 'kysely';
import type { Engine } from '../../src/db/engine.js';
import { type Invariant, rangeInvariants } from '../../src/db/invariants.js';

const oneOf = (column: string, values: string[]) => `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;

/** The settlement tables' own invariants (decision 0019), declared like db/invariants.ts and created by the engine adapter. */
const SETTLEMENT_INVARIANTS: { table: string; money: string[]; rules: Invariant[] }[] = [
  {
    table: 'payment_batches',
    money: ['total_fen'],
    rules: [
      { name: 'payment_batches_status', check: (c) => oneOf(c('status'), ['draft', 'approved', 'partially_paid', 'paid', 'cancelled']) },
      { name: 'payment_batches_total_non_negative', check: (c) => `${c('total_fen')} >= 0` },
      // Segregation of duties, in the schema too: the checker is never the maker.
      { name: 'payment_batches_maker_is_not_checker', check: (c) => `${c('checker')} IS NULL OR ${c('checker')} <> ${c('maker')}` },
    ],
  },
  {
    table: 'payment_lines',
    money: ['amount_fen'],
    rules: [
      { name: 'payment_lines_amount_positive', check: (c) => `${c('amount_fen')} > 0` },
      { name: 'payment_lines_status', check: (c) => oneOf(c('status'), ['pending', 'paid', 'failed', 'cancelled']) },
      {
        name: 'payment_lines_paid_has_reference',
        check: (c) => `${c('status')} <> 'paid' OR (${c('bank_reference')} IS NOT NULL AND ${c('paid_on')} IS NOT NULL AND ${c('ledger_seq')} IS NOT NULL)`,
      },
    ],
  },
  {
    table: 'payment_claims',
    money: ['amount_fen'],
    rules: [
      { name: 'payment_claims_amount_non_zero', check: (c) => `${c('amount_fen')} <> 0` },
      { name: 'payment_claims_status', check: (c) => oneOf(c('status'), ['open', 'paid', 'released']) },
      // open_redemption_id is the redemption exactly while the claim is open: the unique index below then
      // refuses a second open claim on one redemption, whatever the code above it does.
      {
        name: 'payment_claims_open_marker',
        check: (c) =>
          // Null-safe: a NULL comparison would make the whole predicate NULL, which a CHECK (and the trigger) lets pass.
          `(${c('status')} = 'open' AND ${c('open_redemption_id')} IS NOT NULL AND ${c('open_redemption_id')} = ${c('redemption_id')}) OR (${c('status')} <> 'open' AND ${c('open_redemption_id')} IS NULL)`,
      },
    ],
  },
  { table: 'recoveries', money: ['amount_fen'], rules: [{ name: 'recoveries_amount_positive', check: (c) => `${c('amount_fen')} > 0` }] },
  { table: 'recovery_items', money: ['amount_fen'], rules: [{ name: 'recovery_items_amount_positive', check: (c) => `${c('amount_fen')} > 0` }] },
];

/**
 * Payables may now run negative: a provider clawed back after it was paid owes the difference (a receivable,
 * decision 0019). Programs, vouchers and what funders disbursed still never go below zero.
 */
const BALANCE_RULE: Invariant = {
  name: 'account_balances_non_negative',
  check: (c) => `${c('account')} LIKE 'appropriation:%' OR ${c('account')} LIKE 'payable:%' OR ${c('balance_fen')} >= 0`,
};

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('payment_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('cutoff', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('maker', 'text', (c) => c.notNull())
    .addColumn('checker', 'text')
    .addColumn('funders', 'text', (c) => c.notNull())
    .addColumn('receivables', 'text', (c) => c.notNull())
    .addColumn('blocked', 'text', (c) => c.notNull())
    .addColumn('total_fen', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('approved_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('approval_seq', 'bigint', (c) => c.references('ledger_entries.seq'))
    .execute();
  await db.schema.createIndex('payment_batches_program').on('payment_batches').columns(['program_id', 'created_at']).execute();
  await db.schema.createIndex('payment_batches_region').on('payment_batches').columns(['region', 'created_at']).execute();

  await db.schema
    .createTable('payment_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('payment_batches.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('provider_uscc', 'text', (c) => c.notNull())
    .addColumn('provider_name', 'text', (c) => c.notNull())
    .addColumn('bank_name', 'text', (c) => c.notNull())
    .addColumn('account_name', 'text', (c) => c.notNull())
    .addColumn('account_number', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('shares', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('paid_on', 'text')
    .addColumn('bank_reference', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('ledger_seq', 'bigint', (c) => c.references('ledger_entries.seq'))
    .addColumn('settled_at', 'text')
    .addUniqueConstraint('payment_lines_batch_provider', ['batch_id', 'provider_uscc'])
    .execute();

  await db.schema
    .createTable('payment_claims')
    .addColumn('line_id', 'text', (c) => c.notNull().references('payment_lines.id'))
    .addColumn('batch_id', 'text', (c) => c.notNull().references('payment_batches.id'))
    .addColumn('redemption_id', 'text', (c) => c.notNull().references('redemptions.id'))
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('open_redemption_id', 'text')
    .addPrimaryKeyConstraint('payment_claims_pk', ['line_id', 'redemption_id'])
    .execute();
  // The schema's own refusal of a double claim: one open claim per redemption (NULLs, closed claims, repeat freely).
  await db.schema.createIndex('payment_claims_one_open').on('payment_claims').column('open_redemption_id').unique().execute();
  await db.schema.createIndex('payment_claims_redemption').on('payment_claims').columns(['redemption_id', 'status']).execute();

  await db.schema
    .createTable('recoveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('provider_uscc', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('bank_reference', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('ledger_seq', 'bigint', (c) => c.notNull().references('ledger_entries.seq'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('recovery_items')
    .addColumn('recovery_id', 'text', (c) => c.notNull().references('recoveries.id'))
    .addColumn('redemption_id', 'text', (c) => c.notNull().references('redemptions.id'))
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('recovery_items_pk', ['recovery_id', 'redemption_id'])
    .execute();
  await db.schema.createIndex('recovery_items_redemption').on('recovery_items').column('redemption_id').execute();
  // A recovery is money received: its record is never edited.
  await engine.createAppendOnlyTriggers(db, 'recoveries');
  await engine.createAppendOnlyTriggers(db, 'recovery_items');

  for (const { table, money, rules } of SETTLEMENT_INVARIANTS)
    await engine.createInvariants(db, table, [...rangeInvariants(table, money, engine.isInteger), ...rules]);

  // Replace the balance invariant of 0003 with the one that lets a payable become a receivable. SQLite holds a
  // table's invariants in two triggers (range included), PostgreSQL one CHECK per invariant.
  if (engine.name === 'sqlite') {
    for (const operation of ['insert', 'update']) await sql.raw(`DROP TRIGGER account_balances_invariants_on_${operation}`).execute(db);
    await engine.createInvariants(db, 'account_balances', [...rangeInvariants('account_balances', ['balance_fen'], engine.isInteger), BALANCE_RULE]);
  } else {
    await sql.raw(`ALTER TABLE account_balances DROP CONSTRAINT ${BALANCE_RULE.name}`).execute(db);
    await engine.createInvariants(db, 'account_balances', [BALANCE_RULE]);
  }
}

export async function down(): Promise<void> {
  throw new Error('the ledger is append-only: its migrations are not reversible');
}
