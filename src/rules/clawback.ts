import type { RuleViolation } from './violation.js';
import type { Fen } from '../shared/money.js';

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

