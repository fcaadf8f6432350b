import { type Kysely, sql } from 'kysely';
import type { Engine } from '../../src/db/engine.js';
import { type Invariant, rangeInvariants } from '../../src/db/invariants.js';

/** The funders' invariants (db/invariants.ts style): both amounts are int64 fen and never below zero. */
const FUNDER_MONEY = ['confirmed_fen', 'pending_fen'];
const FUNDER_RULES: Invariant[] = [{ name: 'program_funders_amounts_non_negative', check: (c) => `${c('confirmed_fen')} >= 0 AND ${c('pending_fen')} >= 0` }];

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  // Co-funded programs: each funder region, its ratio, and its confirmed and pending money.
  await db.schema
    .createTable('program_funders')
    .addColumn('program_id', 'text', (c) => c.notNull().references('programs.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('ratio', 'text', (c) => c.notNull())
    .addColumn('confirmed_fen', 'bigint', (c) => c.notNull())
    .addColumn('pending_fen', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('program_funders_pk', ['program_id', 'position'])
    .addUniqueConstraint('program_funders_program_region', ['program_id', 'region'])
    .execute();
  await db.schema.createIndex('program_funders_region').on('program_funders').columns(['region', 'program_id']).execute();
  await engine.createInvariants(db, 'program_funders', [...rangeInvariants('program_funders', FUNDER_MONEY, engine.isInteger), ...FUNDER_RULES]);

  // Programs created before co-funding were funded wholly by their own region, in one program.funded entry:
  // one funder, ratio 1, the whole budget confirmed.
  await sql`insert into program_funders (program_id, position, region, ratio, confirmed_fen, pending_fen)
    select id, 0, region, '1', budget_fen, 0 from programs`.execute(db);

  // A program may require its vouchers' providers to be registered (read by the provider register, 0005).
  await db.schema
    .alterTable('programs')
    .addColumn('require_registered_providers', engine.booleanType, (c) => c.notNull().defaultTo(engine.booleanType === 'boolean' ? sql`false` : 0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('the ledger is append-only: its migrations are not reversible');
}
