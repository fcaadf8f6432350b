// A program and its funders as the use cases and the rules see them (decision 0017): money in fen, the limits
// column parsed, booleans as booleans. The repository maps them to and from rows.
import type { VoucherKind } from '../rules/policy.js';
import type { ProgramLimits } from '../rules/program-limits.js';
import type { Funder } from '../rules/split.js';
import type { Fen } from '../shared/money.js';

export interface Program {
  id: string;
  name: string;
  kind: VoucherKind;
  /** The issuing region: its issuers run the program. */
  region: string;
  policyId: string;
  /** The budget at creation; the current budget is the sum of the funders' shares, confirmed or pending. */
  initialBudget: Fen;
  /** The program's terms per cap bucket of its kind, in the policy's order. */
  limits: ProgramLimits;
  createdAt: string;
  createdBy: string;
  /** Redemptions need the contract's provider registered (decision 0018). */
  requireRegisteredProviders: boolean;
  /** How vouchers are issued: null when issuers issue them directly, else the terms of the application round (decision 0038). */
  applications: ApplicationTerms | null;
  /** Whether its redemptions are claims the enterprise confirms and the bureau reviews (decision 0041). */
  claims: ClaimTerms;
  /** The fiscal year and the day from which it may be closed; null for an open-ended program (decision 0042). */
  period: ProgramPeriod | null;
  /** Set once closed: the Asia/Shanghai day and the instant of the close (decision 0042). */
  closed: { on: string; at: string } | null;
}

export const PROGRAM_STATUSES = ['open', 'closed'] as const;

/** A program's period: the fiscal year it spends and the first day its issuer may close it (decision 0042). */
export interface ProgramPeriod {
  fiscalYear: number;
  closesOn: string;
}

/** A program's claim terms: with either check on, a redemption reserves its subsidy until approved (decision 0041). */
export interface ClaimTerms {
  beneficiaryConfirmation: boolean;
  review: boolean;
  /** Calendar days the enterprise has to confirm a claim (and the provider to answer a return). */
  confirmationDays: number;
}

export const DEFAULT_CLAIM_TERMS: ClaimTerms = { beneficiaryConfirmation: false, review: false, confirmationDays: 10 };

/** Whether the program's redemptions are claims. */
export const takesClaims = (terms: ClaimTerms): boolean => terms.beneficiaryConfirmation || terms.review;

/** Where objections to a public notice go: shown on every notice of the program. */
export interface NoticeContact {
  office: string;
  telephone: string;
}

/** A program that takes applications: its window, the length of its public notice in working days, and its contact. */
export interface ApplicationTerms {
  opensOn: string;
  closesOn: string;
  noticeWorkingDays: number;
  contact: NoticeContact;
}

export const ISSUANCE_MODES = ['direct', 'application'] as const;
export type IssuanceMode = (typeof ISSUANCE_MODES)[number];
export const issuanceOf = (program: Pick<Program, 'applications'>): IssuanceMode => (program.applications ? 'application' : 'direct');

/** A funder of a program with its money: confirmed (appropriated into the program) and pending its confirmation. */
export interface FunderState extends Funder {
  confirmed: Fen;
  pending: Fen;
}

/** What a budget change or a confirmation moves of one funder's counters. */
export interface FunderDelta {
  region: string;
  confirmed: Fen;
  pending: Fen;
}

/** The kinds of account a program's entries post to; `appropriation` is the funders' side of `funded`. */
export const PROGRAM_ACCOUNT_KINDS = ['appropriation', 'program', 'voucher', 'reserved', 'payable', 'disbursed'] as const;
export type ProgramAccountKind = (typeof PROGRAM_ACCOUNT_KINDS)[number];

export interface HourlyMovement {
  /** The UTC hour, `YYYY-MM-DDTHH` (an hour never straddles two Asia/Shanghai days). */
  hour: string;
  accountKind: ProgramAccountKind;
  amount: Fen;
}
