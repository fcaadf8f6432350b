// Claims (decision 0041) as the use cases and the rules see them: a redemption of a program that takes claims,
// with what it holds, the evidence of each party and the submission's inputs that approval recomputes from.
// Money in fen; the repository maps them to and from rows.
import type { Fen } from '../shared/money.js';
import type { RedemptionStatus } from './redemptions.model.js';

/** What the submission decided the reservation on, kept for approval to recompute the subsidy on the basis. */
export interface SubmissionInputs {
  policyId: string;
  year: number;
  netExecutedBefore: Fen;
  annualCap: Fen | null;
  annualUsedBefore: Fen;
  programAnnualCap: Fen | null;
  programUsedBefore: Fen;
  voucherBalanceBefore: Fen;
}

export interface Claim {
  redemptionId: string;
  beneficiaryUscc: string;
  needsConfirmation: boolean;
  needsReview: boolean;
  /** The executed amount the provider claimed. */
  claimedExecuted: Fen;
  reservedAtSubmission: Fen;
  /** What it holds now: the reservation while open, 0 once approved or released. */
  reserved: Fen;
  /** What the enterprise confirmed it paid. */
  paidAmount: Fen | null;
  /** Once approved: min(claimed, paid), the subsidy on it, and what went back. */
  basis: Fen | null;
  approved: Fen | null;
  released: Fen | null;
  /** The day by which the enterprise must confirm (or the provider answer a return); null when nobody is due to. */
  confirmationDueOn: string | null;
  inputs: SubmissionInputs;
  updatedAt: string;
}

export const CLAIM_ACTIONS = ['submitted', 'confirmed', 'disputed', 'resubmitted', 'returned', 'approved', 'rejected', 'withdrawn', 'lapsed'] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];

export const DOCUMENT_PARTIES = ['provider', 'enterprise'] as const;
export type DocumentParty = (typeof DOCUMENT_PARTIES)[number];

export interface ClaimDocument {
  party: DocumentParty;
  sha256: string;
}

/** One decision in a claim's history, as its entry recorded it. */
export interface ClaimEvent {
  redemptionId: string;
  at: string;
  actor: { role: string; sub: string };
  action: ClaimAction;
  reason: string | null;
  paidAmount: Fen | null;
  ledgerSeq: number;
}

/** A claim's status after a move, and what the move changes of it. */
export interface ClaimMove {
  status: RedemptionStatus;
  action: ClaimAction;
  confirmationDueOn: string | null;
}
