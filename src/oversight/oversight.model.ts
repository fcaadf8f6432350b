// The watchlist, related-party groups and spot checks as the use cases and rules see them (decision 0042).

/** An enterprise listed by a region (失信 or another list): it applies to programs of that region and below. */
export interface Listing {
  id: string;
  uscc: string;
  name: string | null;
  region: string;
  reason: string;
  source: string;
  /** The day the listing authority listed it. */
  listedOn: string;
  listedAt: string;
  listedBy: string;
  listedSeq: number;
  delisting: { on: string; at: string; by: string; reason: string; seq: number } | null;
}

export const RELATIONS = ['shareholding', 'management', 'family', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];

/** Enterprises declared related (shareholding, management, family ties): a fact, so it applies everywhere. */
export interface RelatedGroup {
  id: string;
  region: string;
  relation: Relation;
  usccs: string[];
  reason: string;
  declaredAt: string;
  declaredBy: string;
  ledgerSeq: number;
}

export const OUTCOMES = ['passed', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface SpotCheckItem {
  redemptionId: string;
  result: { outcome: Outcome; reason: string; at: string; byRole: string; by: string; seq: number } | null;
}

export interface SpotCheck {
  id: string;
  programId: string;
  region: string;
  seed: string;
  rate: string;
  population: number;
  drawnOn: string;
  drawnAt: string;
  drawnByRole: string;
  drawnBy: string;
  ledgerSeq: number;
  /** The drawn redemptions, in drawn order. */
  items: SpotCheckItem[];
}
