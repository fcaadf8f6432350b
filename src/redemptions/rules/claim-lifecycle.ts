// Which moves a claim may make from the status it is in, and where each leads (decision 0041). Pure: the use
// cases load the claim and its program's terms first. A refused move is `invalid_transition`, naming the status.
import type { ClaimTerms } from '../../programs/programs.model.js';
import { addDays } from '../../shared/dates.js';
import { DomainError } from '../../shared/errors.js';
import type { Claim, ClaimMove } from '../claims.model.js';
import type { RedemptionStatus } from '../redemptions.model.js';

export type ReviewDecision = 'approve' | 'reject' | 'return';

/** The claim's status must be one of `allowed` for it to `move`. */
export function assertClaimIn(redemption: { id: string; status: RedemptionStatus }, allowed: readonly RedemptionStatus[], move: string): void {
  if (!allowed.includes(redemption.status)) throw new DomainError('invalid_transition', `claim ${redemption.id} is ${redemption.status}: it cannot ${move}`);
}

/** A submission or resubmission: to the enterprise when it confirms, else to the bureau. */
export function submissionMove(terms: ClaimTerms, today: string, action: 'submitted' | 'resubmitted'): ClaimMove {
  return terms.beneficiaryConfirmation
    ? { status: 'awaiting_confirmation', action, confirmationDueOn: addDays(today, terms.confirmationDays) }
    : { status: 'awaiting_review', action, confirmationDueOn: null };
}

/** Whoever is due to answer a claim does so by its day, that day included; after it the sweep lapses the claim. */
export function assertInTime(redemption: { id: string }, claim: Pick<Claim, 'confirmationDueOn'>, today: string, move: string): void {
  if (claim.confirmationDueOn !== null && today > claim.confirmationDueOn)
    throw new DomainError('claim_overdue', `claim ${redemption.id} had to ${move} by ${claim.confirmationDueOn}`);
}

/** The enterprise confirms by its due day: to review, or approved at once without one. */
export function confirmationMove(redemption: { id: string; status: RedemptionStatus }, claim: Claim, today: string): ClaimMove {
  assertClaimIn(redemption, ['awaiting_confirmation'], 'be confirmed');
  assertInTime(redemption, claim, today, 'be confirmed');
  return { status: claim.needsReview ? 'awaiting_review' : 'approved', action: 'confirmed', confirmationDueOn: claim.confirmationDueOn };
}

/** The bureau's decision on a claim awaiting review; a return gives the provider `confirmationDays` to answer. */
export function reviewMove(redemption: { id: string; status: RedemptionStatus }, decision: ReviewDecision, terms: ClaimTerms, today: string): ClaimMove {
  assertClaimIn(redemption, ['awaiting_review'], 'be reviewed');
  switch (decision) {
    case 'approve':
      return { status: 'approved', action: 'approved', confirmationDueOn: null };
    case 'reject':
      return { status: 'rejected', action: 'rejected', confirmationDueOn: null };
    case 'return':
      return { status: 'returned', action: 'returned', confirmationDueOn: addDays(today, terms.confirmationDays) };
  }
}

/** Whether an open claim has missed its day: the sweep lapses it from the day after. */
export const isOverdue = (redemption: { status: RedemptionStatus }, claim: Pick<Claim, 'confirmationDueOn'>, today: string): boolean =>
  ['awaiting_confirmation', 'disputed', 'returned'].includes(redemption.status) && claim.confirmationDueOn !== null && today > claim.confirmationDueOn;
