// An enterprise's application for a voucher as the use cases and the rules see it (decision 0038): money in fen,
// its status a union, its notice and reviewers once decided. The repository maps it to and from its rows.
import type { VoucherKind } from '../rules/policy.js';
import type { Fen } from '../shared/money.js';

/**
 * submitted → first_approved → approved (in its public notice) → granted; a review may return it (the
 * enterprise resubmits, and review starts again) or reject it; an objection puts an approved one on hold until
 * it is resolved: upheld rejects it, dismissed returns it to its notice.
 */
export const APPLICATION_STATUSES = ['submitted', 'first_approved', 'approved', 'returned', 'rejected', 'on_hold', 'granted'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const REVIEW_STAGES = ['first', 'final'] as const;
export type ReviewStage = (typeof REVIEW_STAGES)[number];
export const REVIEW_DECISIONS = ['approve', 'return', 'reject'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
export const OBJECTION_OUTCOMES = ['upheld', 'dismissed'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];

/** The three things an enterprise declares on applying; each must be true (clause 19 of the measures). */
export interface Declarations {
  noRelatedPartyContracts: boolean;
  noOtherPublicFunding: boolean;
  noDishonestyRecord: boolean;
}

/** The public notice (公示) an approval opens: decided on one day, running `workingDays` working days from the next. */
export interface Notice {
  decidedOn: string;
  startsOn: string;
  endsOn: string;
  workingDays: number;
}

export interface Application {
  id: string;
  programId: string;
  region: string;
  kind: VoucherKind;
  enterprise: { uscc: string; name: string };
  /** Requested. */
  amount: Fen;
  /** What the final review approved (at most `amount`); null before. */
  approvedAmount: Fen | null;
  purpose: string;
  declarations: Declarations;
  /** SHA-256 of each document, in the order the enterprise listed them. */
  documents: string[];
  status: ApplicationStatus;
  revision: number;
  /** Who approved the current revision at each stage. */
  firstReviewer: string | null;
  finalReviewer: string | null;
  notice: Notice | null;
  voucherId: string | null;
  submittedAt: string;
  updatedAt: string;
}

export const APPLICATION_ACTIONS = ['submitted', 'resubmitted', 'reviewed', 'notice_opened', 'objection_recorded', 'objection_resolved', 'granted'] as const;
export type ApplicationAction = (typeof APPLICATION_ACTIONS)[number];

/** One step of an application's history: who did what, when and why, and the ledger entry that records it. */
export interface ApplicationEvent {
  at: string;
  by: { role: string; sub: string };
  action: ApplicationAction;
  revision: number;
  stage: ReviewStage | null;
  decision: ReviewDecision | null;
  amount: Fen | null;
  reason: string | null;
  objectionId: string | null;
  outcome: ObjectionOutcome | null;
  ledgerSeq: number;
}

export const OBJECTION_STATUSES = ['open', 'upheld', 'dismissed'] as const;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

export interface Objection {
  id: string;
  applicationId: string;
  summary: string;
  status: ObjectionStatus;
  receivedAt: string;
  receivedBy: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  reason: string | null;
}
