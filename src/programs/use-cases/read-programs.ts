// Reading programs: one, a page, those a region has still to confirm, and where a program's money is.
import type { Kysely } from 'kysely';
import type { Actor, ActorOf } from '../../auth/actor.js';
import type { Database } from '../../db/schema.js';
import { accountBalance, ledgerHead } from '../../ledger/ledger.repository.js';
import { accounts } from '../../ledger/ledger.types.js';
import { decodeCursor, type Page, pageOf } from '../../shared/pagination.js';
import { coveredRange } from '../../shared/region.js';
import type { Program } from '../programs.model.js';
import { findFunderStates, findProgramsAwaiting, listPrograms, programEntryCounts, programMovementsByHour } from '../programs.repository.js';
import type { ListProgramsQuery, ProgramBalancesView, ProgramView } from '../programs.schemas.js';
import { programView } from '../programs.views.js';
import { balancesOverTime } from '../rules/balances-over-time.js';
import type { ProgramDeps } from './dependencies.js';
import { readableProgram } from './program-access.js';

/** At most this many programs in one answer: a region co-funds few programs at a time. */
const AWAITING_LIMIT = 500;

/** The program as it stands now: its funders' shares and its account's balance. */
export async function currentProgramView(db: Kysely<Database>, program: Program): Promise<ProgramView> {
  const funders = await findFunderStates(db, program.id);
  return programView(program, funders, await accountBalance(db, accounts.program(program.id)));
}

export async function getProgramView(deps: Pick<ProgramDeps, 'db'>, id: string, actor: Actor): Promise<ProgramView> {
  return currentProgramView(deps.db, await readableProgram(deps.db, id, actor));
}

/** Where the program's money is, now and at the end of each day it moved, summed from the ledger's postings. */
export async function programBalances(deps: Pick<ProgramDeps, 'db'>, id: string, actor: Actor): Promise<ProgramBalancesView> {
  const program = await readableProgram(deps.db, id, actor);
  // The ledger is append-only: everything up to the head read first is a consistent snapshot.
  const throughSeq = Number((await ledgerHead(deps.db)).seq);
  const [movements, entryCounts] = await Promise.all([
    programMovementsByHour(deps.db, program.id, throughSeq),
    programEntryCounts(deps.db, program.id, throughSeq),
  ]);
  return { programId: program.id, throughSeq, entryCounts, ...balancesOverTime(movements) };
}

/** A page of the programs an issuer's region funds (its own and those it co-funds), or those an auditor covers. */
export async function listProgramViews(
  deps: Pick<ProgramDeps, 'db'>,
  query: ListProgramsQuery,
  actor: ActorOf<'issuer' | 'auditor'>,
): Promise<Page<ProgramView>> {
  const after = decodeCursor<[string, string]>('programs', query.cursor, 2);
  const scope = actor.role === 'issuer' ? { fundedBy: actor.region } : { regions: coveredRange(actor.region) };
  const programs = await listPrograms(deps.db, scope, { kind: query.kind }, after, query.limit);
  return pageOf(
    programs,
    query.limit,
    'programs',
    (program) => [program.createdAt, program.id],
    (kept) => Promise.all(kept.map((program) => currentProgramView(deps.db, program))),
  );
}

/** What an issuer's region still has to confirm: the programs it co-funds and owes money to. */
export async function programsAwaitingConfirmation(
  deps: Pick<ProgramDeps, 'db'>,
  actor: ActorOf<'issuer'>,
): Promise<{ region: string; programs: ProgramView[] }> {
  const programs = await findProgramsAwaiting(deps.db, actor.region, AWAITING_LIMIT);
  return { region: actor.region, programs: await Promise.all(programs.map((program) => currentProgramView(deps.db, program))) };
}
