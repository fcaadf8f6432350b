import { type Fen, minFen } from '../shared/money.js';
import { floorFen } from './rate.js';
import type { RuleViolation } from '../shared/violation.js';

export interface ClawbackInput {
  /** The redemption's executed amount e and the subsidy g it was granted. */
  executedAmount: Fen;
  granted: Fen;
  /** Executed amount already reversed before this reversal (R before). */
  reversedBefore: Fen;
  reversing: Fen;
}

export interface ClawbackResult {
  reversedAfter: Fen;
  clawedBackBefore: Fen;
  clawedBackAfter: Fen;
  clawback: Fen;
}

/** Total clawed back once R of e is reversed: g − floor(g × (e − R) / e), so the subsidy kept never rounds up. */
function totalClawback(granted: Fen, executed: Fen, reversed: Fen): Fen {
  return granted - (granted * (executed - reversed)) / executed;
}

/** Each reversal claws back the increase of the cumulative clawback. */
export function computeClawback(input: ClawbackInput): ClawbackResult | RuleViolation {
  const reversedAfter = input.reversedBefore + input.reversing;
  if (reversedAfter > input.executedAmount) {
    return {
      code: 'reversal_exceeds_redemption',
      detail: `reversing ${input.reversing} fen would bring the reversed total to ${reversedAfter} fen, above the redemption's executed ${input.executedAmount} fen`,
    };
  }
  const clawedBackBefore = totalClawback(input.granted, input.executedAmount, input.reversedBefore);
  const clawedBackAfter = totalClawback(input.granted, input.executedAmount, reversedAfter);
  return { reversedAfter, clawedBackBefore, clawedBackAfter, clawback: clawedBackAfter - clawedBackBefore };
}

export interface ContractClawbackInput {
  /** The pro-rata clawback of the reversed redemption (`computeClawback`). */
  proRata: Fen;
  /** The rate the contract's redemptions were granted at. */
  rate: string;
  /** The contract's net subsidy (granted minus clawed back) and net executed amount, before this reversal. */
  netSubsidyBefore: Fen;
  netExecutedAfter: Fen;
}

export interface ContractClawbackResult {
  /** floor_fen(rate × net executed after): the most the contract may keep. */
  ceilingAfter: Fen;
  clawback: Fen;
  netSubsidyAfter: Fen;
}

/**
 * A contract never keeps more than floor_fen(rate × net executed). Rounding each redemption down separately
 * can leave it above that after a reversal (0.01 then 0.03 executed at 30% grant 0.00 and 0.01; reversing the
 * first claws back 0.00 pro rata, leaving 0.01 on 0.03 executed). So a reversal claws back the larger of the
 * pro-rata amount and the contract's excess over its new ceiling, and never more than the contract holds.
 */
export function computeContractClawback(input: ContractClawbackInput): ContractClawbackResult {
  const ceilingAfter = floorFen(input.rate, input.netExecutedAfter);
  const excess = input.netSubsidyBefore > ceilingAfter ? input.netSubsidyBefore - ceilingAfter : 0n;
  const clawback = minFen(input.netSubsidyBefore, input.proRata > excess ? input.proRata : excess);
  return { ceilingAfter, clawback, netSubsidyAfter: input.netSubsidyBefore - clawback };
}
