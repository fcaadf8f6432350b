// The ledger entries of redemptions, as pure drafts: redemption.recorded moves the subsidy from the voucher to
// the provider's payable; redemption.reversed claws some of it back. Each records every input of its
// computation, so that an auditor can recompute it from the entry alone. Members and their order are the
// entries' format: the verifier re-derives them and every hash covers them.
import type { Actor } from '../auth/actor.js';
import type { Contract } from '../contracts/contracts.model.js';
import { accounts, type EntryDraft, transfer } from '../ledger/ledger.types.js';
import type { Program } from '../programs/programs.model.js';
import { type Fen, formatFen } from '../shared/money.js';
import type { Voucher } from '../vouchers/vouchers.model.js';
import type { Redemption } from './redemptions.model.js';
import type { RedemptionDecision, RedemptionRequest } from './rules/decide-redemption.js';
import type { ReversalDecision } from './rules/decide-reversal.js';

const nullableFen = (fen: Fen | null) => (fen === null ? null : formatFen(fen));

type ProgramOfEntry = Pick<Program, 'id' | 'policyId'>;
type VoucherOfEntry = Pick<Voucher, 'id' | 'region' | 'kind' | 'beneficiary'>;

/** A redemption as decided: `request` the facts it was decided on, `id` its new id. */
export function redemptionRecordedEntry(id: string, request: RedemptionRequest, decision: RedemptionDecision, actor: Actor): EntryDraft {
  return {
    type: 'redemption.recorded',
    actor,
    data: redemptionData(id, request, decision),
    postings: transfer(accounts.voucher(request.voucher.id), accounts.payable(request.contract.providerUscc), decision.subsidy),
  };
}

/** Every input of a redemption's computation and its outcome, as `redemption.recorded` and `claim.submitted` record them. */
export function redemptionData(id: string, request: RedemptionRequest, decision: RedemptionDecision) {
  const { policy, program, voucher, contract, execution, registration } = request;
  const { bucket, limit } = decision;
  return {
    region: voucher.region,
    programId: program.id,
    kind: voucher.kind,
    redemptionId: id,
    voucherId: voucher.id,
    contract: {
      id: contract.id,
      number: contract.number,
      providerUscc: contract.providerUscc,
      beneficiaryUscc: contract.beneficiaryUscc,
      amount: formatFen(contract.amount),
      autonomous: contract.autonomous,
      signedOn: contract.signedOn,
      serviceCode: contract.serviceCode,
    },
    // The registration (and its version in the register's history) that admitted the provider, when the
    // program requires one.
    providerRegistration: registration ? { region: registration.region, version: registration.version } : null,
    invoiceNumber: execution.invoiceNumber,
    executedAmount: formatFen(execution.amount),
    executedOn: execution.executedOn,
    year: decision.year,
    policyId: policy.id,
    policySha256: policy.sha256,
    bucket: bucket.name,
    policyRate: bucket.maxRate,
    rate: limit.rate,
    netExecutedBefore: formatFen(contract.netExecuted),
    netExecutedAfter: formatFen(decision.netExecutedAfter),
    entitlement: formatFen(decision.entitlement),
    annualCap: nullableFen(bucket.annualCap),
    annualUsedBefore: formatFen(request.usedBefore.policy),
    programAnnualCap: nullableFen(limit.annualCap),
    programUsedBefore: formatFen(request.usedBefore.program),
    voucherBalanceBefore: formatFen(request.voucherBalance),
    subsidy: formatFen(decision.subsidy),
    limitedBy: decision.limitedBy,
  };
}

export interface ReversalOfEntry {
  id: string;
  redemption: Redemption;
  voucher: VoucherOfEntry;
  program: ProgramOfEntry;
  /** The contract as it stood before the reversal. */
  contract: Pick<Contract, 'id' | 'netExecuted' | 'netSubsidy'>;
  executedAmount: Fen;
  reason: string;
}

/** A reversal as decided: the clawback leaves the provider's payable for the voucher or, once it is closed, the program. */
export function redemptionReversedEntry(reversal: ReversalOfEntry, decision: ReversalDecision, actor: Actor): EntryDraft {
  const { redemption, voucher, program, contract } = reversal;
  const { proRata, clawback, returnedTo } = decision;
  return {
    type: 'redemption.reversed',
    actor,
    data: {
      region: voucher.region,
      programId: program.id,
      kind: voucher.kind,
      reversalId: reversal.id,
      redemptionId: redemption.id,
      voucherId: voucher.id,
      contractId: contract.id,
      providerUscc: redemption.providerUscc,
      beneficiaryUscc: voucher.beneficiary.uscc,
      reason: reversal.reason,
      policyId: program.policyId,
      bucket: redemption.bucket,
      year: decision.year,
      redemptionExecutedAmount: formatFen(redemption.executedAmount),
      redemptionSubsidy: formatFen(redemption.subsidy),
      reversedBefore: formatFen(redemption.reversedAmount),
      executedAmount: formatFen(reversal.executedAmount),
      reversedAfter: formatFen(proRata.reversedAfter),
      clawedBackBefore: formatFen(proRata.clawedBackBefore),
      proRataClawback: formatFen(proRata.clawback),
      rate: redemption.rate,
      contractNetSubsidyBefore: formatFen(contract.netSubsidy),
      contractCeilingAfter: formatFen(decision.contractCeilingAfter),
      clawback: formatFen(clawback),
      netExecutedBefore: formatFen(contract.netExecuted),
      netExecutedAfter: formatFen(decision.netExecutedAfter),
      returnedTo,
    },
    postings: transfer(
      accounts.payable(redemption.providerUscc),
      returnedTo === 'voucher' ? accounts.voucher(voucher.id) : accounts.program(program.id),
      clawback,
    ),
  };
}
