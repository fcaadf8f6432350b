import { z } from 'zod';

/** A GB/T 2260 administrative division code: province XX0000, prefecture XXYY00, county XXYYZZ. */
export const REGION_PATTERN = /^[1-8][0-9]{5}$/;

export const regionSchema = z.string({ error: 'must be a 6-digit GB/T 2260 region code' }).regex(REGION_PATTERN, 'must be a 6-digit GB/T 2260 region code');

/** The inclusive range of region codes that a region covers: a province its prefectures and counties, and so on. */
export function coveredRange(region: string): { from: string; to: string } {
  if (region.endsWith('0000')) return { from: region, to: `${region.slice(0, 2)}9999` };
  if (region.endsWith('00')) return { from: region, to: `${region.slice(0, 4)}99` };
  return { from: region, to: region };
}

export function covers(outer: string, inner: string): boolean {
  const { from, to } = coveredRange(outer);
  return inner >= from && inner <= to;
}
