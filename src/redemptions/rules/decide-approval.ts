// What an approved claim is owed (decision 0041): the subsidy recomputed by the submission's own inputs on the
// smaller of what was executed and what the enterprise proved it paid, never more than was reserved nor more
// than lets the contract keep above floor(rate × net executed). Pure.
import { floorFen } from '../../rules/rate.js';
import { computeSubsidy } from '../../rules/subsidy.js';
import { type Fen, minFen } from '../../shared/money.js';
import type { SubmissionInputs } from '../claims.model.js';
import type { ClawbackDestination } from '../redemptions.model.js';

export interface ApprovalRequest {
  rate: string;
  claimedExecuted: Fen;
  paidAmount: Fen | null;
  reserved: Fen;
  inputs: SubmissionInputs;
  /** The contract's sums now, this claim's hold included. */
  contract: { netExecuted: Fen; netSubsidy: Fen };
  voucherActive: boolean;
}

export interface ApprovalDecision {
  basis: Fen;
  entitlement: Fen;
  computed: Fen;
  contractNetExecutedAfter: Fen;
  contractCeilingAfter: Fen;
  approved: Fen;
  released: Fen;
  returnedTo: ClawbackDestination;
}

export function decideApproval(request: ApprovalRequest): ApprovalDecision {
  const { inputs, reserved, contract } = request;
  const basis = request.paidAmount === null ? request.claimedExecuted : minFen(request.claimedExecuted, request.paidAmount);
  const { entitlement, subsidy: computed } = computeSubsidy({
    rate: request.rate,
    netExecutedBefore: inputs.netExecutedBefore,
    executedAmount: basis,
    policyCap: { cap: inputs.annualCap, usedBefore: inputs.annualUsedBefore },
    programCap: { cap: inputs.programAnnualCap, usedBefore: inputs.programUsedBefore },
    voucherBalance: inputs.voucherBalanceBefore,
  });
  const contractNetExecutedAfter = contract.netExecuted - (request.claimedExecuted - basis);
  const contractCeilingAfter = floorFen(request.rate, contractNetExecutedAfter);
  const keptByOthers = contract.netSubsidy - reserved;
  const room = contractCeilingAfter > keptByOthers ? contractCeilingAfter - keptByOthers : 0n;
  const approved = minFen(computed, reserved, room);
  return {
    basis,
    entitlement,
    computed,
    contractNetExecutedAfter,
    contractCeilingAfter,
    approved,
    released: reserved - approved,
    returnedTo: request.voucherActive ? 'voucher' : 'program',
  };
}
