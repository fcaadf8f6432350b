// Redemptions and their reversals as the use cases and the rules see them: money in fen, sequence numbers as
// numbers, what limited a subsidy as a union. The repository maps them to and from rows.
import type { LimitedBy } from '../rules/subsidy.js';
import type { Fen } from '../shared/money.js';

/**
 * `approved`: owed to the provider (every redemption of a program without claims, and an approved claim). The
 * others are a claim's (decision 0041): open while it holds its reservation, ended once it released it.
 */
export const REDEMPTION_STATUSES = ['approved', 'awaiting_confirmation', 'awaiting_review', 'disputed', 'returned', 'rejected', 'withdrawn', 'lapsed'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];
export const OPEN_CLAIM_STATUSES: readonly RedemptionStatus[] = ['awaiting_confirmation', 'awaiting_review', 'disputed', 'returned'];

/** A contract execution subsidised from a voucher, with what reversals have taken back of it since. */
export interface Redemption {
  id: string;
  status: RedemptionStatus;
  voucherId: string;
  contractId: string;
  providerUscc: string;
  /** Unique per provider: an invoice is redeemed once. */
  invoiceNumber: string;
  executedAmount: Fen;
  executedOn: string;
  /** The policy's cap bucket it was granted under, and the program's rate for it. */
  bucket: string;
  rate: string;
  entitlement: Fen;
  subsidy: Fen;
  limitedBy: LimitedBy;
  /** Running totals of its reversals: executed amount reversed, subsidy clawed back. */
  reversedAmount: Fen;
  clawedBack: Fen;
  ledgerSeq: number;
  createdAt: string;
}

/** A redemption with its voucher's program, as a list of redemptions reads it. */
export interface RedemptionInProgram extends Redemption {
  programId: string;
}

/** Where a clawback goes: back to the voucher while it is active, else to its program. */
export type ClawbackDestination = 'voucher' | 'program';

/** Part or all of a redemption's execution undone, and the subsidy it clawed back. */
export interface Reversal {
  id: string;
  redemptionId: string;
  executedAmount: Fen;
  clawback: Fen;
  reason: string;
  ledgerSeq: number;
  createdAt: string;
}
