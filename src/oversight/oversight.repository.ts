// The only module that reads or writes the watchlist, related-party groups and spot checks (migration 0015,
// decision 0042).
import { type Kysely, type Selectable, sql } from 'kysely';
import { firstRow, prepared } from '../db/prepared.js';
import type { Database } from '../db/schema.js';
import type { RelatedPartyGroupTable, SpotCheckItemTable, SpotCheckTable, WatchlistTable } from '../db/schema.oversight.js';
import type { Listing, Outcome, RelatedGroup, Relation, SpotCheck, SpotCheckItem } from './oversight.model.js';

type Db = Kysely<Database>;
type WatchlistRow = Selectable<WatchlistTable>;
type RelatedGroupTable = Selectable<RelatedPartyGroupTable>;
type SpotCheckRow = Selectable<SpotCheckTable>;
type SpotCheckItemRow = Selectable<SpotCheckItemTable>;

export function listingToDomain(row: WatchlistRow): Listing {
  return {
    id: row.id,
    uscc: row.uscc,
    name: row.name,
    region: row.region,
    reason: row.reason,
    source: row.source,
    listedOn: row.listed_on,
    listedAt: row.listed_at,
    listedBy: row.listed_by,
    listedSeq: Number(row.listed_seq),
    delisting:
      row.delisted_on === null
        ? null
        : { on: row.delisted_on, at: row.delisted_at!, by: row.delisted_by!, reason: row.delist_reason!, seq: Number(row.delisted_seq) },
  };
}

export function listingToRow(listing: Listing): WatchlistRow {
  return {
    id: listing.id,
    uscc: listing.uscc,
    name: listing.name,
    region: listing.region,
    reason: listing.reason,
    source: listing.source,
    listed_on: listing.listedOn,
    listed_at: listing.listedAt,
    listed_by: listing.listedBy,
    listed_seq: BigInt(listing.listedSeq),
    delisted_on: listing.delisting?.on ?? null,
    delisted_at: listing.delisting?.at ?? null,
    delisted_by: listing.delisting?.by ?? null,
    delist_reason: listing.delisting?.reason ?? null,
    delisted_seq: listing.delisting ? BigInt(listing.delisting.seq) : null,
  };
}

export async function insertListing(db: Db, listing: Listing): Promise<void> {
  await db.insertInto('watchlist').values(listingToRow(listing)).execute();
}

export async function recordDelisting(db: Db, listing: Listing): Promise<void> {
  const row = listingToRow(listing);
  await db
    .updateTable('watchlist')
    .set({
      delisted_on: row.delisted_on,
      delisted_at: row.delisted_at,
      delisted_by: row.delisted_by,
      delist_reason: row.delist_reason,
      delisted_seq: row.delisted_seq,
    })
    .where('id', '=', listing.id)
    .where('delisted_on', 'is', null)
    .execute();
}

/** The active listing of an enterprise by one region, if any. */
export async function activeListingBy(db: Db, uscc: string, region: string): Promise<Listing | undefined> {
  const row = await db
    .selectFrom('watchlist')
    .selectAll()
    .where('uscc', '=', uscc)
    .where('region', '=', region)
    .where('delisted_on', 'is', null)
    .executeTakeFirst();
  return row && listingToDomain(row);
}

/**
 * The active listings of an enterprise that apply to a program of `programRegion`: made by that region, its
 * prefecture or its province (a listing applies in the lister's region and below).
 */
/** The regions whose listings apply to a program of `region`: itself, its prefecture and its province (GB/T 2260). */
const listingRegions = (region: string) => ({ county: region, prefecture: `${region.slice(0, 4)}00`, province: `${region.slice(0, 2)}0000` });

// Prepared: every redemption and approval asks (decision 0036).
const listingsCovering = prepared<{ uscc: string; county: string; prefecture: string; province: string }, WatchlistRow>((db, p) =>
  db
    .selectFrom('watchlist')
    .selectAll()
    .where('uscc', '=', p.uscc)
    .where('region', 'in', [p.county, p.prefecture, p.province])
    .where('delisted_on', 'is', null)
    .orderBy('listed_seq'),
);
export async function activeListingsCovering(db: Db, uscc: string, programRegion: string): Promise<Listing[]> {
  return (await listingsCovering(db, { uscc, ...listingRegions(programRegion) })).rows.map(listingToDomain);
}

/** Listings that apply in `region` (made above it) or were made within it, newest first, optionally of one enterprise. */
export async function listListings(
  db: Db,
  scope: { region: string; within: { from: string; to: string } },
  filter: { uscc?: string | undefined; status?: 'active' | 'delisted' | undefined },
  beforeSeq: number | undefined,
  limit: number,
): Promise<Listing[]> {
  const { prefecture, province } = listingRegions(scope.region);
  const above = [...new Set([prefecture, province])];
  let query = db
    .selectFrom('watchlist')
    .selectAll()
    .where((eb) => eb.or([eb('region', 'in', above), eb.and([eb('region', '>=', scope.within.from), eb('region', '<=', scope.within.to)])]));
  if (filter.uscc !== undefined) query = query.where('uscc', '=', filter.uscc);
  if (filter.status === 'active') query = query.where('delisted_on', 'is', null);
  if (filter.status === 'delisted') query = query.where('delisted_on', 'is not', null);
  if (beforeSeq !== undefined) query = query.where('listed_seq', '<', BigInt(beforeSeq));
  const rows = await query.orderBy('listed_seq', 'desc').limit(limit).execute();
  return rows.map(listingToDomain);
}

const relatedToDomain = (row: RelatedGroupTable, usccs: string[]): RelatedGroup => ({
  id: row.id,
  region: row.region,
  // Only the relations the API accepts are stored (a check constraint too).
  relation: row.relation as Relation,
  usccs,
  reason: row.reason,
  declaredAt: row.declared_at,
  declaredBy: row.declared_by,
  ledgerSeq: Number(row.ledger_seq),
});

export async function insertRelatedGroup(db: Db, group: RelatedGroup): Promise<void> {
  await db
    .insertInto('related_party_groups')
    .values({
      id: group.id,
      region: group.region,
      relation: group.relation,
      reason: group.reason,
      declared_at: group.declaredAt,
      declared_by: group.declaredBy,
      ledger_seq: BigInt(group.ledgerSeq),
    })
    .execute();
  await db
    .insertInto('related_party_members')
    .values(group.usccs.map((uscc, position) => ({ group_id: group.id, position: BigInt(position), uscc })))
    .execute();
}

async function withMembers(db: Db, rows: RelatedGroupTable[]): Promise<RelatedGroup[]> {
  if (rows.length === 0) return [];
  const members = await db
    .selectFrom('related_party_members')
    .selectAll()
    .where(
      'group_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('group_id')
    .orderBy('position')
    .execute();
  const byGroup = new Map<string, string[]>();
  for (const member of members) byGroup.set(member.group_id, [...(byGroup.get(member.group_id) ?? []), member.uscc]);
  return rows.map((row) => relatedToDomain(row, byGroup.get(row.id) ?? []));
}

/** The first group (by declaration) that holds both enterprises, if any. */
/** What bars a provider and an enterprise in one program: their listings that apply, and a group joining the two. */
export interface PartyBar {
  kind: 'listing' | 'group';
  id: string;
  uscc: string;
  region: string;
  /** The listing's source, or the group's relation. */
  source: string;
  listedOn: string | null;
  reason: string;
}

// One statement for the checks every redemption runs (decision 0036: a statement per check cost a tenth of an
// HTTP redemption): the two parties' listings covering the program's region, and a group joining them.
const partyBars = prepared<{ provider: string; enterprise: string; county: string; prefecture: string; province: string }, PartyBar>((db, p) =>
  db
    .selectFrom('watchlist')
    .select([sql<'listing' | 'group'>`'listing'`.as('kind'), 'id', 'uscc', 'region', 'source', sql<string | null>`listed_on`.as('listedOn'), 'reason'])
    .where('uscc', 'in', [p.provider, p.enterprise])
    .where('region', 'in', [p.county, p.prefecture, p.province])
    .where('delisted_on', 'is', null)
    .unionAll(
      db
        .selectFrom('related_party_members as ma')
        .innerJoin('related_party_members as mb', 'mb.group_id', 'ma.group_id')
        .innerJoin('related_party_groups as g', 'g.id', 'ma.group_id')
        .select([
          sql<'listing' | 'group'>`'group'`.as('kind'),
          'g.id',
          'ma.uscc',
          'g.region',
          'g.relation as source',
          sql<string | null>`null`.as('listedOn'),
          'g.reason',
        ])
        .where('ma.uscc', '=', p.provider)
        .where('mb.uscc', '=', p.enterprise),
    ),
);
export async function barsOnParties(db: Db, parties: { provider: string; enterprise: string }, programRegion: string): Promise<PartyBar[]> {
  return (await partyBars(db, { ...parties, ...listingRegions(programRegion) })).rows;
}

const groupsJoining = prepared<{ a: string; b: string }, RelatedGroupTable>((db, p) =>
  db
    .selectFrom('related_party_groups as g')
    .innerJoin('related_party_members as ma', 'ma.group_id', 'g.id')
    .innerJoin('related_party_members as mb', 'mb.group_id', 'g.id')
    .selectAll('g')
    .where('ma.uscc', '=', p.a)
    .where('mb.uscc', '=', p.b)
    .orderBy('g.ledger_seq')
    .limit(1),
);
export async function groupJoining(db: Db, a: string, b: string): Promise<RelatedGroup | undefined> {
  const row = firstRow(await groupsJoining(db, { a, b }));
  return row && (await withMembers(db, [row]))[0];
}

/** Groups, newest first, optionally those that hold one enterprise. */
export async function listRelatedGroups(db: Db, filter: { uscc?: string | undefined }, beforeSeq: number | undefined, limit: number): Promise<RelatedGroup[]> {
  let query = db.selectFrom('related_party_groups').selectAll();
  if (beforeSeq !== undefined) query = query.where('ledger_seq', '<', BigInt(beforeSeq));
  const { uscc } = filter;
  if (uscc !== undefined) query = query.where('id', 'in', (eb) => eb.selectFrom('related_party_members').select('group_id').where('uscc', '=', uscc));
  return withMembers(db, await query.orderBy('ledger_seq', 'desc').limit(limit).execute());
}

function spotCheckToDomain(row: SpotCheckRow, items: SpotCheckItemRow[]): SpotCheck {
  return {
    id: row.id,
    programId: row.program_id,
    region: row.region,
    seed: row.seed,
    rate: row.rate,
    population: Number(row.population),
    drawnOn: row.drawn_on,
    drawnAt: row.drawn_at,
    drawnByRole: row.drawn_by_role,
    drawnBy: row.drawn_by,
    ledgerSeq: Number(row.ledger_seq),
    items: items.map((item): SpotCheckItem => ({
      redemptionId: item.redemption_id,
      result:
        item.outcome === null
          ? null
          : {
              // Only the outcomes the API accepts are stored (a check constraint too).
              outcome: item.outcome as Outcome,
              reason: item.reason!,
              at: item.recorded_at!,
              byRole: item.recorded_by_role!,
              by: item.recorded_by!,
              seq: Number(item.ledger_seq),
            },
    })),
  };
}

const ITEMS_PER_STATEMENT = 1000;

export async function insertSpotCheck(db: Db, check: SpotCheck): Promise<void> {
  await db
    .insertInto('spot_checks')
    .values({
      id: check.id,
      program_id: check.programId,
      region: check.region,
      seed: check.seed,
      rate: check.rate,
      population: BigInt(check.population),
      drawn_on: check.drawnOn,
      drawn_at: check.drawnAt,
      drawn_by_role: check.drawnByRole,
      drawn_by: check.drawnBy,
      ledger_seq: BigInt(check.ledgerSeq),
    })
    .execute();
  const items = check.items.map((item, position) => ({ spot_check_id: check.id, position: BigInt(position), redemption_id: item.redemptionId }));
  // In slices: a sample of a large program binds more values than one statement may (SQLite: 32,766).
  for (let from = 0; from < items.length; from += ITEMS_PER_STATEMENT)
    await db
      .insertInto('spot_check_items')
      .values(items.slice(from, from + ITEMS_PER_STATEMENT))
      .execute();
}

export async function recordSpotCheckResult(db: Db, spotCheckId: string, item: SpotCheckItem): Promise<void> {
  const { result } = item;
  if (!result) return;
  await db
    .updateTable('spot_check_items')
    .set({
      outcome: result.outcome,
      reason: result.reason,
      recorded_at: result.at,
      recorded_by_role: result.byRole,
      recorded_by: result.by,
      ledger_seq: BigInt(result.seq),
    })
    .where('spot_check_id', '=', spotCheckId)
    .where('redemption_id', '=', item.redemptionId)
    .where('outcome', 'is', null)
    .execute();
}

async function itemsOf(db: Db, ids: string[]): Promise<Map<string, SpotCheckItemRow[]>> {
  const byCheck = new Map<string, SpotCheckItemRow[]>();
  if (ids.length === 0) return byCheck;
  const rows = await db.selectFrom('spot_check_items').selectAll().where('spot_check_id', 'in', ids).orderBy('spot_check_id').orderBy('position').execute();
  for (const row of rows) byCheck.set(row.spot_check_id, [...(byCheck.get(row.spot_check_id) ?? []), row]);
  return byCheck;
}

export async function findSpotCheck(db: Db, id: string): Promise<SpotCheck | undefined> {
  const row = await db.selectFrom('spot_checks').selectAll().where('id', '=', id).executeTakeFirst();
  return row && spotCheckToDomain(row, (await itemsOf(db, [id])).get(id) ?? []);
}

/** Spot checks within a region range, newest first, optionally of one program. */
export async function listSpotChecks(
  db: Db,
  regions: { from: string; to: string },
  filter: { programId?: string | undefined },
  beforeSeq: number | undefined,
  limit: number,
): Promise<SpotCheck[]> {
  let query = db.selectFrom('spot_checks').selectAll().where('region', '>=', regions.from).where('region', '<=', regions.to);
  if (beforeSeq !== undefined) query = query.where('ledger_seq', '<', BigInt(beforeSeq));
  if (filter.programId !== undefined) query = query.where('program_id', '=', filter.programId);
  const rows = await query.orderBy('ledger_seq', 'desc').limit(limit).execute();
  const items = await itemsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => spotCheckToDomain(row, items.get(row.id) ?? []));
}

/** The ids of a program's approved redemptions: a spot check's population (decision 0042). */
export async function approvedRedemptionIdsOfProgram(db: Db, programId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('redemptions')
    .innerJoin('vouchers', 'vouchers.id', 'redemptions.voucher_id')
    .select('redemptions.id')
    .where('vouchers.program_id', '=', programId)
    .where('redemptions.status', '=', 'approved')
    .execute();
  return rows.map((row) => row.id);
}
