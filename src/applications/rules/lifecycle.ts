// The moves an application may make (decision 0038), as pure decisions on its current state: the use cases load
// the application and its objections, ask here, and record what comes back. Any other move is refused with
// `invalid_transition`, naming the status the application is in.
import { DomainError } from '../../shared/errors.js';
import { type Fen, formatFen } from '../../shared/money.js';
import type { Application, ApplicationStatus, Declarations, Notice, Objection, ObjectionOutcome, ReviewDecision, ReviewStage } from '../applications.model.js';

const invalidTransition = (application: Application, move: string) =>
  new DomainError('invalid_transition', `application ${application.id} is ${application.status}: it cannot ${move}`);

/** Each declaration must be made (true); the first one missing is named. */
export function assertDeclared(declarations: Declarations): void {
  for (const [field, made] of Object.entries(declarations))
    if (made !== true) throw new DomainError('declaration_required', `the enterprise must declare ${field} to apply`, { field: `declarations.${field}` });
}

/** An application is taken from the day its program's window opens through the day it closes (Asia/Shanghai). */
export function assertWindowOpen(window: { opensOn: string; closesOn: string }, today: string): void {
  if (today < window.opensOn || today > window.closesOn)
    throw new DomainError('application_window_closed', `the program takes applications from ${window.opensOn} to ${window.closesOn}; today is ${today}`);
}

/** A returned application may be corrected and sent again; the window it was first submitted in still counts. */
export function assertResubmittable(application: Application): void {
  if (application.status !== 'returned') throw invalidTransition(application, 'be resubmitted (only a returned application can)');
}

export interface Review {
  stage: ReviewStage;
  decision: ReviewDecision;
  /** The approved amount of a final approval; the requested amount when absent. */
  amount?: Fen | undefined;
  reason: string;
  /** The revision the reviewer read, when the client says. */
  revision?: number | undefined;
}

/** What a review changes: the new status, who approved at each stage, and the approved amount of a final approval. */
export interface ReviewOutcome {
  status: ApplicationStatus;
  firstReviewer: string | null;
  finalReviewer: string | null;
  approvedAmount: Fen | null;
}

const STAGE_STATUS: Record<ReviewStage, ApplicationStatus> = { first: 'submitted', final: 'first_approved' };

/**
 * A first review acts on a submitted application, a final review on a first-approved one. The final approver
 * must not be the first (four eyes); a final approval may approve less than requested, never more, and no
 * amount is given at any other step.
 */
export function decideReview(application: Application, review: Review, reviewer: string): ReviewOutcome {
  if (review.revision !== undefined && review.revision !== application.revision)
    throw new DomainError(
      'stale_revision',
      `the review is of revision ${review.revision}, but the enterprise has since resubmitted revision ${application.revision}`,
      {
        field: 'revision',
      },
    );
  if (application.status !== STAGE_STATUS[review.stage]) throw invalidTransition(application, `take a ${review.stage} review`);
  const finalApproval = review.stage === 'final' && review.decision === 'approve';
  if (review.amount !== undefined && !finalApproval) throw DomainError.validation([{ field: 'amount', message: 'is given only with a final approval' }]);
  if (review.stage === 'final' && reviewer === application.firstReviewer)
    throw new DomainError('four_eyes', `${reviewer} approved this application at the first stage; another officer must take the final review`);
  if (review.decision === 'return') return { status: 'returned', firstReviewer: null, finalReviewer: null, approvedAmount: null };
  if (review.decision === 'reject') return { status: 'rejected', firstReviewer: application.firstReviewer, finalReviewer: null, approvedAmount: null };
  if (review.stage === 'first') return { status: 'first_approved', firstReviewer: reviewer, finalReviewer: null, approvedAmount: null };
  const approved = review.amount ?? application.amount;
  if (approved > application.amount)
    throw new DomainError('amount_above_requested', `the approved amount ${formatFen(approved)} is above the ${formatFen(application.amount)} requested`, {
      field: 'amount',
    });
  return { status: 'approved', firstReviewer: application.firstReviewer, finalReviewer: reviewer, approvedAmount: approved };
}

/** An objection is received while the application is approved and not yet granted, in its notice or after it. */
export function assertObjectionReceivable(application: Application): void {
  if (application.status !== 'approved' && application.status !== 'on_hold') throw invalidTransition(application, 'receive an objection');
}

/**
 * Resolving an open objection: upheld rejects the application; dismissed returns it to its notice unless
 * another objection is still open.
 */
export function decideResolution(application: Application, objection: Objection, others: readonly Objection[], outcome: ObjectionOutcome): ApplicationStatus {
  if (objection.status !== 'open') throw new DomainError('objection_resolved', `objection ${objection.id} was already ${objection.status}`);
  if (application.status !== 'on_hold') throw invalidTransition(application, 'resolve an objection');
  if (outcome === 'upheld') return 'rejected';
  return others.some((other) => other.id !== objection.id && other.status === 'open') ? 'on_hold' : 'approved';
}

/** A voucher is granted once the notice has ended (the day after its last day) with no objection open. */
export function assertGrantable(application: Application, today: string): Notice & { amount: Fen } {
  if (application.status === 'on_hold')
    throw new DomainError('objection_open', `an objection to application ${application.id} is open: resolve it before granting`);
  if (application.status !== 'approved' || !application.notice || application.approvedAmount === null) throw invalidTransition(application, 'be granted');
  if (today <= application.notice.endsOn)
    throw new DomainError('notice_open', `the public notice runs ${application.notice.startsOn} to ${application.notice.endsOn}; grant from the next day`);
  return { ...application.notice, amount: application.approvedAmount };
}
