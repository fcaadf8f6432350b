import { Decimal } from 'decimal.js';
import { z } from 'zod';
import type { Fen } from '../shared/money.js';

// Enough precision for 15-digit fen amounts times six-decimal rates, with no rounding before the floor.
const Exact = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_FLOOR });

/** A rate is a decimal fraction string between 0 and 1 with at most six decimals: "0.30". */
export const RATE_PATTERN = /^(0(\.[0-9]{1,6})?|1(\.0{1,6})?)$/;

export const rateSchema = z
  .string({ error: 'must be a decimal fraction string such as "0.30"' })
  .regex(RATE_PATTERN, 'must be a decimal fraction string between "0" and "1" with at most 6 decimals, e.g. "0.30"');

/** floor_fen(rate × amount): never more than the percentage allows. `toFixed` here is Decimal's, exact; no float is involved. */
export function floorFen(rate: string, amount: Fen): Fen {
  return BigInt(new Exact(rate).times(amount.toString()).floor().toFixed(0));
}

export function compareRates(a: string, b: string): number {
  return new Exact(a).comparedTo(b);
}

/** A rate in its canonical two-or-more-decimal form, so that "0.3" and "0.30" are recorded alike. */
export function normaliseRate(rate: string): string {
  const value = new Exact(rate);
  return value.decimalPlaces() <= 2 ? value.toFixed(2) : value.toFixed();
}
