import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeClawback } from '../../src/rules/clawback.js';
import { isViolation } from '../../src/rules/violation.js';

describe('computeClawback', () => {
  it('reversing 333.33 of 1,000.00 granted 300.00 claws back 100.00; 0.01 more claws back 0.01', () => {
    const first = computeClawback({ executedAmount: 100_000n, granted: 30_000n, reversedBefore: 0n, reversing: 33_333n });
    expect(first).toEqual({ reversedAfter: 33_333n, clawedBackBefore: 0n, clawedBackAfter: 10_000n, clawback: 10_000n });
    const second = computeClawback({ executedAmount: 100_000n, granted: 30_000n, reversedBefore: 33_333n, reversing: 1n });
    expect(second).toMatchObject({ clawback: 1n, clawedBackAfter: 10_001n });
  });

  it('a full reversal claws back the whole grant', () => {
    expect(computeClawback({ executedAmount: 700n, granted: 210n, reversedBefore: 0n, reversing: 700n })).toMatchObject({ clawback: 210n });
  });

  it('when the reversal passes the executed amount, it is rejected with reversal_exceeds_redemption', () => {
    const outcome = computeClawback({ executedAmount: 100n, granted: 30n, reversedBefore: 60n, reversing: 41n });
    expect(isViolation(outcome) && outcome.code).toBe('reversal_exceeds_redemption');
  });

  it('any sequence of partial reversals claws back exactly g − floor(g × (e − R) / e) in total, never more than g', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 0, max: 100 }), fc.array(fc.integer({ min: 1, max: 1000 }), { maxLength: 10 }), (e, pct, weights) => {
        const g = (e * BigInt(pct) * 3n) / 1000n;
        const sumW = weights.reduce((a, b) => a + b, 0) || 1;
        let reversed = 0n;
        let clawed = 0n;
        for (const w of weights) {
          const part = (e * BigInt(w)) / BigInt(sumW);
          if (part === 0n) continue;
          const outcome = computeClawback({ executedAmount: e, granted: g, reversedBefore: reversed, reversing: part });
          if (isViolation(outcome)) throw new Error(outcome.detail);
          expect(outcome.clawback >= 0n).toBe(true);
          reversed = outcome.reversedAfter;
          clawed += outcome.clawback;
        }
        expect(clawed).toBe(g - (g * (e - reversed)) / e);
        expect(clawed <= g).toBe(true);
      }),
    );
  });
});
