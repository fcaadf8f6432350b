// The watchlist, related-party groups and spot checks as the API answers them.
import type { Listing, RelatedGroup, SpotCheck } from './oversight.model.js';
import type { ListingView, RelatedGroupView, SpotCheckView } from './oversight.schemas.js';

export const listingView = (listing: Listing): ListingView => ({
  id: listing.id,
  uscc: listing.uscc,
  name: listing.name,
  region: listing.region,
  reason: listing.reason,
  source: listing.source,
  listedOn: listing.listedOn,
  listedAt: listing.listedAt,
  status: listing.delisting ? 'delisted' : 'active',
  delisting: listing.delisting && { on: listing.delisting.on, at: listing.delisting.at, reason: listing.delisting.reason },
  ledgerSeq: listing.listedSeq,
});

export const relatedGroupView = (group: RelatedGroup): RelatedGroupView => ({
  id: group.id,
  region: group.region,
  relation: group.relation,
  usccs: [...group.usccs],
  reason: group.reason,
  declaredAt: group.declaredAt,
  ledgerSeq: group.ledgerSeq,
});

export function spotCheckView(check: SpotCheck): SpotCheckView {
  const results = check.items.map((item) => item.result).filter((result) => result !== null);
  return {
    id: check.id,
    programId: check.programId,
    region: check.region,
    seed: check.seed,
    rate: check.rate,
    population: check.population,
    size: check.items.length,
    drawnOn: check.drawnOn,
    drawnBy: { role: check.drawnByRole, sub: check.drawnBy },
    ledgerSeq: check.ledgerSeq,
    items: check.items.map((item) => ({
      redemptionId: item.redemptionId,
      outcome: item.result?.outcome ?? null,
      reason: item.result?.reason ?? null,
      recordedAt: item.result?.at ?? null,
    })),
    summary: {
      checked: results.length,
      passed: results.filter((r) => r.outcome === 'passed').length,
      failed: results.filter((r) => r.outcome === 'failed').length,
    },
  };
}
