// The programs' use cases (decision 0017), one module each under use-cases/; this only wires them to the
// process's dependencies for the routes.
import type { Actor, ActorOf } from '../auth/actor.js';
import type { Deps } from '../deps.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type { BudgetChangeInput, CreateProgramInput, ListProgramsQuery } from './programs.schemas.js';
import { changeBudget } from './use-cases/change-budget.js';
import { confirmFunding } from './use-cases/confirm-funding.js';
import { closeProgram, closingPreview } from './use-cases/close-program.js';
import { createProgram } from './use-cases/create-program.js';
import type { Issuer } from './use-cases/dependencies.js';
import { getProgramView, listProgramViews, programBalances, programsAwaitingConfirmation } from './use-cases/read-programs.js';

export function createProgramService(deps: Deps) {
  return {
    create: (input: CreateProgramInput, ctx: CommandContext<Issuer>) => createProgram(deps, input, ctx),
    get: (id: string, actor: Actor) => getProgramView(deps, id, actor),
    /** Where the program's money is, now and at the end of each day it moved, summed from the ledger's postings. */
    balances: (id: string, actor: Actor) => programBalances(deps, id, actor),
    /** A page of the programs an issuer's region funds (its own and those it co-funds), or those an auditor covers. */
    list: (query: ListProgramsQuery, actor: ActorOf<'issuer' | 'auditor'>) => listProgramViews(deps, query, actor),
    /** What an issuer's region still has to confirm: the programs it co-funds and owes money to. */
    awaitingConfirmation: (actor: ActorOf<'issuer'>) => programsAwaitingConfirmation(deps, actor),
    /** A funder region's issuer appropriates everything it owes the program, in one program.funded entry. */
    confirmFunding: (id: string, region: string, ctx: CommandContext<Issuer>) => confirmFunding(deps, id, region, ctx),
    changeBudget: (id: string, input: BudgetChangeInput, ctx: CommandContext<Issuer>) => changeBudget(deps, id, input, ctx),
    /** What a close would return now, and whether it may close today (decision 0042). */
    closing: (id: string, actor: Actor) => closingPreview(deps, id, actor),
    close: (id: string, ctx: CommandContext<Issuer>) => closeProgram(deps, id, ctx),
  };
}
