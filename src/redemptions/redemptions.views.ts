// Redemptions and reversals as the API answers them.
import type { SettlementView } from '../settlement/settlement.schemas.js';
import { type Fen, formatFen } from '../shared/money.js';
import type { Redemption, RedemptionInProgram, Reversal } from './redemptions.model.js';
import type { DocumentMeta } from '../documents/documents.model.js';
import type { Claim, ClaimEvent, DocumentParty } from './claims.model.js';
import type { ClaimView, RedemptionRecordView, RedemptionView, ReversalView } from './redemptions.schemas.js';

/** The answer to a redemption: what it granted, and what the voucher has left after it. */
export const redemptionView = (redemption: Redemption, voucherBalanceAfter: Fen): RedemptionView => ({
  id: redemption.id,
  status: redemption.status,
  voucherId: redemption.voucherId,
  contractId: redemption.contractId,
  executedAmount: formatFen(redemption.executedAmount),
  executedOn: redemption.executedOn,
  rate: redemption.rate,
  entitlement: formatFen(redemption.entitlement),
  subsidy: formatFen(redemption.subsidy),
  limitedBy: redemption.limitedBy,
  voucherBalance: formatFen(voucherBalanceAfter),
  ledgerSeq: redemption.ledgerSeq,
});

export const reversalView = (reversal: Reversal, returnedTo: ReversalView['returnedTo']): ReversalView => ({
  id: reversal.id,
  redemptionId: reversal.redemptionId,
  executedAmount: formatFen(reversal.executedAmount),
  clawback: formatFen(reversal.clawback),
  returnedTo,
  ledgerSeq: reversal.ledgerSeq,
});

/** A claim's documents with their metadata, and its history. */
export interface ClaimRecord {
  claim: Claim;
  documents: (DocumentMeta & { from: DocumentParty })[];
  history: ClaimEvent[];
}

const nullableYuan = (fen: Fen | null) => (fen === null ? null : formatFen(fen));

export const claimView = ({ claim, documents, history }: ClaimRecord): ClaimView => ({
  executedAmount: formatFen(claim.claimedExecuted),
  reserved: formatFen(claim.reserved),
  reservedAtSubmission: formatFen(claim.reservedAtSubmission),
  paidAmount: nullableYuan(claim.paidAmount),
  basis: nullableYuan(claim.basis),
  approved: nullableYuan(claim.approved),
  released: nullableYuan(claim.released),
  beneficiaryConfirmation: claim.needsConfirmation,
  review: claim.needsReview,
  confirmationDueOn: claim.confirmationDueOn,
  documents: documents.map((document) => ({
    sha256: document.sha256,
    name: document.name,
    contentType: document.contentType,
    size: document.size,
    from: document.from,
  })),
  history: history.map((event) => ({
    action: event.action,
    at: event.at,
    actor: event.actor,
    reason: event.reason,
    paidAmount: nullableYuan(event.paidAmount),
    ledgerSeq: event.ledgerSeq,
  })),
});

/** A redemption as it stands now, in its voucher's program, with where its payment is and, for a claim, its record. */
export function redemptionRecordView(redemption: RedemptionInProgram, settlement: SettlementView, claim: ClaimRecord | undefined): RedemptionRecordView {
  return {
    id: redemption.id,
    status: redemption.status,
    voucherId: redemption.voucherId,
    contractId: redemption.contractId,
    providerUscc: redemption.providerUscc,
    programId: redemption.programId,
    executedAmount: formatFen(redemption.executedAmount),
    executedOn: redemption.executedOn,
    invoiceNumber: redemption.invoiceNumber,
    rate: redemption.rate,
    entitlement: formatFen(redemption.entitlement),
    subsidy: formatFen(redemption.subsidy),
    limitedBy: redemption.limitedBy,
    reversedAmount: formatFen(redemption.reversedAmount),
    clawedBack: formatFen(redemption.clawedBack),
    netSubsidy: formatFen(redemption.subsidy - redemption.clawedBack),
    ledgerSeq: redemption.ledgerSeq,
    settlement,
    claim: claim ? claimView(claim) : null,
  };
}
