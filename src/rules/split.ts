import { Decimal } from 'decimal.js';
import type { Fen } from '../shared/money.js';

/** One co-funder of a program: a region and its share as a decimal string (at most 4 decimals, > 0). */
export interface Funder {
  region: string;
  ratio: string;
}

export interface Share {
  region: string;
  amount: Fen;
}

/**
 * Splits an amount across funders by the largest-remainder rule: each share is floor_fen(amount × ratio);
 * the fen left over go one each to the largest fractional remainders, ties to the funder listed first.
 * The shares always sum to the amount exactly (ratios must sum to 1). A negative amount is split as its
 * magnitude and negated, so that a return of money mirrors the payment it undoes.
 */
export function splitByRatio(amount: Fen, funders: readonly Funder[]): Share[] {
  if (funders.length === 0) throw new RangeError('splitByRatio needs at least one funder');
  const total = funders.reduce((sum, f) => sum.plus(f.ratio), new Decimal(0));
  if (!total.eq(1)) throw new RangeError(`funder ratios sum to ${total.toString()}, not 1`);
  if (amount < 0n) return splitByRatio(-amount, funders).map((share) => ({ region: share.region, amount: -share.amount }));

  // Exact integers: each ratio as parts of 10^d (d its most decimals), which sum to 10^d, split as weights: no
  // decimal precision limit applies, whatever the amount.
  const decimals = Math.max(...funders.map((f) => new Decimal(f.ratio).decimalPlaces()));
  const scale = 10n ** BigInt(decimals);
  return splitByWeights(
    amount,
    funders.map((f) => ({ region: f.region, weight: BigInt(new Decimal(f.ratio).times(scale.toString()).toFixed(0)) })),
  );
}

export interface WeightedShare {
  region: string;
  weight: Fen;
}

/**
 * Splits an amount in proportion to integer weights by the same largest-remainder rule: each share is
 * floor(amount × weight / Σweights), the fen left over go one each to the largest remainders, ties to the one listed
 * first. A program's close returns its money in the shares it came in, weighted by what each funder confirmed
 * (decision 0042). Σweights must be positive and the amount not negative.
 */
export function splitByWeights(amount: Fen, weighted: readonly WeightedShare[]): Share[] {
  const total = weighted.reduce((sum, w) => sum + w.weight, 0n);
  if (total <= 0n || weighted.some((w) => w.weight < 0n)) throw new RangeError('splitByWeights needs non-negative weights with a positive sum');
  if (amount < 0n) throw new RangeError('splitByWeights splits a non-negative amount');
  const shares = weighted.map((w) => (amount * w.weight) / total);
  let leftover = amount - shares.reduce((sum, s) => sum + s, 0n);
  const byRemainder = weighted
    .map((w, index) => ({ index, remainder: (amount * w.weight) % total }))
    .sort((a, b) => (a.remainder === b.remainder ? 0 : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of byRemainder) {
    if (leftover === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return weighted.map((w, index) => ({ region: w.region, amount: shares[index] ?? 0n }));
}
