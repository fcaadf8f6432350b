// A change of a program's budget (decision 0017), split across its funders by ratio as every movement of its
// money is. An increase posts the issuer's share at once and leaves the others pending their confirmation; a
// decrease first cancels what each funder still owes, and returns the rest of its part to it.
import { splitByRatio } from '../../rules/split.js';
import { DomainError } from '../../shared/errors.js';
import { type Fen, formatFen, minFen } from '../../shared/money.js';
import type { FunderDelta, FunderState } from '../programs.model.js';
import type { BudgetDirection, FundingStatus } from '../programs.schemas.js';

export interface BudgetChangeRequest {
  /** The program's own (issuing) region. */
  ownRegion: string;
  direction: BudgetDirection;
  amount: Fen;
  /** The program account's balance: what a decrease may take back. */
  available: Fen;
  /** The program's funders now, in their listed order. */
  funders: readonly FunderState[];
}

export interface IncreaseShare {
  region: string;
  ratio: string;
  amount: Fen;
  /** confirmed for the issuer's own share, posted at once; pending for every other funder's. */
  status: FundingStatus;
}

export interface DecreaseShare {
  region: string;
  ratio: string;
  amount: Fen;
  pendingBefore: Fen;
  /** What the funder still owed and now never will: min(its part, its pending). */
  cancelled: Fen;
  /** The rest of its part, returned from the program to its appropriation account. */
  returned: Fen;
}

export interface BudgetIncrease {
  direction: 'increase';
  shares: IncreaseShare[];
  /** The issuer's own share, appropriated now. */
  appropriated: Fen;
}

export interface BudgetDecrease {
  direction: 'decrease';
  shares: DecreaseShare[];
  /** What the program returns to its funders in all. */
  returned: Fen;
}

export type BudgetChangePlan = BudgetIncrease | BudgetDecrease;

/** Each funder's part of the change. Refuses `insufficient_budget` for a decrease beyond what the program has available. */
export function planBudgetChange(request: BudgetChangeRequest): BudgetChangePlan {
  const { funders, ownRegion } = request;
  const split = splitByRatio(request.amount, funders);
  if (request.direction === 'increase') {
    const shares = split.map((share, i): IncreaseShare => ({
      region: share.region,
      ratio: funders[i]!.ratio,
      amount: share.amount,
      status: share.region === ownRegion ? 'confirmed' : 'pending',
    }));
    return { direction: 'increase', shares, appropriated: split.find((share) => share.region === ownRegion)!.amount };
  }
  if (request.amount > request.available)
    throw new DomainError(
      'insufficient_budget',
      `the program has ${formatFen(request.available)} available, less than the decrease of ${formatFen(request.amount)}`,
    );
  const shares = split.map((share, i): DecreaseShare => {
    const pendingBefore = funders[i]!.pending;
    const cancelled = minFen(share.amount, pendingBefore);
    return { region: share.region, ratio: funders[i]!.ratio, amount: share.amount, pendingBefore, cancelled, returned: share.amount - cancelled };
  });
  return { direction: 'decrease', shares, returned: shares.reduce((sum, share) => sum + share.returned, 0n) };
}

/** What the change moves of each funder's counters, in the funders' order. */
export function funderDeltas(plan: BudgetChangePlan): FunderDelta[] {
  if (plan.direction === 'increase')
    return plan.shares.map((share) =>
      share.status === 'confirmed'
        ? { region: share.region, confirmed: share.amount, pending: 0n }
        : { region: share.region, confirmed: 0n, pending: share.amount },
    );
  return plan.shares.map((share) => ({ region: share.region, confirmed: -share.returned, pending: -share.cancelled }));
}
