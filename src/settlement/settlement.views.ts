// The settlement feature's answers, made from its domain values: amounts as yuan strings (formatFen).
import type { Share } from '../rules/split.js';
import { formatFen } from '../shared/money.js';
import type { PaymentBatch, PaymentClaim, PaymentLine } from './settlement.model.js';
import type { BatchView, LineView } from './settlement.schemas.js';

export const sharesView = (shares: readonly Share[]) => shares.map((share) => ({ region: share.region, amount: formatFen(share.amount) }));

/** A line with the redemptions its claims pay (in the order the claims are given). */
export function lineView(line: PaymentLine, claims: readonly PaymentClaim[]): LineView {
  return {
    id: line.id,
    providerUscc: line.providerUscc,
    providerName: line.providerName,
    bankAccount: { bankName: line.bankAccount.bankName, accountName: line.bankAccount.accountName, accountNumber: line.bankAccount.accountNumber },
    amount: formatFen(line.amount),
    shares: sharesView(line.shares),
    redemptionIds: claims.filter((claim) => claim.lineId === line.id).map((claim) => claim.redemptionId),
    status: line.status,
    paidOn: line.paidOn,
    bankReference: line.bankReference,
    failureReason: line.failureReason,
    ledgerSeq: line.ledgerSeq,
  };
}

/** A batch with its own lines and claims, picked from `lines` and `claims` (which may hold other batches'). */
export function batchView(batch: PaymentBatch, lines: readonly PaymentLine[], claims: readonly PaymentClaim[]): BatchView {
  return {
    id: batch.id,
    programId: batch.programId,
    region: batch.region,
    cutoff: batch.cutoff,
    status: batch.status,
    maker: batch.maker,
    checker: batch.checker,
    funders: batch.funders.map((f) => ({ region: f.region, ratio: f.ratio })),
    lines: lines.filter((line) => line.batchId === batch.id).map((line) => lineView(line, claims)),
    total: formatFen(batch.total),
    receivables: batch.receivables.map((r) => ({ providerUscc: r.providerUscc, amount: formatFen(r.amount), redemptionIds: r.redemptionIds })),
    blocked: batch.blocked.map((b) => ({ providerUscc: b.providerUscc, amount: formatFen(b.amount), reason: b.reason, redemptionIds: b.redemptionIds })),
    createdAt: batch.createdAt,
    approvedAt: batch.approvedAt,
    approvalSeq: batch.approvalSeq,
  };
}
