// Issuers keep the watchlist (decision 0042): a listing applies to programs of the lister's region and below
// until delisted; history is kept.
import { randomUUID } from 'node:crypto';
import { todayIn } from '../../shared/clock.js';
import { shanghaiDate } from '../../shared/dates.js';
import { DomainError } from '../../shared/errors.js';
import { decodeCursor, type Page, pageOf } from '../../shared/pagination.js';
import { coveredRange } from '../../shared/region.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { delistedEntry, listedEntry } from '../oversight.entries.js';
import type { Listing } from '../oversight.model.js';
import { activeListingBy, insertListing, listListings, recordDelisting } from '../oversight.repository.js';
import type { DelistInput, ListEnterpriseInput, ListingView, ListWatchlistQuery } from '../oversight.schemas.js';
import { listingView } from '../oversight.views.js';
import type { Checker, Issuer, OversightDeps } from './dependencies.js';

export async function listEnterprise(deps: OversightDeps, input: ListEnterpriseInput, ctx: CommandContext<Issuer>) {
  if (input.listedOn > todayIn(deps.clock)) throw DomainError.validation([{ field: 'listedOn', message: 'must not be in the future (Asia/Shanghai)' }]);
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    execute: async (trx): Promise<ListingView> => {
      const existing = await activeListingBy(trx, input.uscc, ctx.actor.region);
      if (existing)
        throw new DomainError('already_listed', `${input.uscc} is already listed by region ${ctx.actor.region} (listing ${existing.id})`, { field: 'uscc' });
      const now = deps.clock.now();
      const draft: Listing = {
        id: `wl_${randomUUID()}`,
        uscc: input.uscc,
        name: input.name ?? null,
        region: ctx.actor.region,
        reason: input.reason,
        source: input.source,
        listedOn: input.listedOn,
        listedAt: now.toISOString(),
        listedBy: ctx.actor.sub,
        listedSeq: 0,
        delisting: null,
      };
      const entry = await deps.ledger.append(trx, listedEntry(draft, ctx.actor), now);
      const listing = { ...draft, listedSeq: entry.seq };
      await insertListing(trx, listing);
      return listingView(listing);
    },
  });
}

export async function delistEnterprise(deps: OversightDeps, uscc: string, input: DelistInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    execute: async (trx): Promise<ListingView> => {
      const listing = await activeListingBy(trx, uscc, ctx.actor.region);
      if (!listing) throw DomainError.notFound(`an active listing of ${uscc} by region ${ctx.actor.region}`, 'uscc');
      const now = deps.clock.now();
      const on = shanghaiDate(now);
      const entry = await deps.ledger.append(trx, delistedEntry(listing, { on, reason: input.reason }, ctx.actor), now);
      const delisted: Listing = { ...listing, delisting: { on, at: now.toISOString(), by: ctx.actor.sub, reason: input.reason, seq: entry.seq } };
      await recordDelisting(trx, delisted);
      return listingView(delisted);
    },
  });
}

/** The listings that apply in the reader's region or were made within it, newest first. */
export async function readWatchlist(deps: Pick<OversightDeps, 'db'>, query: ListWatchlistQuery, actor: Checker): Promise<Page<ListingView>> {
  const after = decodeCursor<[number]>('watchlist', query.cursor, 1);
  const rows = await listListings(deps.db, { region: actor.region, within: coveredRange(actor.region) }, query, after?.[0], query.limit + 1);
  return pageOf(
    rows,
    query.limit,
    'watchlist',
    (listing) => [listing.listedSeq],
    async (kept) => kept.map(listingView),
  );
}
