import { type Kysely, sql } from 'kysely';
import type { Database, ProgramRow } from '../db/schema.js';
import type { ProgramLimits } from '../rules/program-limits.js';
import type { Funder } from '../rules/split.js';
import type { Fen } from '../shared/money.js';
import { firstRow, prepared } from '../db/prepared.js';

/** A program's limits column (JSON, caps as fen digits) as the rules read them: no service parses the column. */
export const limitsOf = (program: ProgramRow): ProgramLimits =>
  Object.fromEntries(
    Object.entries(JSON.parse(program.limits) as Record<string, { rate: string; annualCap: string | null }>).map(([bucket, limit]) => [
      bucket,
      { rate: limit.rate, annualCap: limit.annualCap === null ? null : BigInt(limit.annualCap) },
    ]),
  );

export async function insertProgram(db: Kysely<Database>, row: ProgramRow): Promise<void> {
  await db.insertInto('programs').values(row).execute();
}

const byId = prepared<{ id: string }, ProgramRow>((db, p) => db.selectFrom('programs').selectAll().where('id', '=', p.id));
export async function findProgram(db: Kysely<Database>, id: string): Promise<ProgramRow | undefined> {
  return firstRow(await byId(db, { id }));
}

/** A funder of a program with its money: confirmed (appropriated into the program) and pending its confirmation. */
export interface FunderState extends Funder {
  confirmed: Fen;
  pending: Fen;
}

export async function insertFunders(db: Kysely<Database>, programId: string, funders: readonly FunderState[]): Promise<void> {
  await db
    .insertInto('program_funders')
    .values(funders.map((f, position) => ({ program_id: programId, position: BigInt(position), region: f.region, ratio: f.ratio, confirmed_fen: f.confirmed, pending_fen: f.pending })))
    .execute();
}

/** The program's funders with their money, in the order the program listed them. */
export async function findFunderStates(db: Kysely<Database>, programId: string): Promise<FunderState[]> {
  const rows = await db.selectFrom('program_funders').selectAll().where('program_id', '=', programId).orderBy('position').execute();
  return rows.map((row) => ({ region: row.region, ratio: row.ratio, confirmed: row.confirmed_fen, pending: row.pending_fen }));
}

/** The program's funders (region and ratio) in listed order: what every split of its money follows. */
export async function findProgramFunders(db: Kysely<Database>, programId: string): Promise<Funder[]> {
  return (await findFunderStates(db, programId)).map(({ region, ratio }) => ({ region, ratio }));
}

export async function isProgramFunder(db: Kysely<Database>, programId: string, region: string): Promise<boolean> {
  const row = await db.selectFrom('program_funders').select('region').where('program_id', '=', programId).where('region', '=', region).executeTakeFirst();
  return row !== undefined;
}

/** Moves a funder's counters by deltas (never overwritten, so that the invariants see every step). */
export async function adjustFunder(db: Kysely<Database>, programId: string, region: string, delta: { confirmed: Fen; pending: Fen }): Promise<void> {
  if (delta.confirmed === 0n && delta.pending === 0n) return;
  await db
    .updateTable('program_funders')
    .set((eb) => ({ confirmed_fen: eb('confirmed_fen', '+', delta.confirmed), pending_fen: eb('pending_fen', '+', delta.pending) }))
    .where('program_id', '=', programId)
    .where('region', '=', region)
    .execute();
}

/** Programs a region still owes money to (its confirmation pending), oldest first. */
export async function findProgramsAwaiting(db: Kysely<Database>, region: string, limit: number): Promise<ProgramRow[]> {
  return db
    .selectFrom('programs')
    .innerJoin('program_funders', 'program_funders.program_id', 'programs.id')
    .selectAll('programs')
    .where('program_funders.region', '=', region)
    .where('program_funders.pending_fen', '>', 0n)
    .orderBy('programs.created_at')
    .orderBy('programs.id')
    .limit(limit)
    .execute();
}

/** Who a list of programs is for: an issuer's region reads the programs it funds (its own included); an auditor's range. */
export type ProgramScope = { fundedBy: string } | { regions: { from: string; to: string } };

/** A page of programs in (created_at, id) order after `after`, one row past `limit` when more follow. */
export async function listPrograms(
  db: Kysely<Database>,
  scope: ProgramScope,
  filter: { kind?: string | undefined },
  after: [string, string] | undefined,
  limit: number,
): Promise<ProgramRow[]> {
  let query = db.selectFrom('programs').selectAll('programs');
  if ('fundedBy' in scope)
    query = query.where('programs.id', 'in', (eb) => eb.selectFrom('program_funders').select('program_funders.program_id').where('program_funders.region', '=', scope.fundedBy));
  else query = query.where('programs.region', '>=', scope.regions.from).where('programs.region', '<=', scope.regions.to);
  if (filter.kind !== undefined) query = query.where('programs.kind', '=', filter.kind);
  if (after)
    query = query.where((eb) => eb.or([eb('programs.created_at', '>', after[0]), eb.and([eb('programs.created_at', '=', after[0]), eb('programs.id', '>', after[1])])]));
  return query.orderBy('programs.created_at').orderBy('programs.id').limit(limit + 1).execute();
}

/** The kinds of account a program's entries post to; `appropriation` is the funders' side of `funded`. */
export const PROGRAM_ACCOUNT_KINDS = ['appropriation', 'program', 'voucher', 'payable', 'disbursed'] as const;
export type ProgramAccountKind = (typeof PROGRAM_ACCOUNT_KINDS)[number];

export interface HourlyMovement {
  /** The UTC hour, `YYYY-MM-DDTHH` (an hour never straddles two Asia/Shanghai days). */
  hour: string;
  accountKind: ProgramAccountKind;
  amount: Fen;
}

/**
 * The net movement of each kind of account, per hour, over the program's entries up to a seq: summed by the
 * database, so that a program of a million redemptions reads a few rows per hour with activity.
 */
export async function programMovementsByHour(db: Kysely<Database>, programId: string, throughSeq: bigint): Promise<HourlyMovement[]> {
  // Literals, not parameters: PostgreSQL matches GROUP BY to SELECT by text, and $1 is not $3.
  const kind = sql<string>`case ${sql.join(
    PROGRAM_ACCOUNT_KINDS.map((k) => sql`when p.account like ${sql.lit(`${k}:%`)} then ${sql.lit(k)}`),
    sql` `,
  )} else p.account end`;
  const rows = await db
    .selectFrom('ledger_entries as e')
    .innerJoin('ledger_postings as p', 'p.entry_seq', 'e.seq')
    .where('e.program_id', '=', programId)
    .where('e.seq', '<=', throughSeq)
    .select([
      sql<string>`substr(e.recorded_at, 1, 13)`.as('hour'),
      kind.as('account_kind'),
      // sum() of int8 is numeric on PostgreSQL: cast back so that it arrives as a bigint on both engines.
      sql<bigint>`cast(sum(p.amount_fen) as bigint)`.as('amount'),
    ])
    .groupBy([sql`substr(e.recorded_at, 1, 13)`, kind])
    .orderBy(sql`substr(e.recorded_at, 1, 13)`)
    .execute();
  return rows.map((row) => {
    if (!(PROGRAM_ACCOUNT_KINDS as readonly string[]).includes(row.account_kind)) throw new Error(`program ${programId} posts to an unexpected account ${row.account_kind}`);
    return { hour: row.hour, accountKind: row.account_kind as ProgramAccountKind, amount: row.amount };
  });
}

/** How many entries of each type the program has, up to a seq. */
export async function programEntryCounts(db: Kysely<Database>, programId: string, throughSeq: bigint): Promise<{ type: string; count: number }[]> {
  const rows = await db
    .selectFrom('ledger_entries')
    .where('program_id', '=', programId)
    .where('seq', '<=', throughSeq)
    .select(['type', sql<bigint>`count(*)`.as('count')])
    .groupBy('type')
    .orderBy('type')
    .execute();
  return rows.map((row) => ({ type: row.type, count: Number(row.count) }));
}
