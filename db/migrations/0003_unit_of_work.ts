import { type Kysely, sql } from 'kysely';
import type { Engine } from '../../src/db/engine.js';
import { rangeInvariants, TABLE_INVARIANTS } from '../../src/db/invariants.js';

const GENESIS = '0'.repeat(64);

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  // The chain head in one row: writers lock it (PostgreSQL) and move it with every append, so the head is
  // read by key instead of by scanning for the highest seq.
  await db.schema
    .createTable('ledger_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into ledger_head (id, seq, hash)
    select 1, coalesce(max(seq), 0), coalesce((select hash from ledger_entries order by seq desc limit 1), ${GENESIS}) from ledger_entries`.execute(db);

  // Idempotency keys belong to the caller's whole identity (role, region or org, sub), not to `sub` alone.
  await db.schema.alterTable('idempotency_keys').renameColumn('subject', 'caller').execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();

  // A contract's net subsidy (granted minus clawed back), so that a reversal can hold the contract to
  // floor_fen(rate × net executed) whichever redemption it reverses.
  await db.schema
    .alterTable('contracts')
    .addColumn('net_subsidy_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update contracts set net_subsidy_fen =
    (select coalesce(sum(subsidy_fen - clawed_back_fen), 0) from redemptions where redemptions.contract_id = contracts.id)`.execute(db);

  for (const { table, money, rules } of TABLE_INVARIANTS)
    await engine.createInvariants(db, table, [...rangeInvariants(table, money, engine.isInteger), ...rules]);
}

export async function down(): Promise<void> {
  throw new Error('the ledger is append-only: its migrations are not reversible');
}
