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

  const exact = funders.map((f) => new Decimal(amount.toString()).times(f.ratio));
  const shares = exact.map((value) => BigInt(value.floor().toFixed(0)));
  let leftover = amount - shares.reduce((sum, s) => sum + s, 0n);
  // Stable sort keeps the listed order among equal remainders: ties go to the funder listed first.
  const byRemainder = exact.map((value, index) => ({ index, remainder: value.minus(value.floor()) })).sort((a, b) => b.remainder.comparedTo(a.remainder));
  for (const { index } of byRemainder) {
    if (leftover === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return funders.map((f, index) => ({ region: f.region, amount: shares[index] ?? 0n }));
}
