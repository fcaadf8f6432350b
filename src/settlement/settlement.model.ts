// The settlement feature's domain values (decisions 0019 and 0020), as the use cases and the pure rules see them:
// money in fen, sequence numbers as numbers, JSON columns parsed. The repository maps them to and from rows.
import type { Funder, Share } from '../rules/split.js';
import type { Fen } from '../shared/money.js';
import type { BatchStatus, BlockedView, LineStatus } from './settlement.schemas.js';

export interface BankAccount {
  bankName: string;
  accountName: string;
  accountNumber: string;
}

/** A provider whose gathered claims net below zero: it owes money back, as found when the batch was made. */
export interface Receivable {
  providerUscc: string;
  amount: Fen;
  redemptionIds: string[];
}

/** A provider with claims but no active registration covering the program's region, as found when the batch was made. */
export interface BlockedProvider {
  providerUscc: string;
  amount: Fen;
  reason: BlockedView['reason'];
  redemptionIds: string[];
}

export interface PaymentBatch {
  id: string;
  programId: string;
  /** The program's region: its issuers make and check the batch. */
  region: string;
  kind: string;
  cutoff: string;
  status: BatchStatus;
  maker: string;
  checker: string | null;
  /** The program's funders when the batch was made, in their listed order. */
  funders: Funder[];
  receivables: Receivable[];
  blocked: BlockedProvider[];
  total: Fen;
  createdAt: string;
  approvedAt: string | null;
  closedAt: string | null;
  approvalSeq: number | null;
}

export interface PaymentLine {
  id: string;
  batchId: string;
  /** The line's place in its batch (providers in USCC order). */
  position: number;
  providerUscc: string;
  providerName: string;
  bankAccount: BankAccount;
  amount: Fen;
  /** The amount split across the batch's funders. */
  shares: Share[];
  status: LineStatus;
  paidOn: string | null;
  bankReference: string | null;
  failureReason: string | null;
  ledgerSeq: number | null;
  settledAt: string | null;
}

/** open while its line is pending, paid with it, or released (its line failed or was cancelled). */
export type ClaimStatus = 'open' | 'paid' | 'released';

/** What a line pays for one redemption: its outstanding claim when the batch was made. */
export interface PaymentClaim {
  lineId: string;
  batchId: string;
  redemptionId: string;
  amount: Fen;
  status: ClaimStatus;
}

/**
 * A redemption's standing in settlement: its net subsidy (granted − clawed back), what payments paid for it and
 * what recoveries took back. `outstanding` = net − paid + recovered: a claim when positive, owed back when negative.
 */
export interface RedemptionClaim {
  redemptionId: string;
  providerUscc: string;
  executedOn: string;
  net: Fen;
  paid: Fen;
  recovered: Fen;
  outstanding: Fen;
  /** The batch whose pending line holds this redemption, if any. */
  openBatchId: string | null;
}

/** What one recovery took back for one redemption, and what that redemption owed before it. */
export interface RecoveryItem {
  redemptionId: string;
  owedBefore: Fen;
  amount: Fen;
}

/** Money a provider paid back in a program. */
export interface Recovery {
  id: string;
  programId: string;
  providerUscc: string;
  amount: Fen;
  bankReference: string;
  receivedOn: string;
  ledgerSeq: number;
  createdAt: string;
  createdBy: string;
}
