// Program close, the watchlist, related-party groups and spot checks (migration 0015, decision 0042). The ledger
// holds the same decisions as entries.

export interface WatchlistTable {
  id: string;
  uscc: string;
  name: string | null;
  /** The listing region: the listing applies to programs of this region and below. */
  region: string;
  reason: string;
  source: string;
  listed_on: string;
  listed_at: string;
  listed_by: string;
  listed_seq: bigint;
  delisted_on: string | null;
  delisted_at: string | null;
  delisted_by: string | null;
  delist_reason: string | null;
  delisted_seq: bigint | null;
}

export interface RelatedPartyGroupTable {
  id: string;
  region: string;
  relation: string;
  reason: string;
  declared_at: string;
  declared_by: string;
  ledger_seq: bigint;
}

export interface RelatedPartyMemberTable {
  group_id: string;
  position: bigint;
  uscc: string;
}

export interface SpotCheckTable {
  id: string;
  program_id: string;
  region: string;
  seed: string;
  rate: string;
  population: bigint;
  drawn_on: string;
  drawn_at: string;
  drawn_by_role: string;
  drawn_by: string;
  ledger_seq: bigint;
}

export interface SpotCheckItemTable {
  spot_check_id: string;
  position: bigint;
  redemption_id: string;
  outcome: string | null;
  reason: string | null;
  recorded_at: string | null;
  recorded_by_role: string | null;
  recorded_by: string | null;
  ledger_seq: bigint | null;
}

export interface OversightTables {
  watchlist: WatchlistTable;
  related_party_groups: RelatedPartyGroupTable;
  related_party_members: RelatedPartyMemberTable;
  spot_checks: SpotCheckTable;
  spot_check_items: SpotCheckItemTable;
}
