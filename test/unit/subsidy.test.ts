import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floorFen } from '../../src/rules/rate.js';
import { computeSubsidy, type SubsidyInput } from '../../src/rules/subsidy.js';

const uncapped = { cap: null, usedBefore: 0n };
const base: SubsidyInput = { rate: '0.30', netExecutedBefore: 0n, executedAmount: 0n, policyCap: uncapped, programCap: uncapped, voucherBalance: 10n ** 15n };

describe('computeSubsidy', () => {
  it('floors rate × executed to the fen: 30% of 1,000.00 is 300.00, of 0.03 is 0.00', () => {
    expect(computeSubsidy({ ...base, executedAmount: 100000n }).subsidy).toBe(30000n);
    expect(computeSubsidy({ ...base, executedAmount: 3n }).subsidy).toBe(0n);
    expect(computeSubsidy({ ...base, executedAmount: 4n }).subsidy).toBe(1n);
  });

  it('is cumulative over the contract: a fourth 0.01 at 30% yields 0.01 because floor(0.012) − floor(0.009) = 0.01', () => {
    expect(computeSubsidy({ ...base, netExecutedBefore: 3n, executedAmount: 1n })).toMatchObject({ entitlement: 1n, netExecutedAfter: 4n });
  });

  it('when the policy cap has 5,000,000.00 left, a 6,000,000.00 entitlement is cut by annual_cap', () => {
    const result = computeSubsidy({ ...base, rate: '0.10', executedAmount: 6_000_000_000n, policyCap: { cap: 800_000_000n, usedBefore: 300_000_000n } });
    expect(result).toMatchObject({ entitlement: 600_000_000n, subsidy: 500_000_000n, limitedBy: 'annual_cap' });
  });

  it('when the program cap is tighter than the policy cap, the subsidy is cut by program_cap', () => {
    const result = computeSubsidy({
      ...base,
      executedAmount: 100_000_000n,
      policyCap: { cap: 800_000_000n, usedBefore: 0n },
      programCap: { cap: 10_000_000n, usedBefore: 4_000_000n },
    });
    expect(result).toMatchObject({ entitlement: 30_000_000n, subsidy: 6_000_000n, limitedBy: 'program_cap' });
  });

  it('when the voucher holds 1,234.56, a 3,000.00 entitlement is cut by voucher_balance', () => {
    expect(computeSubsidy({ ...base, executedAmount: 1_000_000n, voucherBalance: 123_456n })).toMatchObject({
      subsidy: 123_456n,
      limitedBy: 'voucher_balance',
    });
  });

  it('when two bounds bind equally, the annual cap is named first', () => {
    const result = computeSubsidy({ ...base, executedAmount: 1_000_000n, policyCap: { cap: 100n, usedBefore: 0n }, voucherBalance: 100n });
    expect(result.limitedBy).toBe('annual_cap');
  });

  it('when a cap is already overspent, the subsidy is 0.00 and not negative', () => {
    expect(computeSubsidy({ ...base, executedAmount: 1_000n, policyCap: { cap: 100n, usedBefore: 150n } })).toMatchObject({
      subsidy: 0n,
      limitedBy: 'annual_cap',
    });
  });

  it('applies six-decimal rates exactly on 13-digit amounts', () => {
    expect(floorFen('0.123457', 999_999_999_999_999n)).toBe(123_456_999_999_999n);
  });
});

const fen = (max: bigint) => fc.bigInt({ min: 1n, max });

/** Redeems the parts of a contract one after another, uncapped, checking each running total. */
function redeemInParts(rate: string, parts: bigint[], eachStep: (net: bigint, total: bigint) => void = () => {}) {
  let net = 0n;
  let total = 0n;
  for (const part of parts) {
    const result = computeSubsidy({ ...base, rate, netExecutedBefore: net, executedAmount: part });
    net = result.netExecutedAfter;
    total += result.subsidy;
    eachStep(net, total);
  }
  return { net, total };
}
const rate = fc.integer({ min: 0, max: 1_000_000 }).map((micro) => (micro / 1_000_000).toFixed(6));

describe('computeSubsidy properties', () => {
  it('any split of an execution yields the same total when no cap binds', () => {
    fc.assert(
      fc.property(rate, fc.array(fen(10n ** 12n), { minLength: 1, maxLength: 12 }), (r, parts) => {
        const { net, total } = redeemInParts(r, parts);
        expect(total).toBe(computeSubsidy({ ...base, rate: r, executedAmount: net }).subsidy);
      }),
    );
  });

  it('a subsidy never exceeds rate × executed, any remaining cap, or the voucher balance, and is never negative', () => {
    fc.assert(
      fc.property(
        rate,
        fen(10n ** 13n),
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.option(fen(10n ** 10n), { nil: null }),
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        fc.option(fen(10n ** 10n), { nil: null }),
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        (r, executed, before, policyCap, policyUsed, programCap, programUsed, balance) => {
          const result = computeSubsidy({
            rate: r,
            netExecutedBefore: before,
            executedAmount: executed,
            policyCap: { cap: policyCap, usedBefore: policyUsed },
            programCap: { cap: programCap, usedBefore: programUsed },
            voucherBalance: balance,
          });
          expect(result.subsidy >= 0n).toBe(true);
          expect(result.subsidy <= floorFen(r, executed) + 1n).toBe(true); // cumulative floor may carry one fen from before
          expect(result.subsidy <= result.entitlement).toBe(true);
          expect(result.entitlement <= floorFen(r, before + executed)).toBe(true);
          if (policyCap !== null) expect(result.subsidy <= (policyCap > policyUsed ? policyCap - policyUsed : 0n)).toBe(true);
          if (programCap !== null) expect(result.subsidy <= (programCap > programUsed ? programCap - programUsed : 0n)).toBe(true);
          expect(result.subsidy <= balance).toBe(true);
          expect(result.limitedBy === null).toBe(result.subsidy === result.entitlement);
        },
      ),
    );
  });

  it('the cumulative subsidy of a contract never exceeds rate × its net executed amount', () => {
    fc.assert(
      fc.property(rate, fc.array(fen(10n ** 9n), { minLength: 1, maxLength: 20 }), (r, parts) => {
        redeemInParts(r, parts, (net, total) => expect(total <= floorFen(r, net)).toBe(true));
      }),
    );
  });
});
