// The verifier's largest-remainder split (integer ten-thousandths, src/verifier/funding.ts) is a second,
// independent implementation of the service's (decimal.js, src/rules/split.ts): the two must agree on every
// amount and every list of ratios, or the verifier would flag genuine entries or pass forged ones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitByRatio } from '../../src/rules/split.js';
import { largestRemainder } from '../../src/verifier/funding.js';

/** 1 to 3 ratios in ten-thousandths, each > 0, summing to 10000. */
const ratios = fc
  .integer({ min: 1, max: 3 })
  .chain((n) => fc.uniqueArray(fc.integer({ min: 1, max: 9_999 }), { minLength: n - 1, maxLength: n - 1 }))
  .map((cuts) => {
    const points = [0, ...cuts.sort((a, b) => a - b), 10_000];
    return points.slice(1).map((p, i) => BigInt(p - points[i]!));
  });
const text = (units: bigint) => (units === 10_000n ? '1' : `0.${String(units).padStart(4, '0')}`);

describe('the verifier’s largest-remainder split', () => {
  it('agrees with the service’s on worked examples', () => {
    expect(largestRemainder(10_001n, [6_000n, 4_000n])).toEqual([6_001n, 4_000n]);
    expect(largestRemainder(1n, [5_000n, 5_000n])).toEqual([1n, 0n]);
    expect(largestRemainder(10n, [3_334n, 3_333n, 3_333n])).toEqual([4n, 3n, 3n]);
    expect(largestRemainder(5n, [3_334n, 3_333n, 3_333n])).toEqual([2n, 2n, 1n]);
  });

  it('agrees with splitByRatio for any amount up to 13 integer digits and any ratios', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999_999n }), ratios, (amount, units) => {
        const funders = units.map((u, i) => ({ region: `33010${i}`, ratio: text(u) }));
        expect(largestRemainder(amount, units)).toEqual(splitByRatio(amount, funders).map((s) => s.amount));
      }),
      { numRuns: 2_000, seed: 20251215 },
    );
  });
});
