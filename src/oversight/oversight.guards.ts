// What the watchlist and related-party groups bar (decision 0042), for the use cases of other features to call
// inside their transactions: a listed party where its listing applies, and a contract between related parties.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { DomainError } from '../shared/errors.js';
import { activeListingsCovering, barsOnParties, groupJoining } from './oversight.repository.js';

type Party = 'enterprise' | 'provider';

const listedError = (
  party: Party,
  uscc: string,
  listing: { id: string; region: string; source: string; listedOn: string | null; reason: string },
  field?: string,
) =>
  new DomainError(
    'listed_entity',
    `the ${party} ${uscc} is on the watchlist of region ${listing.region} (listing ${listing.id}, ${listing.source}, listed on ${listing.listedOn}): ${listing.reason}`,
    field ? { field } : {},
  );

const relatedError = (providerUscc: string, beneficiaryUscc: string, group: { id: string; relation: string; reason: string }, field?: string) =>
  new DomainError(
    'related_party',
    `the provider ${providerUscc} and the beneficiary ${beneficiaryUscc} are related (${group.relation}, group ${group.id}): ${group.reason}`,
    field ? { field } : {},
  );

/** Refuses `422 listed_entity`, naming the listing, when a listing applies to the party in a program of `programRegion`. */
export async function assertNotListed(db: Kysely<Database>, party: Party, uscc: string, programRegion: string, field?: string): Promise<void> {
  const [listing] = await activeListingsCovering(db, uscc, programRegion);
  if (listing) throw listedError(party, uscc, listing, field);
}

/** Refuses `422 related_party`, naming the group, when the provider and the beneficiary were declared related. */
export async function assertNotRelated(db: Kysely<Database>, providerUscc: string, beneficiaryUscc: string, field?: string): Promise<void> {
  const group = await groupJoining(db, providerUscc, beneficiaryUscc);
  if (group) throw relatedError(providerUscc, beneficiaryUscc, group, field);
}

/**
 * Both checks for a provider and an enterprise in a program, in one statement (the redemption path runs it every
 * time): the provider's listing, the enterprise's when `checkEnterprise`, then a group joining the two; the first
 * found refuses, as the separate checks would.
 */
export async function assertPartiesClear(
  db: Kysely<Database>,
  parties: { provider: string; enterprise: string; checkEnterprise: boolean },
  programRegion: string,
  fields: { enterprise?: string; related?: string } = {},
): Promise<void> {
  const bars = await barsOnParties(db, parties, programRegion);
  const listing = (uscc: string) => bars.find((bar) => bar.kind === 'listing' && bar.uscc === uscc);
  const provider = listing(parties.provider);
  if (provider) throw listedError('provider', parties.provider, provider);
  const enterprise = parties.checkEnterprise ? listing(parties.enterprise) : undefined;
  if (enterprise) throw listedError('enterprise', parties.enterprise, enterprise, fields.enterprise);
  const group = bars.find((bar) => bar.kind === 'group');
  if (group) throw relatedError(parties.provider, parties.enterprise, { id: group.id, relation: group.source, reason: group.reason }, fields.related);
}
