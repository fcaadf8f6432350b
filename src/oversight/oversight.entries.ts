// The ledger entries of oversight (decision 0042), as pure drafts. None moves money: each records a decision that
// bars or questions money, with every input the verifier needs to re-derive what it barred or drew.
import type { Actor } from '../auth/actor.js';
import type { EntryDraft } from '../ledger/ledger.types.js';
import type { Listing, Outcome, RelatedGroup, SpotCheck } from './oversight.model.js';

export const listedEntry = (listing: Listing, actor: Actor): EntryDraft => ({
  type: 'watchlist.listed',
  actor,
  data: {
    region: listing.region,
    listingId: listing.id,
    uscc: listing.uscc,
    name: listing.name,
    reason: listing.reason,
    source: listing.source,
    listedOn: listing.listedOn,
  },
  postings: [],
});

export const delistedEntry = (listing: Listing, delisting: { on: string; reason: string }, actor: Actor): EntryDraft => ({
  type: 'watchlist.delisted',
  actor,
  data: { region: listing.region, listingId: listing.id, uscc: listing.uscc, reason: delisting.reason, delistedOn: delisting.on },
  postings: [],
});

export const relatedDeclaredEntry = (group: Omit<RelatedGroup, 'ledgerSeq'>, actor: Actor): EntryDraft => ({
  type: 'related_parties.declared',
  actor,
  data: { region: group.region, groupId: group.id, relation: group.relation, usccs: [...group.usccs], reason: group.reason },
  postings: [],
});

type ProgramOfEntry = { id: string; region: string; kind: string };

export const spotCheckDrawnEntry = (program: ProgramOfEntry, check: Omit<SpotCheck, 'ledgerSeq'>, actor: Actor): EntryDraft => ({
  type: 'spot_check.drawn',
  actor,
  data: {
    region: program.region,
    programId: program.id,
    kind: program.kind,
    spotCheckId: check.id,
    seed: check.seed,
    rate: check.rate,
    population: check.population,
    size: check.items.length,
    redemptionIds: check.items.map((item) => item.redemptionId),
  },
  postings: [],
});

export const spotCheckResultEntry = (
  program: ProgramOfEntry,
  result: { spotCheckId: string; redemptionId: string; outcome: Outcome; reason: string },
  actor: Actor,
): EntryDraft => ({
  type: 'spot_check.result_recorded',
  actor,
  data: {
    region: program.region,
    programId: program.id,
    kind: program.kind,
    spotCheckId: result.spotCheckId,
    redemptionId: result.redemptionId,
    outcome: result.outcome,
    reason: result.reason,
  },
  postings: [],
});
