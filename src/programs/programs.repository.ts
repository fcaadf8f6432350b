import { type Kysely, type Selectable, sql } from 'kysely';
import { firstRow, prepared } from '../db/prepared.js';
import type { Database, ProgramRow } from '../db/schema.js';
import type { ProgramFunderTable } from '../db/schema.funding.js';
import type { VoucherKind } from '../rules/policy.js';
import type { ProgramLimits } from '../rules/program-limits.js';
import type { Funder } from '../rules/split.js';
import {
  type FunderDelta,
  type FunderState,
  type HourlyMovement,
  issuanceOf,
  type IssuanceMode,
  type Program,
  PROGRAM_ACCOUNT_KINDS,
  type ProgramAccountKind,
} from './programs.model.js';

type FunderRow = Selectable<ProgramFunderTable>;

/** The limits column as stored: JSON keyed by bucket, in the policy's order, caps as fen digits. */
type StoredLimits = Record<string, { rate: string; annualCap: string | null }>;

const limitsToJson = (limits: ProgramLimits): string =>
  JSON.stringify(
    Object.fromEntries(Object.entries(limits).map(([bucket, limit]) => [bucket, { rate: limit.rate, annualCap: limit.annualCap?.toString() ?? null }])),
  );

const limitsOfJson = (json: string): ProgramLimits =>
  Object.fromEntries(
    Object.entries(JSON.parse(json) as StoredLimits).map(([bucket, limit]) => [
      bucket,
      { rate: limit.rate, annualCap: limit.annualCap === null ? null : BigInt(limit.annualCap) },
    ]),
  );

export function programToDomain(row: ProgramRow): Program {
  return {
    id: row.id,
    name: row.name,
    // Only the kinds the API accepts are ever stored.
    kind: row.kind as VoucherKind,
    region: row.region,
    policyId: row.policy_id,
    initialBudget: row.budget_fen,
    limits: limitsOfJson(row.limits),
    createdAt: row.created_at,
    createdBy: row.created_by,
    requireRegisteredProviders: row.require_registered_providers,
    applications:
      row.issuance === 'application'
        ? {
            opensOn: row.applications_open_on!,
            closesOn: row.applications_close_on!,
            noticeWorkingDays: Number(row.notice_working_days),
            contact: { office: row.notice_contact_office!, telephone: row.notice_contact_telephone! },
          }
        : null,
    claims: {
      beneficiaryConfirmation: row.claim_beneficiary_confirmation,
      review: row.claim_review,
      confirmationDays: Number(row.claim_confirmation_days),
    },
    period: row.fiscal_year === null ? null : { fiscalYear: Number(row.fiscal_year), closesOn: row.closes_on! },
    closed: row.closed_on === null ? null : { on: row.closed_on, at: row.closed_at! },
  };
}

export function programToRow(program: Program): ProgramRow {
  return {
    id: program.id,
    name: program.name,
    kind: program.kind,
    region: program.region,
    policy_id: program.policyId,
    budget_fen: program.initialBudget,
    limits: limitsToJson(program.limits),
    created_at: program.createdAt,
    created_by: program.createdBy,
    require_registered_providers: program.requireRegisteredProviders,
    issuance: issuanceOf(program),
    applications_open_on: program.applications?.opensOn ?? null,
    applications_close_on: program.applications?.closesOn ?? null,
    notice_working_days: program.applications ? BigInt(program.applications.noticeWorkingDays) : null,
    notice_contact_office: program.applications?.contact.office ?? null,
    notice_contact_telephone: program.applications?.contact.telephone ?? null,
    claim_beneficiary_confirmation: program.claims.beneficiaryConfirmation,
    claim_review: program.claims.review,
    claim_confirmation_days: BigInt(program.claims.confirmationDays),
    fiscal_year: program.period ? BigInt(program.period.fiscalYear) : null,
    closes_on: program.period?.closesOn ?? null,
    closed_on: program.closed?.on ?? null,
    closed_at: program.closed?.at ?? null,
  };
}

const funderToDomain = (row: FunderRow): FunderState => ({ region: row.region, ratio: row.ratio, confirmed: row.confirmed_fen, pending: row.pending_fen });

/** A funder's row: its place in the program's list is its position, which ties of the largest-remainder split follow. */
const funderToRow = (programId: string, funder: FunderState, position: number): FunderRow => ({
  program_id: programId,
  position: BigInt(position),
  region: funder.region,
  ratio: funder.ratio,
  confirmed_fen: funder.confirmed,
  pending_fen: funder.pending,
});

export async function insertProgram(db: Kysely<Database>, program: Program): Promise<void> {
  await db.insertInto('programs').values(programToRow(program)).execute();
}

const byId = prepared<{ id: string }, ProgramRow>((db, p) => db.selectFrom('programs').selectAll().where('id', '=', p.id));
export async function findProgramById(db: Kysely<Database>, id: string): Promise<Program | undefined> {
  const row = firstRow(await byId(db, { id }));
  return row && programToDomain(row);
}

export async function insertFunders(db: Kysely<Database>, programId: string, funders: readonly FunderState[]): Promise<void> {
  await db
    .insertInto('program_funders')
    .values(funders.map((funder, position) => funderToRow(programId, funder, position)))
    .execute();
}

/** The program's funders with their money, in the order the program listed them. */
export async function findFunderStates(db: Kysely<Database>, programId: string): Promise<FunderState[]> {
  const rows = await db.selectFrom('program_funders').selectAll().where('program_id', '=', programId).orderBy('position').execute();
  return rows.map(funderToDomain);
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
export async function adjustFunder(db: Kysely<Database>, programId: string, delta: FunderDelta): Promise<void> {
  if (delta.confirmed === 0n && delta.pending === 0n) return;
  await db
    .updateTable('program_funders')
    .set((eb) => ({ confirmed_fen: eb('confirmed_fen', '+', delta.confirmed), pending_fen: eb('pending_fen', '+', delta.pending) }))
    .where('program_id', '=', programId)
    .where('region', '=', delta.region)
    .execute();
}

/** Marks the program closed (decision 0042); the close's entry and the funders' counters move in the same transaction. */
export async function markProgramClosed(db: Kysely<Database>, id: string, closed: { on: string; at: string }): Promise<void> {
  await db.updateTable('programs').set({ closed_on: closed.on, closed_at: closed.at }).where('id', '=', id).where('closed_on', 'is', null).execute();
}

/** Programs a region still owes money to (its confirmation pending), oldest first. */
export async function findProgramsAwaiting(db: Kysely<Database>, region: string, limit: number): Promise<Program[]> {
  const rows = await db
    .selectFrom('programs')
    .innerJoin('program_funders', 'program_funders.program_id', 'programs.id')
    .selectAll('programs')
    .where('program_funders.region', '=', region)
    .where('program_funders.pending_fen', '>', 0n)
    .orderBy('programs.created_at')
    .orderBy('programs.id')
    .limit(limit)
    .execute();
  return rows.map(programToDomain);
}

/** Who a list of programs is for: an issuer's region reads the programs it funds (its own included); an auditor's range. */
export type ProgramScope = { fundedBy: string } | { regions: { from: string; to: string } };

/** A page of programs in (created_at, id) order after `after`, one row past `limit` when more follow. */
export async function listPrograms(
  db: Kysely<Database>,
  scope: ProgramScope,
  filter: { kind?: string | undefined; issuance?: IssuanceMode | undefined },
  after: [string, string] | undefined,
  limit: number,
): Promise<Program[]> {
  let query = db.selectFrom('programs').selectAll('programs');
  if (filter.issuance !== undefined) query = query.where('programs.issuance', '=', filter.issuance);
  if ('fundedBy' in scope)
    query = query.where('programs.id', 'in', (eb) =>
      eb.selectFrom('program_funders').select('program_funders.program_id').where('program_funders.region', '=', scope.fundedBy),
    );
  else query = query.where('programs.region', '>=', scope.regions.from).where('programs.region', '<=', scope.regions.to);
  if (filter.kind !== undefined) query = query.where('programs.kind', '=', filter.kind);
  if (after)
    query = query.where((eb) =>
      eb.or([eb('programs.created_at', '>', after[0]), eb.and([eb('programs.created_at', '=', after[0]), eb('programs.id', '>', after[1])])]),
    );
  const rows = await query
    .orderBy('programs.created_at')
    .orderBy('programs.id')
    .limit(limit + 1)
    .execute();
  return rows.map(programToDomain);
}

/**
 * The net movement of each kind of account, per hour, over the program's entries up to a seq: summed by the
 * database, so that a program of a million redemptions reads a few rows per hour with activity.
 */
export async function programMovementsByHour(db: Kysely<Database>, programId: string, throughSeq: number): Promise<HourlyMovement[]> {
  // Literals, not parameters: PostgreSQL matches GROUP BY to SELECT by text, and $1 is not $3.
  const kind = sql<string>`case ${sql.join(
    PROGRAM_ACCOUNT_KINDS.map((k) => sql`when p.account like ${sql.lit(`${k}:%`)} then ${sql.lit(k)}`),
    sql` `,
  )} else p.account end`;
  const rows = await db
    .selectFrom('ledger_entries as e')
    .innerJoin('ledger_postings as p', 'p.entry_seq', 'e.seq')
    .where('e.program_id', '=', programId)
    .where('e.seq', '<=', BigInt(throughSeq))
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
    if (!(PROGRAM_ACCOUNT_KINDS as readonly string[]).includes(row.account_kind))
      throw new Error(`program ${programId} posts to an unexpected account ${row.account_kind}`);
    return { hour: row.hour, accountKind: row.account_kind as ProgramAccountKind, amount: row.amount };
  });
}

/** How many entries of each type the program has, up to a seq. */
export async function programEntryCounts(db: Kysely<Database>, programId: string, throughSeq: number): Promise<{ type: string; count: number }[]> {
  const rows = await db
    .selectFrom('ledger_entries')
    .where('program_id', '=', programId)
    .where('seq', '<=', BigInt(throughSeq))
    .select(['type', sql<bigint>`count(*)`.as('count')])
    .groupBy('type')
    .orderBy('type')
    .execute();
  return rows.map((row) => ({ type: row.type, count: Number(row.count) }));
}
