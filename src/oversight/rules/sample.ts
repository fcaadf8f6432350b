// The spot check's draw (decision 0042): reproducible by anyone who has the seed and the approved redemptions.
import { createHash } from 'node:crypto';
import { Decimal } from 'decimal.js';

/** round_half_up(rate × population): 0.10 of 200 is 20, 0.15 of 10 is 2 (1.5 rounds up). */
export function sampleSize(rate: string, population: number): number {
  return new Decimal(rate).times(population).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

/** The key a redemption is ordered by: the lowercase hex SHA-256 of the UTF-8 bytes of seed + id. */
export const drawKey = (seed: string, redemptionId: string): string =>
  createHash('sha256')
    .update(seed + redemptionId, 'utf8')
    .digest('hex');

/** The first round_half_up(rate × n) of the population ordered by their draw keys. */
export function drawSample(seed: string, rate: string, population: readonly string[]): string[] {
  const keyed = population.map((id) => ({ id, key: drawKey(seed, id) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.slice(0, sampleSize(rate, population.length)).map((k) => k.id);
}
