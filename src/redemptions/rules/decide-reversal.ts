// How much of a redemption's subsidy a reversal claws back (decision 0012): the increase of its pro-rata
// clawback, or more when the contract would otherwise keep more than floor_fen(rate × net executed), never more
// than the contract holds; back to the voucher while it is active, else to its program. Pure.
import type { Contract } from '../../contracts/contracts.model.js';
import { type ClawbackResult, computeClawback, computeContractClawback } from '../../rules/clawback.js';
import { yearOf } from '../../shared/dates.js';
import { ruleError } from '../../shared/errors.js';
import type { Fen } from '../../shared/money.js';
import { isViolation } from '../../shared/violation.js';
import type { VoucherStatus } from '../../vouchers/vouchers.model.js';
import type { ClawbackDestination, Redemption } from '../redemptions.model.js';

export interface ReversalRequest {
  redemption: Pick<Redemption, 'executedAmount' | 'subsidy' | 'reversedAmount' | 'rate' | 'executedOn'>;
  /** The contract's running totals before this reversal. */
  contract: Pick<Contract, 'netExecuted' | 'netSubsidy'>;
  voucherStatus: VoucherStatus;
  /** The executed amount this reversal undoes. */
  reversing: Fen;
}

export interface ReversalDecision {
  /** The redemption's pro-rata clawback: reversed and clawed-back totals before and after. */
  proRata: ClawbackResult;
  netExecutedAfter: Fen;
  /** floor_fen(rate × net executed after): the most the contract may keep. */
  contractCeilingAfter: Fen;
  clawback: Fen;
  returnedTo: ClawbackDestination;
  /** The year of the reversed execution, whose usage the clawback frees. */
  year: number;
}

/** Refuses `reversal_exceeds_redemption` beyond what is left of the redemption's executed amount. */
export function decideReversal(request: ReversalRequest): ReversalDecision {
  const { redemption, contract } = request;
  const proRata = computeClawback({
    executedAmount: redemption.executedAmount,
    granted: redemption.subsidy,
    reversedBefore: redemption.reversedAmount,
    reversing: request.reversing,
  });
  if (isViolation(proRata)) throw ruleError(proRata);
  const netExecutedAfter = contract.netExecuted - request.reversing;
  const { clawback, ceilingAfter } = computeContractClawback({
    proRata: proRata.clawback,
    rate: redemption.rate,
    netSubsidyBefore: contract.netSubsidy,
    netExecutedAfter,
  });
  // A voucher that is no longer active cannot take money back; its program does.
  const returnedTo = request.voucherStatus === 'active' ? 'voucher' : 'program';
  return { proRata, netExecutedAfter, contractCeilingAfter: ceilingAfter, clawback, returnedTo, year: yearOf(redemption.executedOn) };
}
