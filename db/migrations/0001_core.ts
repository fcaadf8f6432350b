import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import type { Engine } from '../../src/db/engine.js';

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('ledger_entries')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull().unique())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('program_id', 'text')
    .addColumn('kind', 'text')
    .execute();
  await db.schema.createIndex('ledger_entries_region').on('ledger_entries').columns(['region', 'seq']).execute();
  await db.schema.createIndex('ledger_entries_program').on('ledger_entries').columns(['program_id', 'seq']).execute();
  await db.schema.createIndex('ledger_entries_recorded').on('ledger_entries').columns(['recorded_at']).execute();

  await db.schema
    .createTable('ledger_postings')
    .addColumn('entry_seq', 'bigint', (c) => c.notNull().references('ledger_entries.seq'))
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ledger_postings_pk', ['entry_seq', 'idx'])
    .execute();
  await db.schema.createIndex('ledger_postings_account').on('ledger_postings').columns(['account', 'entry_seq']).execute();

  await db.schema
    .createTable('account_balances')
    .addColumn('account', 'text', (c) => c.primaryKey())
    .addColumn('balance_fen', 'bigint', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('ledger_meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('ledger_meta' as never)
    .values({ key: 'ledger_id', value: randomUUID() } as never)
    .execute();

  await db.schema
    .createTable('programs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('budget_fen', 'bigint', (c) => c.notNull())
    .addColumn('limits', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('vouchers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('beneficiary_uscc', 'text', (c) => c.notNull())
    .addColumn('beneficiary_name', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('close_reason', 'text')
    .execute();
  await db.schema.createIndex('vouchers_expiry').on('vouchers').columns(['status', 'expires_on']).execute();

  await db.schema
    .createTable('contracts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider_uscc', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('beneficiary_uscc', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('autonomous', engine.booleanType)
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('signed_on', 'text', (c) => c.notNull())
    .addColumn('national_key_project', engine.booleanType, (c) => c.notNull())
    .addColumn('net_executed_fen', 'bigint', (c) => c.notNull())
    .addColumn('voucher_id', 'text', (c) => c.references('vouchers.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('contracts_provider_number', ['provider_uscc', 'number'])
    .execute();

  await db.schema
    .createTable('redemptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('voucher_id', 'text', (c) => c.notNull().references('vouchers.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('provider_uscc', 'text', (c) => c.notNull())
    .addColumn('invoice_number', 'text', (c) => c.notNull())
    .addColumn('executed_amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('executed_on', 'text', (c) => c.notNull())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('rate', 'text', (c) => c.notNull())
    .addColumn('entitlement_fen', 'bigint', (c) => c.notNull())
    .addColumn('subsidy_fen', 'bigint', (c) => c.notNull())
    .addColumn('limited_by', 'text')
    .addColumn('reversed_amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('clawed_back_fen', 'bigint', (c) => c.notNull())
    .addColumn('ledger_seq', 'bigint', (c) => c.notNull().references('ledger_entries.seq'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('redemptions_provider_invoice', ['provider_uscc', 'invoice_number'])
    .execute();

  await db.schema
    .createTable('reversals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('redemption_id', 'text', (c) => c.notNull().references('redemptions.id'))
    .addColumn('executed_amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('clawback_fen', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('ledger_seq', 'bigint', (c) => c.notNull().references('ledger_entries.seq'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('annual_usage')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('uscc', 'text', (c) => c.notNull())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('granted_fen', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('annual_usage_pk', ['scope', 'uscc', 'bucket', 'year'])
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['subject', 'key'])
    .execute();

  await engine.createAppendOnlyTriggers(db, 'ledger_entries');
  await engine.createAppendOnlyTriggers(db, 'ledger_postings');
}

export async function down(): Promise<void> {
  throw new Error('the ledger is append-only: its migrations are not reversible');
}
