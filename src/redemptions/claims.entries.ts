// The ledger entries of claims (decision 0041), as pure drafts. Members and their order are the entries' format:
// the verifier re-derives them and every hash covers them. The decisions without money carry no postings.
import type { Actor } from '../auth/actor.js';
import { accounts, type EntryDraft, transfer } from '../ledger/ledger.types.js';
import type { ClaimTerms } from '../programs/programs.model.js';
import { type Fen, formatFen } from '../shared/money.js';
import type { Voucher } from '../vouchers/vouchers.model.js';
import type { Claim, ClaimMove } from './claims.model.js';
import type { ClawbackDestination, Redemption } from './redemptions.model.js';
import { redemptionData } from './redemptions.entries.js';
import type { ApprovalDecision } from './rules/decide-approval.js';
import type { RedemptionDecision, RedemptionRequest } from './rules/decide-redemption.js';

const nullableFen = (fen: Fen | null) => (fen === null ? null : formatFen(fen));

/** The claim as entries name it: its voucher, its provider and the voucher's enterprise. */
export interface ClaimOfEntry {
  redemption: Pick<Redemption, 'id' | 'providerUscc' | 'contractId' | 'bucket' | 'rate'>;
  voucher: Pick<Voucher, 'id' | 'region' | 'kind' | 'programId' | 'beneficiary'>;
  claim: Claim;
}

const head = ({ redemption, voucher }: ClaimOfEntry) => ({
  region: voucher.region,
  programId: voucher.programId,
  kind: voucher.kind,
  redemptionId: redemption.id,
  voucherId: voucher.id,
  providerUscc: redemption.providerUscc,
  beneficiaryUscc: voucher.beneficiary.uscc,
});

/** The reservation: a redemption's computation, its evidence and terms; the subsidy moves to the claim's own account. */
export function claimSubmittedEntry(
  id: string,
  request: RedemptionRequest,
  decision: RedemptionDecision,
  submission: { documents: readonly string[]; terms: ClaimTerms; move: ClaimMove },
  actor: Actor,
): EntryDraft {
  return {
    type: 'claim.submitted',
    actor,
    data: {
      ...redemptionData(id, request, decision),
      documents: [...submission.documents],
      beneficiaryConfirmation: submission.terms.beneficiaryConfirmation,
      review: submission.terms.review,
      confirmationDueOn: submission.move.confirmationDueOn,
      status: submission.move.status,
    },
    postings: transfer(accounts.voucher(request.voucher.id), accounts.reserved(id), decision.subsidy),
  };
}

export function claimConfirmedEntry(
  of: ClaimOfEntry,
  confirmation: { paidAmount: Fen; documents: readonly string[] },
  next: ClaimMove,
  actor: Actor,
): EntryDraft {
  return {
    type: 'claim.confirmed',
    actor,
    data: {
      ...head(of),
      executedAmount: formatFen(of.claim.claimedExecuted),
      paidAmount: formatFen(confirmation.paidAmount),
      documents: [...confirmation.documents],
      confirmationDueOn: next.confirmationDueOn,
      status: next.status,
    },
    postings: [],
  };
}

export function claimDisputedEntry(of: ClaimOfEntry, reason: string, actor: Actor): EntryDraft {
  return { type: 'claim.disputed', actor, data: { ...head(of), reason, status: 'disputed' }, postings: [] };
}

export function claimResubmittedEntry(
  of: ClaimOfEntry,
  resubmission: { documents: readonly string[]; note: string },
  next: ClaimMove,
  actor: Actor,
): EntryDraft {
  return {
    type: 'claim.resubmitted',
    actor,
    data: { ...head(of), documents: [...resubmission.documents], note: resubmission.note, confirmationDueOn: next.confirmationDueOn, status: next.status },
    postings: [],
  };
}

export function claimReturnedEntry(of: ClaimOfEntry, reason: string, next: ClaimMove, actor: Actor): EntryDraft {
  return { type: 'claim.returned', actor, data: { ...head(of), reason, confirmationDueOn: next.confirmationDueOn, status: next.status }, postings: [] };
}

/**
 * The approval: every input of the recomputation (the submission's own, and the contract's sums now), the
 * approved subsidy to the provider's payable and the rest back to the voucher or the program.
 */
export function claimApprovedEntry(
  of: ClaimOfEntry,
  approval: {
    by: 'review' | 'confirmation';
    reason: string | null;
    contract: { netExecuted: Fen; netSubsidy: Fen };
    openClaims: { executed: Fen; reserved: Fen };
  },
  decision: ApprovalDecision,
  actor: Actor,
): EntryDraft {
  const { claim, redemption } = of;
  const { inputs } = claim;
  return {
    type: 'claim.approved',
    actor,
    data: {
      ...head(of),
      contractId: redemption.contractId,
      by: approval.by,
      reason: approval.reason,
      policyId: inputs.policyId,
      bucket: redemption.bucket,
      year: inputs.year,
      rate: redemption.rate,
      executedAmount: formatFen(claim.claimedExecuted),
      paidAmount: nullableFen(claim.paidAmount),
      basis: formatFen(decision.basis),
      netExecutedBefore: formatFen(inputs.netExecutedBefore),
      annualCap: nullableFen(inputs.annualCap),
      annualUsedBefore: formatFen(inputs.annualUsedBefore),
      programAnnualCap: nullableFen(inputs.programAnnualCap),
      programUsedBefore: formatFen(inputs.programUsedBefore),
      voucherBalanceBefore: formatFen(inputs.voucherBalanceBefore),
      entitlement: formatFen(decision.entitlement),
      computed: formatFen(decision.computed),
      reserved: formatFen(claim.reserved),
      contractNetExecutedBefore: formatFen(approval.contract.netExecuted),
      contractNetExecutedAfter: formatFen(decision.contractNetExecutedAfter),
      contractNetSubsidyBefore: formatFen(approval.contract.netSubsidy),
      // What the contract's open claims hold, this one included: not yet owed, so no room for this approval.
      openClaimsExecuted: formatFen(approval.openClaims.executed),
      openClaimsReserved: formatFen(approval.openClaims.reserved),
      contractCeilingAfter: formatFen(decision.contractCeilingAfter),
      subsidy: formatFen(decision.approved),
      released: formatFen(decision.released),
      returnedTo: decision.returnedTo,
    },
    postings: [
      { account: accounts.reserved(redemption.id), amount: -claim.reserved },
      { account: accounts.payable(redemption.providerUscc), amount: decision.approved },
      { account: destination(of, decision.returnedTo), amount: decision.released },
    ],
  };
}

export type ReleaseType = 'claim.rejected' | 'claim.withdrawn' | 'claim.lapsed';

/** A claim ended without approval: its whole reservation goes back, and the contract's execution with it. */
export function claimReleasedEntry(
  type: ReleaseType,
  of: ClaimOfEntry,
  release: { reason: string; contractNetExecuted: Fen; returnedTo: ClawbackDestination },
  actor: Actor,
): EntryDraft {
  const { claim, redemption } = of;
  return {
    type,
    actor,
    data: {
      ...head(of),
      contractId: redemption.contractId,
      policyId: claim.inputs.policyId,
      bucket: redemption.bucket,
      year: claim.inputs.year,
      executedAmount: formatFen(claim.claimedExecuted),
      reserved: formatFen(claim.reserved),
      contractNetExecutedBefore: formatFen(release.contractNetExecuted),
      contractNetExecutedAfter: formatFen(release.contractNetExecuted - claim.claimedExecuted),
      reason: release.reason,
      // The day the claim missed, for a lapse.
      confirmationDueOn: type === 'claim.lapsed' ? claim.confirmationDueOn : null,
      returnedTo: release.returnedTo,
    },
    postings: transfer(accounts.reserved(redemption.id), destination(of, release.returnedTo), claim.reserved),
  };
}

const destination = (of: ClaimOfEntry, to: ClawbackDestination) =>
  to === 'voucher' ? accounts.voucher(of.voucher.id) : accounts.program(of.voucher.programId);
