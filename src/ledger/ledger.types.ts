import type { Actor } from '../auth/actor.js';
import type { Fen } from '../shared/money.js';

export const ENTRY_TYPES = [
  'program.funded',
  'voucher.issued',
  'redemption.recorded',
  'redemption.reversed',
  'voucher.revoked',
  'voucher.expired',
  'program.budget_changed',
  'payment.approved',
  'payment.disbursed',
  'payment.recovered',
  // Applications (decision 0038): decisions that lead to money, without postings.
  'application.submitted',
  'application.reviewed',
  'application.notice_opened',
  'application.objection_recorded',
  'application.objection_resolved',
  // Claims (decision 0041): a reservation, the decisions on it, and its approval or release.
  'claim.submitted',
  'claim.confirmed',
  'claim.disputed',
  'claim.resubmitted',
  'claim.returned',
  'claim.approved',
  'claim.rejected',
  'claim.withdrawn',
  'claim.lapsed',
  // Oversight (decision 0042): a program's close moves money; listings, related-party groups and spot checks do not.
  'program.closed',
  'watchlist.listed',
  'watchlist.delisted',
  'related_parties.declared',
  'spot_check.drawn',
  'spot_check.result_recorded',
] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Every entry's data names the region it belongs to (for auditors' scope) and, where it has them, program and kind. */
export interface EntryData {
  region: string;
  /** Absent only from the entries about enterprises rather than a program: listings and related-party groups (decision 0042). */
  programId?: string;
  kind?: string;
  [key: string]: JsonValue | undefined;
}

export interface Posting {
  account: string;
  /** Signed yuan with two decimals: debit negative, credit positive. */
  amount: string;
}

/** An entry exactly as the API returns it; `hash` covers every other member. */
export interface LedgerEntry {
  seq: number;
  type: EntryType;
  recordedAt: string;
  actor: Actor;
  data: EntryData;
  postings: Posting[];
  prevHash: string;
  hash: string;
}

export interface PostingDraft {
  account: string;
  amount: Fen;
}

export interface EntryDraft {
  type: EntryType;
  actor: Actor;
  data: EntryData;
  postings: PostingDraft[];
}

export const accounts = {
  appropriation: (region: string) => `appropriation:${region}`,
  program: (id: string) => `program:${id}`,
  voucher: (id: string) => `voucher:${id}`,
  /** What a claim holds of its voucher until it is approved or released (decision 0041). */
  reserved: (redemptionId: string) => `reserved:${redemptionId}`,
  payable: (providerUscc: string) => `payable:${providerUscc}`,
  /** What a funder region has paid out to providers (net of recoveries). */
  disbursed: (region: string) => `disbursed:${region}`,
};

/** A move of money from one account to another: the two postings of a simple balanced entry. */
export const transfer = (from: string, to: string, amount: Fen): PostingDraft[] => [
  { account: from, amount: -amount },
  { account: to, amount },
];
