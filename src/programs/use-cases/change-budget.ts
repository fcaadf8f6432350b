// An issuer raises or lowers its program's budget, split across the funders by ratio (decision 0017).
import { accountBalance } from '../../ledger/ledger.repository.js';
import { accounts } from '../../ledger/ledger.types.js';
import { formatFen } from '../../shared/money.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { budgetChangedEntry } from '../programs.entries.js';
import { adjustFunder, findFunderStates } from '../programs.repository.js';
import type { BudgetChangeInput, BudgetChangeView } from '../programs.schemas.js';
import { budgetSharesView } from '../programs.views.js';
import { funderDeltas, planBudgetChange } from '../rules/budget-change.js';
import { assertProgramOpen } from '../rules/close.js';
import type { Issuer, ProgramDeps } from './dependencies.js';
import { ownProgram } from './program-access.js';
import { currentProgramView } from './read-programs.js';

/**
 * An increase is split by ratio: the issuer's share posted at once, the others pending. A decrease is split
 * by ratio too; each funder's part first cancels what it still owes, and the rest is returned to it.
 */
export async function changeBudget(deps: ProgramDeps, id: string, input: BudgetChangeInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    authorize: (trx) => ownProgram(trx, id, ctx.actor),
    execute: async (trx, program): Promise<BudgetChangeView> => {
      // A closed program's budget is settled: money a reversal brings back after the close goes back by closing it
      // again, weighted as the close was (decision 0042).
      assertProgramOpen(program);
      const funders = await findFunderStates(trx, program.id);
      const available = await accountBalance(trx, accounts.program(program.id));
      const plan = planBudgetChange({ ownRegion: program.region, direction: input.direction, amount: input.amount, available, funders });

      const change = { amount: input.amount, reason: input.reason, availableBefore: available, plan };
      const entry = await deps.ledger.append(trx, budgetChangedEntry(program, change, ctx.actor), deps.clock.now());
      for (const delta of funderDeltas(plan)) await adjustFunder(trx, program.id, delta);
      return {
        programId: program.id,
        direction: input.direction,
        amount: formatFen(input.amount),
        reason: input.reason,
        shares: budgetSharesView(plan),
        ledgerSeq: entry.seq,
        program: await currentProgramView(trx, program),
      };
    },
  });
}
