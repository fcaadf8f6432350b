// Who funds a program and in which shares (decision 0017): the issuer's own region and the regions covering it,
// each listed once, ratios summing to exactly 1; the issuer's share is appropriated at creation, the others'
// await each funder's confirmation.
import { Decimal } from 'decimal.js';
import { type Funder, splitByRatio } from '../../rules/split.js';
import type { FieldError } from '../../shared/errors.js';
import type { Fen } from '../../shared/money.js';
import { covers } from '../../shared/region.js';
import type { FunderState } from '../programs.model.js';

/** The funders as listed, each ratio written as decimal.js writes it ("0.40" is "0.4"); the issuer's region alone when none is listed. */
export const listedFunders = (funding: readonly Funder[] | undefined, issuerRegion: string): Funder[] =>
  (funding ?? [{ region: issuerRegion, ratio: '1' }]).map((funder) => ({ region: funder.region, ratio: new Decimal(funder.ratio).toString() }));

/**
 * The funding rules the schema cannot see alone: each funder is the issuer's region or one covering it, listed
 * once, the issuer's own region among them (its share is appropriated at creation), ratios summing to exactly 1.
 */
export function fundingErrors(funders: readonly Funder[], issuerRegion: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  funders.forEach((funder, i) => {
    const earlier = seen.get(funder.region);
    if (earlier !== undefined) errors.push({ field: `funding[${i}].region`, message: `lists region ${funder.region} again (already funding[${earlier}])` });
    else seen.set(funder.region, i);
    if (!covers(funder.region, issuerRegion))
      errors.push({ field: `funding[${i}].region`, message: `must be the issuer's region ${issuerRegion} or a region that covers it` });
  });
  if (!seen.has(issuerRegion)) errors.push({ field: 'funding', message: `must include the issuer's own region ${issuerRegion}` });
  const total = funders.reduce((sum, f) => sum.plus(f.ratio), new Decimal(0));
  if (!total.eq(1)) errors.push({ field: 'funding', message: `ratios must sum to exactly 1; they sum to ${total.toString()}` });
  return errors;
}

/** The budget split by ratio at creation: the issuer's own share confirmed at once, every other funder's pending. */
export function initialFunderStates(budget: Fen, funders: readonly Funder[], issuerRegion: string): FunderState[] {
  return splitByRatio(budget, funders).map((share, i) => {
    const own = share.region === issuerRegion;
    return { region: share.region, ratio: funders[i]!.ratio, confirmed: own ? share.amount : 0n, pending: own ? 0n : share.amount };
  });
}
