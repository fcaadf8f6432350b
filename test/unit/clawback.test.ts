import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeClawback, computeContractClawback } from '../../src/rules/clawback.js';
import { floorFen } from '../../src/rules/rate.js';
import { computeSubsidy } from '../../src/rules/subsidy.js';
import { isViolation } from '../../src/shared/violation.js';

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
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 100 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { maxLength: 10 }),
        (e, pct, weights) => {
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
        },
      ),
    );
  });
});

describe('computeContractClawback', () => {
  it('worked example: 0.01 then 0.03 at 30% (0.00 + 0.01 granted); reversing the 0.01 claws back 0.01, not the pro-rata 0.00', () => {
    expect(computeContractClawback({ proRata: 0n, rate: '0.30', netSubsidyBefore: 1n, netExecutedAfter: 3n })).toEqual({
      ceilingAfter: 0n,
      clawback: 1n,
      netSubsidyAfter: 0n,
    });
  });

  it('takes the pro-rata amount when the contract is below its ceiling (a capped grant), and never more than it holds', () => {
    // 1,000.00 executed at 30% but only 100.00 granted (voucher balance); reversing 500.00 claws back 50.00 pro rata.
    expect(computeContractClawback({ proRata: 5_000n, rate: '0.30', netSubsidyBefore: 10_000n, netExecutedAfter: 50_000n }).clawback).toBe(5_000n);
    expect(computeContractClawback({ proRata: 1n, rate: '0.30', netSubsidyBefore: 0n, netExecutedAfter: 0n }).clawback).toBe(0n);
  });

  it('over any executions and reversals on one contract, 0 ≤ net subsidy ≤ floor_fen(rate × net executed)', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('execute' as const), amount: fc.bigInt({ min: 1n, max: 10_000n }), balanceCut: fc.boolean() }),
      fc.record({ kind: fc.constant('reverse' as const), pick: fc.nat(), share: fc.integer({ min: 1, max: 100 }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom('0.30', '0.10', '0.25', '0.333333', '1'), fc.array(step, { maxLength: 30 }), (rate, steps) => {
        let netExecuted = 0n;
        let netSubsidy = 0n;
        const redemptions: { executed: bigint; granted: bigint; reversed: bigint }[] = [];
        for (const s of steps) {
          if (s.kind === 'execute') {
            // Now and then the voucher is nearly empty, so that the grant falls short of the entitlement.
            const result = computeSubsidy({
              rate,
              netExecutedBefore: netExecuted,
              executedAmount: s.amount,
              policyCap: { cap: null, usedBefore: 0n },
              programCap: { cap: null, usedBefore: 0n },
              voucherBalance: s.balanceCut ? 1n : 10n ** 15n,
            });
            redemptions.push({ executed: s.amount, granted: result.subsidy, reversed: 0n });
            netExecuted = result.netExecutedAfter;
            netSubsidy += result.subsidy;
          } else if (redemptions.length > 0) {
            const r = redemptions[s.pick % redemptions.length]!;
            const reversing = ((r.executed - r.reversed) * BigInt(s.share)) / 100n;
            if (reversing === 0n) continue;
            const proRata = computeClawback({ executedAmount: r.executed, granted: r.granted, reversedBefore: r.reversed, reversing });
            if (isViolation(proRata)) throw new Error(proRata.detail);
            netExecuted -= reversing;
            const { clawback, netSubsidyAfter } = computeContractClawback({
              proRata: proRata.clawback,
              rate,
              netSubsidyBefore: netSubsidy,
              netExecutedAfter: netExecuted,
            });
            expect(clawback >= proRata.clawback || netSubsidyAfter === 0n).toBe(true);
            r.reversed += reversing;
            netSubsidy = netSubsidyAfter;
          }
          expect(netSubsidy >= 0n).toBe(true);
          expect(netSubsidy <= floorFen(rate, netExecuted)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
