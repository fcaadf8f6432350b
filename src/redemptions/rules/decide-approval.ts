// What an approved claim is owed (decision 0041): the subsidy recomputed by the submission's own inputs on the
// smaller of what was executed and what the enterprise proved it paid, never more than was reserved nor more
// than lets the contract's approved part keep above floor(rate × its net executed): open claims' reservations,
// which may yet be released, never make room for this one. Pure.
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
  /** What the contract's open claims hold of those sums, this claim included. */
  openClaims: { executed: Fen; reserved: Fen };
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
  // The contract's approved part: what is owed on it so far, and the execution it is owed on.
  const approvedExecuted = contract.netExecuted - request.openClaims.executed;
  const approvedSubsidy = contract.netSubsidy - request.openClaims.reserved;
  const contractCeilingAfter = floorFen(request.rate, approvedExecuted + basis);
  const room = contractCeilingAfter > approvedSubsidy ? contractCeilingAfter - approvedSubsidy : 0n;
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
