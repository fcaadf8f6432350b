// Redemptions and reversals as the API answers them.
import type { SettlementView } from '../settlement/settlement.schemas.js';
import { type Fen, formatFen } from '../shared/money.js';
import type { Redemption, RedemptionInProgram, Reversal } from './redemptions.model.js';
import type { RedemptionRecordView, RedemptionView, ReversalView } from './redemptions.schemas.js';

/** The answer to a redemption: what it granted, and what the voucher has left after it. */
export const redemptionView = (redemption: Redemption, voucherBalanceAfter: Fen): RedemptionView => ({
  id: redemption.id,
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

/** A redemption as it stands now, in its voucher's program, with where its payment is. */
export function redemptionRecordView(redemption: RedemptionInProgram, settlement: SettlementView): RedemptionRecordView {
  return {
    id: redemption.id,
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
  };
}
