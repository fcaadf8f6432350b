// A recovery (decision 0020): money a provider paid back in a program settles the redemptions it owes on, oldest
// execution first, each never beyond what it owes; it is returned to the funders by the same largest-remainder
// split as a payment (each gets its ratio of the money, not necessarily to the fen what it paid out).
import { type Funder, type Share, splitByRatio } from '../../rules/split.js';
import { DomainError } from '../../shared/errors.js';
import { type Fen, formatFen } from '../../shared/money.js';
import type { RecoveryItem, RedemptionClaim } from '../settlement.model.js';

export interface RecoveryRequest {
  programId: string;
  providerUscc: string;
  /** What the provider paid back, in fen (> 0). */
  amount: Fen;
  /** The provider's redemptions in the program with their standing, oldest execution first. */
  claims: readonly RedemptionClaim[];
  /** The program's funders now, in their listed order. */
  funders: readonly Funder[];
}

export interface RecoveryAllocation {
  /** What the provider owed back before, on the redemptions a recovery may settle. */
  owedBefore: Fen;
  /** One item per redemption the amount settles, in the order settled. */
  items: RecoveryItem[];
  /** The amount split across the funders. */
  shares: Share[];
  owedAfter: Fen;
}

/**
 * Allocates a recovery to what the provider owes back: redemptions with a negative outstanding amount that are in
 * no open batch (a pending line sets those off itself). Refuses `exceeds_receivable` beyond their sum.
 */
export function allocateRecovery(request: RecoveryRequest): RecoveryAllocation {
  const owing = request.claims.filter((claim) => claim.outstanding < 0n && claim.openBatchId === null);
  const owedBefore = owing.reduce((sum, claim) => sum - claim.outstanding, 0n);
  if (request.amount > owedBefore)
    throw new DomainError(
      'exceeds_receivable',
      `provider ${request.providerUscc} owes ${formatFen(owedBefore)} in program ${request.programId}; ${formatFen(request.amount)} is more`,
      { field: 'amount' },
    );
  let left = request.amount;
  const items: RecoveryItem[] = [];
  for (const claim of owing) {
    if (left === 0n) break;
    const owed = -claim.outstanding;
    const amount = owed < left ? owed : left;
    items.push({ redemptionId: claim.redemptionId, owedBefore: owed, amount });
    left -= amount;
  }
  return { owedBefore, items, shares: splitByRatio(request.amount, request.funders), owedAfter: owedBefore - request.amount };
}
