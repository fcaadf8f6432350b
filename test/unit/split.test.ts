import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitByRatio } from '../../src/rules/split.js';
import { formatFen, parseYuan } from '../../src/shared/money.js';

const yuan = (shares: { region: string; amount: bigint }[]) => shares.map((s) => `${s.region}:${formatFen(s.amount)}`);

describe('splitByRatio (largest remainder)', () => {
  it('splits 100.01 by 0.6/0.4 into 60.01 / 40.00: 6000.6 and 4000.4 fen floor to 10000, the odd fen goes to .6', () => {
    expect(
      yuan(
        splitByRatio(parseYuan('100.01'), [
          { region: '330000', ratio: '0.6' },
          { region: '330100', ratio: '0.4' },
        ]),
      ),
    ).toEqual(['330000:60.01', '330100:40.00']);
  });

  it('gives tied remainders to the funder listed first: 0.01 split 1:1 is 0.01 / 0.00', () => {
    expect(
      yuan(
        splitByRatio(1n, [
          { region: '330100', ratio: '0.5' },
          { region: '330000', ratio: '0.5' },
        ]),
      ),
    ).toEqual(['330100:0.01', '330000:0.00']);
  });

  it('hands out two leftover fen to the two largest remainders: 1.00 by 0.3333/0.3333/0.3334 is 0.33 / 0.33 / 0.34', () => {
    // 33.33, 33.33, 33.34 fen floor to 33+33+33 = 99; one fen left, largest remainder .34 → the third.
    expect(
      yuan(
        splitByRatio(100n, [
          { region: 'a', ratio: '0.3333' },
          { region: 'b', ratio: '0.3333' },
          { region: 'c', ratio: '0.3334' },
        ]),
      ),
    ).toEqual(['a:0.33', 'b:0.33', 'c:0.34']);
    // 2.00 → 66.66, 66.66, 66.68 fen → 66+66+66 = 198; remainders .66 .66 .68 → c then a.
    expect(
      yuan(
        splitByRatio(200n, [
          { region: 'a', ratio: '0.3333' },
          { region: 'b', ratio: '0.3333' },
          { region: 'c', ratio: '0.3334' },
        ]),
      ),
    ).toEqual(['a:0.67', 'b:0.66', 'c:0.67']);
  });

  it('stays exact at the largest amount the ledger holds: 2^63 − 1 fen by 0.6/0.4', () => {
    // 0.6 × 9223372036854775807 = 5534023222112865484.2 and 0.4 × … = 3689348814741910322.8: the odd fen goes to .8.
    expect(
      splitByRatio(9223372036854775807n, [
        { region: 'p', ratio: '0.6' },
        { region: 'c', ratio: '0.4' },
      ]).map((s) => s.amount),
    ).toEqual([5534023222112865484n, 3689348814741910323n]);
  });

  it('mirrors a negative amount', () => {
    expect(
      yuan(
        splitByRatio(-10001n, [
          { region: 'p', ratio: '0.6' },
          { region: 'c', ratio: '0.4' },
        ]),
      ),
    ).toEqual(['p:-60.01', 'c:-40.00']);
  });

  it('refuses ratios that do not sum to 1', () => {
    expect(() =>
      splitByRatio(100n, [
        { region: 'a', ratio: '0.5' },
        { region: 'b', ratio: '0.4' },
      ]),
    ).toThrow(/sum to 0.9/);
  });

  it('always sums to the amount and gives each funder floor or floor + 1 fen of its exact share', () => {
    const ratios = fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 5 }).map((parts) => {
      const total = parts.reduce((a, b) => a + b, 0);
      // Integer parts per 10,000 that sum to exactly 10,000.
      const scaled = parts.map((p) => Math.floor((p * 10000) / total));
      scaled[0] = (scaled[0] ?? 0) + 10000 - scaled.reduce((a, b) => a + b, 0);
      return scaled.filter((s) => s > 0).length === scaled.length ? scaled : null;
    });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), ratios, (amount, parts) => {
        if (!parts) return;
        const funders = parts.map((p, i) => ({ region: `r${i}`, ratio: (p / 10000).toFixed(4) }));
        const shares = splitByRatio(amount, funders);
        expect(shares.reduce((sum, s) => sum + s.amount, 0n)).toBe(amount);
        shares.forEach((share, i) => {
          const floor = (amount * BigInt(parts[i] ?? 0)) / 10000n;
          expect(share.amount === floor || share.amount === floor + 1n).toBe(true);
        });
      }),
    );
  });
});
