// The exact members of every entry the service writes, type by type (programs.service.ts, vouchers.service.ts,
// redemptions.service.ts, settlement, auth/actor.ts as of this verifier), nested lists of payments and
// co-funding included: the verifier's one shape module. Nothing more, nothing less, each of its type: an
// unknown member is where a forger would hide what the checks do not read, and a missing or mistyped one
// would otherwise reach the checks as `undefined`.
import { fen, rate } from './arithmetic.js';
import { isDate, isInstant } from './calendar.js';
import type { Entry, Facts } from './entry.js';
import { isConfirmation, isLegacyFunding, ratioUnits } from './funding.js';
import { PAYMENT_TYPES } from './settlement.js';

type Test = (value: unknown, facts: Facts, key: string) => boolean;
interface Member {
  test: Test;
  what: string;
}
type Members = Map<string, Member>;

const NOTHING_YET = Symbol('nothing accepted yet');
/**
 * A member whose test reads its value only. It remembers the last value it accepted: most members repeat
 * from entry to entry (region, program, policy hash, dates, USCCs), and comparing strings is cheaper than
 * matching them again. Exact: the same value gives the same answer.
 */
function member(test: (v: unknown) => boolean, what: string): Member {
  let accepted: unknown = NOTHING_YET;
  return {
    test: (v) => {
      if (v === accepted) return true;
      if (!test(v)) return false;
      accepted = v;
      return true;
    },
    what,
  };
}

const text = (value: unknown) => typeof value === 'string' && value.length > 0;
const prefixed = (prefix: string): Member =>
  member((v) => typeof v === 'string' && v.length > prefix.length && v.startsWith(prefix), `an id starting ${prefix}`);
/** A top-level amount of the data, parsed here once into the entry's facts for every check after this one. */
const parsedAmount = (v: unknown, facts: Facts, key: string): boolean => {
  const parsed = fen(v);
  if (parsed === undefined) return false;
  facts.amounts[key] = parsed;
  return true;
};
const amount: Member = { test: parsedAmount, what: 'a two-decimal amount string' };
const amountOrNull: Member = { test: (v, facts, key) => v === null || parsedAmount(v, facts, key), what: 'a two-decimal amount string or null' };
const isAmount = (v: unknown) => fen(v) !== undefined;
const isNonNegativeAmount = (v: unknown) => typeof v === 'string' && !v.startsWith('-') && fen(v) !== undefined;

const REGION = /^[1-8][0-9]{5}$/;
const isRegion = (v: unknown): v is string => typeof v === 'string' && REGION.test(v);
const USCC = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const isUscc = (v: unknown) => typeof v === 'string' && USCC.test(v);
const RATIO = /^(0|1)(?:\.([0-9]{1,4}))?$/;
const isRatio = (v: unknown) => typeof v === 'string' && RATIO.test(v);

const ID = {
  program: prefixed('prg_'),
  voucher: prefixed('vch_'),
  contract: prefixed('ctr_'),
  redemption: prefixed('rdm_'),
  reversal: prefixed('rev_'),
  batch: prefixed('pbt_'),
  line: prefixed('pln_'),
  recovery: prefixed('rcv_'),
  application: prefixed('app_'),
  objection: prefixed('obj_'),
};
const TEXT: Member = { test: text, what: 'a non-empty string' };
const REGION_MEMBER = member(isRegion, 'a 6-digit region code');
const USCC_MEMBER = member(isUscc, 'an 18-character USCC');
const DATE_MEMBER = member(isDate, 'a calendar date YYYY-MM-DD');
const RATE_MEMBER = member((v) => rate(v) !== undefined, 'a rate string between 0 and 1');
const YEAR = member((v) => Number.isSafeInteger(v) && (v as number) >= 1000 && (v as number) <= 9999, 'a four-digit year number');
const SHA256 = member((v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v), '64 lowercase hex digits');

const shape = (members: Record<string, Member>): Members => new Map(Object.entries(members));
/** What every entry's data starts with: the region, program and kind it belongs to. */
const COMMON = { region: REGION_MEMBER, programId: ID.program, kind: TEXT };

const BENEFICIARY = shape({ uscc: USCC_MEMBER, name: TEXT });
const CONTRACT_TERMS = {
  id: ID.contract,
  number: TEXT,
  providerUscc: USCC_MEMBER,
  beneficiaryUscc: USCC_MEMBER,
  amount: member(isAmount, 'a two-decimal amount string'),
  // null where autonomy does not apply (corpus, model)
  autonomous: member((v) => v === null || typeof v === 'boolean', 'true, false or null'),
  signedOn: DATE_MEMBER,
};
// Since the provider register, a redemption records the contract's registered service (or null) and the
// registration that admitted the provider; one written before it has neither (both shapes are genuine).
const CONTRACT = shape({ ...CONTRACT_TERMS, serviceCode: member((v) => v === null || text(v), 'a service code string or null') });
const CONTRACT_LEGACY = shape(CONTRACT_TERMS);
const PROVIDER_REGISTRATION = shape({
  region: REGION_MEMBER,
  version: member((v) => Number.isSafeInteger(v) && (v as number) >= 1, 'a positive integer'),
});
const LIMIT = shape({ rate: RATE_MEMBER, annualCap: member((v) => v === null || isAmount(v), 'a two-decimal amount string or null') });

const RETURNED_TO = member((v) => v === 'voucher' || v === 'program', '"voucher" or "program"');
const REVERSAL = {
  ...COMMON,
  reversalId: ID.reversal,
  redemptionId: ID.redemption,
  voucherId: ID.voucher,
  contractId: ID.contract,
  providerUscc: USCC_MEMBER,
  beneficiaryUscc: USCC_MEMBER,
  reason: TEXT,
  policyId: TEXT,
  bucket: TEXT,
  year: YEAR,
  redemptionExecutedAmount: amount,
  redemptionSubsidy: amount,
  reversedBefore: amount,
  executedAmount: amount,
  reversedAfter: amount,
  clawedBackBefore: amount,
  clawback: amount,
  netExecutedBefore: amount,
  netExecutedAfter: amount,
  returnedTo: RETURNED_TO,
};

const PROGRAM = {
  ...COMMON,
  name: TEXT,
  policyId: TEXT,
  policySha256: SHA256,
  budget: amount,
  limits: member((v) => typeof v === 'object' && v !== null, 'an object'),
};
const LIST: Member = { test: Array.isArray, what: 'an array' };

const DATA: Record<string, Members> = {
  // Since co-funding (funding.ts): the funders and their shares; a later program.funded is one funder's confirmation.
  'program.funded': shape({ ...PROGRAM, requireRegisteredProviders: member((v) => typeof v === 'boolean', 'true or false'), funding: LIST }),
  'program.funded/legacy': shape(PROGRAM),
  'program.funded/confirmation': shape({ ...COMMON, funder: REGION_MEMBER, amount }),
  'program.budget_changed': shape({
    ...COMMON,
    direction: member((v) => v === 'increase' || v === 'decrease', '"increase" or "decrease"'),
    amount,
    reason: TEXT,
    availableBefore: amount,
    shares: LIST,
  }),
  'voucher.issued': shape({
    ...COMMON,
    voucherId: ID.voucher,
    beneficiary: member((v) => typeof v === 'object' && v !== null, 'an object'),
    amount,
    expiresOn: DATE_MEMBER,
  }),
  'voucher.revoked': shape({ ...COMMON, voucherId: ID.voucher, reason: TEXT, returned: amount }),
  'voucher.expired': shape({ ...COMMON, voucherId: ID.voucher, expiresOn: DATE_MEMBER, returned: amount }),
  'redemption.recorded': shape({
    ...COMMON,
    redemptionId: ID.redemption,
    voucherId: ID.voucher,
    contract: member((v) => typeof v === 'object' && v !== null, 'an object'),
    invoiceNumber: TEXT,
    executedAmount: amount,
    executedOn: DATE_MEMBER,
    year: YEAR,
    policyId: TEXT,
    policySha256: SHA256,
    bucket: TEXT,
    policyRate: RATE_MEMBER,
    rate: RATE_MEMBER,
    netExecutedBefore: amount,
    netExecutedAfter: amount,
    entitlement: amount,
    annualCap: amountOrNull,
    annualUsedBefore: amount,
    programAnnualCap: amountOrNull,
    programUsedBefore: amount,
    voucherBalanceBefore: amount,
    subsidy: amount,
    limitedBy: member(
      (v) => v === null || v === 'annual_cap' || v === 'program_cap' || v === 'voucher_balance',
      'null, "annual_cap", "program_cap" or "voucher_balance"',
    ),
    providerRegistration: member((v) => v === null || isObject(v), 'an object or null'),
  }),
  // Written since e240f19; a reversal written before it has none of proRataClawback, rate,
  // contractNetSubsidyBefore and contractCeilingAfter (both shapes are genuine, nothing in between).
  'redemption.reversed': shape({ ...REVERSAL, proRataClawback: amount, rate: RATE_MEMBER, contractNetSubsidyBefore: amount, contractCeilingAfter: amount }),
  'redemption.reversed/legacy': shape(REVERSAL),
};

// Applications (applications.ts, decision 0038): decisions without postings, and what a program that takes
// them and a voucher granted from one record of them.
const OBJECT = member((v) => isObject(v), 'an object');
const POSITIVE_INTEGER = member((v) => Number.isSafeInteger(v) && (v as number) >= 1, 'a positive integer');
const WORKING_DAYS = member((v) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 30, 'a whole number of working days from 1 to 30');
const oneOf = (...values: string[]) => member((v) => typeof v === 'string' && values.includes(v), values.map((value) => JSON.stringify(value)).join(' or '));
const ABOUT_APPLICATION = { ...COMMON, applicationId: ID.application };
DATA['application.submitted'] = shape({
  ...ABOUT_APPLICATION,
  revision: POSITIVE_INTEGER,
  enterprise: OBJECT,
  amount,
  purpose: TEXT,
  declarations: OBJECT,
  documents: LIST,
});
DATA['application.reviewed'] = shape({
  ...ABOUT_APPLICATION,
  revision: POSITIVE_INTEGER,
  stage: oneOf('first', 'final'),
  decision: oneOf('approve', 'return', 'reject'),
  amount: amountOrNull,
  reason: TEXT,
});
DATA['application.notice_opened'] = shape({
  ...ABOUT_APPLICATION,
  revision: POSITIVE_INTEGER,
  enterprise: OBJECT,
  amount,
  decidedOn: DATE_MEMBER,
  workingDays: WORKING_DAYS,
  startsOn: DATE_MEMBER,
  endsOn: DATE_MEMBER,
  contact: OBJECT,
});
DATA['application.objection_recorded'] = shape({ ...ABOUT_APPLICATION, objectionId: ID.objection, summary: TEXT });
DATA['application.objection_resolved'] = shape({ ...ABOUT_APPLICATION, objectionId: ID.objection, outcome: oneOf('upheld', 'dismissed'), reason: TEXT });
DATA['voucher.issued/application'] = new Map([...DATA['voucher.issued']!, ['application', OBJECT]]);
DATA['program.funded/application'] = new Map([...DATA['program.funded']!, ['issuance', oneOf('application')], ['applications', OBJECT]]);
const DECLARATIONS = shape({
  noRelatedPartyContracts: member((v) => typeof v === 'boolean', 'true or false'),
  noOtherPublicFunding: member((v) => typeof v === 'boolean', 'true or false'),
  noDishonestyRecord: member((v) => typeof v === 'boolean', 'true or false'),
});
const CONTACT = shape({ office: TEXT, telephone: TEXT });
const GRANTED_FROM = shape({
  id: ID.application,
  revision: POSITIVE_INTEGER,
  firstReviewer: TEXT,
  finalReviewer: TEXT,
  noticeStartsOn: DATE_MEMBER,
  noticeEndsOn: DATE_MEMBER,
  documents: LIST,
});
const APPLICATION_TERMS = shape({ opensOn: DATE_MEMBER, closesOn: DATE_MEMBER, noticeWorkingDays: WORKING_DAYS, contact: OBJECT });

const HEX_64 = /^[0-9a-f]{64}$/;

/** A list of documents' SHA-256s: at least one, none twice. */
function documentsProblem(list: unknown, path: string): string | undefined {
  if (!Array.isArray(list) || list.length === 0) return `${path} is not a non-empty array`;
  for (let i = 0; i < list.length; i++)
    if (typeof list[i] !== 'string' || !HEX_64.test(list[i] as string)) return `${path}[${i}] is not 64 lowercase hex digits`;
  return new Set(list).size === list.length ? undefined : `${path} lists a document twice`;
}

/** The nested objects of an application entry, of a voucher granted from one, and of a program that takes them. */
function applicationPartsProblem(entry: Entry, facts: Facts): string | undefined {
  const d = entry.data;
  switch (entry.type) {
    case 'application.submitted':
      return (
        membersProblem(d['enterprise'], BENEFICIARY, 'data.enterprise', facts) ??
        membersProblem(d['declarations'], DECLARATIONS, 'data.declarations', facts) ??
        documentsProblem(d['documents'], 'data.documents')
      );
    case 'application.notice_opened':
      return membersProblem(d['enterprise'], BENEFICIARY, 'data.enterprise', facts) ?? membersProblem(d['contact'], CONTACT, 'data.contact', facts);
    case 'voucher.issued':
      if (!('application' in d)) return undefined;
      return (
        membersProblem(d['application'], GRANTED_FROM, 'data.application', facts) ??
        documentsProblem((d['application'] as Record<string, unknown>)['documents'], 'data.application.documents')
      );
    case 'program.funded': {
      if (!('issuance' in d)) return undefined;
      const terms = d['applications'];
      return (
        membersProblem(terms, APPLICATION_TERMS, 'data.applications', facts) ??
        membersProblem((terms as Record<string, unknown>)['contact'], CONTACT, 'data.applications.contact', facts)
      );
    }
    default:
      return undefined;
  }
}

// Claims (claims.ts, decision 0041): a submission is a redemption that reserves, then decisions on it, of which
// the approval and the releases move the reservation on; a program that takes claims records its terms.
const BOOLEAN = member((v) => typeof v === 'boolean', 'true or false');
const DATE_OR_NULL = member((v) => v === null || isDate(v), 'a calendar date YYYY-MM-DD or null');
const TEXT_OR_NULL = member((v) => v === null || text(v), 'a non-empty string or null');
const AWAITING = oneOf('awaiting_confirmation', 'awaiting_review');
const ABOUT_CLAIM = { ...COMMON, redemptionId: ID.redemption, voucherId: ID.voucher, providerUscc: USCC_MEMBER, beneficiaryUscc: USCC_MEMBER };
const CLAIM_HELD = { contractId: ID.contract, policyId: TEXT, bucket: TEXT, year: YEAR };
DATA['claim.submitted'] = new Map([
  ...DATA['redemption.recorded']!,
  ['documents', LIST],
  ['beneficiaryConfirmation', BOOLEAN],
  ['review', BOOLEAN],
  ['confirmationDueOn', DATE_OR_NULL],
  ['status', AWAITING],
]);
DATA['claim.confirmed'] = shape({
  ...ABOUT_CLAIM,
  executedAmount: amount,
  paidAmount: amount,
  documents: LIST,
  confirmationDueOn: DATE_MEMBER,
  status: oneOf('awaiting_review', 'approved'),
});
DATA['claim.disputed'] = shape({ ...ABOUT_CLAIM, reason: TEXT, status: oneOf('disputed') });
DATA['claim.resubmitted'] = shape({ ...ABOUT_CLAIM, documents: LIST, note: TEXT, confirmationDueOn: DATE_OR_NULL, status: AWAITING });
DATA['claim.returned'] = shape({ ...ABOUT_CLAIM, reason: TEXT, confirmationDueOn: DATE_MEMBER, status: oneOf('returned') });
DATA['claim.approved'] = shape({
  ...ABOUT_CLAIM,
  ...CLAIM_HELD,
  by: oneOf('review', 'confirmation'),
  reason: TEXT_OR_NULL,
  rate: RATE_MEMBER,
  executedAmount: amount,
  paidAmount: amountOrNull,
  basis: amount,
  netExecutedBefore: amount,
  annualCap: amountOrNull,
  annualUsedBefore: amount,
  programAnnualCap: amountOrNull,
  programUsedBefore: amount,
  voucherBalanceBefore: amount,
  entitlement: amount,
  computed: amount,
  reserved: amount,
  contractNetExecutedBefore: amount,
  contractNetExecutedAfter: amount,
  contractNetSubsidyBefore: amount,
  openClaimsExecuted: amount,
  openClaimsReserved: amount,
  contractCeilingAfter: amount,
  subsidy: amount,
  released: amount,
  returnedTo: RETURNED_TO,
});
const CLAIM_RELEASE = shape({
  ...ABOUT_CLAIM,
  ...CLAIM_HELD,
  executedAmount: amount,
  reserved: amount,
  contractNetExecutedBefore: amount,
  contractNetExecutedAfter: amount,
  reason: TEXT,
  confirmationDueOn: DATE_OR_NULL,
  returnedTo: RETURNED_TO,
});
DATA['claim.rejected'] = CLAIM_RELEASE;
DATA['claim.withdrawn'] = CLAIM_RELEASE;
DATA['claim.lapsed'] = CLAIM_RELEASE;
// Only a program whose redemptions are claims records `claims`, after `applications` when it has both.
DATA['program.funded/claims'] = new Map([...DATA['program.funded']!, ['claims', OBJECT]]);
DATA['program.funded/application/claims'] = new Map([...DATA['program.funded/application']!, ['claims', OBJECT]]);
const CLAIM_TERMS = shape({
  beneficiaryConfirmation: BOOLEAN,
  review: BOOLEAN,
  confirmationDays: member((v) => Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) <= 60, 'a whole number of calendar days from 1 to 60'),
});

// Program periods and closes, listings, related-party groups and spot checks (decision 0042).
/** A program with a period records it right after requireRegisteredProviders, before issuance, applications and claims. */
for (const key of ['program.funded', 'program.funded/application', 'program.funded/claims', 'program.funded/application/claims']) {
  const members = [...DATA[key]!];
  const at = members.findIndex(([name]) => name === 'requireRegisteredProviders') + 1;
  DATA[key.replace('program.funded', 'program.funded/period')] = new Map([...members.slice(0, at), ['period', OBJECT], ...members.slice(at)]);
}
const PERIOD = shape({
  fiscalYear: member((v) => Number.isSafeInteger(v) && (v as number) >= 2020 && (v as number) <= 2100, 'a whole year from 2020 to 2100'),
  closesOn: DATE_MEMBER,
});
DATA['program.closed'] = shape({
  ...COMMON,
  closedOn: DATE_MEMBER,
  period: member((v) => v === null || isObject(v), 'an object or null'),
  vouchers: LIST,
  vouchersReturned: amount,
  availableBefore: amount,
  returned: amount,
  funders: LIST,
});
const CLOSED_VOUCHER = shape({ voucherId: ID.voucher, returned: member(isNonNegativeAmount, 'a non-negative two-decimal amount string') });
const CLOSED_FUNDER = shape({
  region: REGION_MEMBER,
  ratio: member(isRatio, 'a ratio with at most 4 decimals'),
  // Signed: a budget decrease splits by ratio, so a funder's confirmed amount could in principle fall a fen below zero.
  confirmed: member(isAmount, 'a two-decimal amount string'),
  pendingCancelled: member(isNonNegativeAmount, 'a non-negative two-decimal amount string'),
  returned: member(isAmount, 'a two-decimal amount string'),
});
DATA['watchlist.listed'] = shape({
  region: REGION_MEMBER,
  listingId: prefixed('wl_'),
  uscc: USCC_MEMBER,
  name: TEXT_OR_NULL,
  reason: TEXT,
  source: TEXT,
  listedOn: DATE_MEMBER,
});
DATA['watchlist.delisted'] = shape({ region: REGION_MEMBER, listingId: prefixed('wl_'), uscc: USCC_MEMBER, reason: TEXT, delistedOn: DATE_MEMBER });
DATA['related_parties.declared'] = shape({
  region: REGION_MEMBER,
  groupId: prefixed('rpg_'),
  relation: oneOf('shareholding', 'management', 'family', 'other'),
  usccs: LIST,
  reason: TEXT,
});
const SPOT_CHECK = { ...COMMON, spotCheckId: prefixed('spc_') };
/** 1–128 characters, none a control character: "printable" read broadly, so that no seed the service takes is refused. */
const isSeed = (v: unknown) => {
  if (typeof v !== 'string' || v.length === 0 || [...v].length > 128) return false;
  for (let i = 0; i < v.length; i++) {
    const code = v.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return false;
  }
  return true;
};
const isSampleRate = (v: unknown) => {
  const units = ratioUnits(v);
  return units !== undefined && units > 0n && units <= 10_000n;
};
const COUNT = member((v) => Number.isSafeInteger(v) && (v as number) >= 0, 'a whole number');
DATA['spot_check.drawn'] = shape({
  ...SPOT_CHECK,
  seed: member(isSeed, '1 to 128 printable characters'),
  rate: member(isSampleRate, 'a decimal string above 0 and at most 1, with at most 4 decimals'),
  population: COUNT,
  size: COUNT,
  redemptionIds: LIST,
});
DATA['spot_check.result_recorded'] = shape({ ...SPOT_CHECK, redemptionId: ID.redemption, outcome: oneOf('passed', 'failed'), reason: TEXT });

/** A list of ids of one kind (`each`), none twice, `least` to `most` of them. */
const OVERSIGHT_SHAPES = new Set(['program.closed', 'related_parties.declared', 'spot_check.drawn']);

function idListProblem(list: unknown, each: Member, least: number, most: number, path: string, facts: Facts): string | undefined {
  if (!Array.isArray(list)) return `${path} is not an array`;
  if (list.length < least || list.length > most) return `${path} has ${list.length} items, not ${least} to ${most}`;
  for (let i = 0; i < list.length; i++) if (!each.test(list[i], facts, '')) return `${path}[${i}] is not ${each.what}`;
  return new Set(list).size === list.length ? undefined : `${path} lists an item twice`;
}

/** The nested members of the entries of decision 0042 (the vouchers of a close may be none; its funders are its program's). */
function oversightPartsProblem(entry: Entry, facts: Facts): string | undefined {
  const d = entry.data;
  switch (entry.type) {
    case 'program.closed': {
      const period = d['period'] === null ? undefined : membersProblem(d['period'], PERIOD, 'data.period', facts);
      if (period) return period;
      const vouchers = d['vouchers'] as unknown[];
      for (let i = 0; i < vouchers.length; i++) {
        const problem = membersProblem(vouchers[i], CLOSED_VOUCHER, `data.vouchers[${i}]`, facts);
        if (problem) return problem;
      }
      return listProblem(d['funders'], CLOSED_FUNDER, 'data.funders', facts);
    }
    case 'related_parties.declared':
      return idListProblem(d['usccs'], USCC_MEMBER, 2, 20, 'data.usccs', facts);
    case 'spot_check.drawn':
      return idListProblem(d['redemptionIds'], ID.redemption, 0, Number.MAX_SAFE_INTEGER, 'data.redemptionIds', facts);
    default:
      return undefined;
  }
}

// A redemption written before the provider register has no providerRegistration (nor contract.serviceCode).
DATA['redemption.recorded/legacy'] = new Map([...DATA['redemption.recorded']!].filter(([key]) => key !== 'providerRegistration'));

// Payments to providers (settlement.ts): each with nested lists of funders, shares, lines and redemptions.
/** A payment's own amount or total (a top-level amount, parsed into its facts), and one in its nested lists. */
const PAYMENT_AMOUNT: Member = {
  test: (v, facts, key) => typeof v === 'string' && !v.startsWith('-') && parsedAmount(v, facts, key),
  what: 'a two-decimal amount string',
};
const LISTED_AMOUNT = member(isNonNegativeAmount, 'a two-decimal amount string');
const MOVED = { providerUscc: USCC_MEMBER, amount: PAYMENT_AMOUNT, funders: LIST, shares: LIST, redemptions: LIST, bankReference: TEXT };
const PAYMENTS: Record<string, Members> = {
  'payment.approved': shape({
    ...COMMON,
    batchId: ID.batch,
    cutoff: DATE_MEMBER,
    maker: TEXT,
    checker: TEXT,
    funders: LIST,
    lines: LIST,
    total: PAYMENT_AMOUNT,
  }),
  'payment.disbursed': shape({ ...COMMON, batchId: ID.batch, lineId: ID.line, maker: TEXT, checker: TEXT, ...MOVED, paidOn: DATE_MEMBER }),
  'payment.recovered': shape({ ...COMMON, recoveryId: ID.recovery, ...MOVED, receivedOn: DATE_MEMBER }),
};
const FUNDER = shape({ region: REGION_MEMBER, ratio: member(isRatio, 'a ratio string with at most 4 decimals') });
const PAYMENT_SHARE = shape({ region: REGION_MEMBER, amount: LISTED_AMOUNT });
const PAID = shape({ redemptionId: ID.redemption, amount: member(isAmount, 'a signed two-decimal amount string') });
const RECOVERED = shape({ redemptionId: ID.redemption, owedBefore: LISTED_AMOUNT, amount: LISTED_AMOUNT });
const LINE = shape({ lineId: ID.line, providerUscc: USCC_MEMBER, amount: LISTED_AMOUNT, shares: LIST, redemptions: LIST });

// Co-funding (funding.ts): a program's funders and their shares, and a budget change's split among them.
const FUNDING_AMOUNT = member(isNonNegativeAmount, 'a non-negative two-decimal amount string');
const FUNDING_SHARE = {
  region: REGION_MEMBER,
  ratio: member(isRatio, 'a ratio with at most 4 decimals'),
  amount: FUNDING_AMOUNT,
};
const STATUS = member((v) => v === 'confirmed' || v === 'pending', '"confirmed" or "pending"');
const FUNDING_SHARES = {
  funding: shape({ ...FUNDING_SHARE, status: STATUS }),
  increase: shape({ ...FUNDING_SHARE, status: STATUS }),
  decrease: shape({ ...FUNDING_SHARE, pendingBefore: FUNDING_AMOUNT, cancelled: FUNDING_AMOUNT, returned: FUNDING_AMOUNT }),
};

const ACTORS: Record<string, Members> = {
  issuer: shape({ sub: TEXT, role: TEXT, region: REGION_MEMBER }),
  provider: shape({ sub: TEXT, role: TEXT, org: USCC_MEMBER }),
  enterprise: shape({ sub: TEXT, role: TEXT, org: USCC_MEMBER }),
  system: shape({ sub: TEXT, role: TEXT }),
  auditor: shape({ sub: TEXT, role: TEXT, region: REGION_MEMBER }),
};

const ENVELOPE = ['seq', 'type', 'recordedAt', 'actor', 'data', 'postings', 'prevHash', 'hash'];

function countMembers(value: object): number {
  let count = 0;
  for (const _key in value) count++;
  return count;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why `value` does not have exactly `members`, each of its type; `path` names it in the message. */
function membersProblem(value: unknown, members: Members, path: string, facts: Facts): string | undefined {
  if (!isObject(value)) return `${path} is not an object`;
  let found = 0;
  // for…in over a parsed JSON object visits exactly its own members, without allocating a key array.
  for (const key in value) {
    const expected = members.get(key);
    if (!expected) return `${path}.${key} is not a member this entry type has`;
    if (!expected.test(value[key], facts, key)) return `${path}.${key} is not ${expected.what}`;
    found++;
  }
  if (found !== members.size) for (const key of members.keys()) if (!(key in value)) return `${path}.${key} is missing`;
  return undefined;
}

/** A list of objects of `members` each, non-empty (settlement.ts's lists). */
function listProblem(list: unknown, members: Members, path: string, facts: Facts): string | undefined {
  if (!Array.isArray(list)) return `${path} is not an array`;
  if (list.length === 0) return `${path} is empty`;
  for (let i = 0; i < list.length; i++) {
    const problem = membersProblem(list[i], members, `${path}[${i}]`, facts);
    if (problem) return problem;
  }
  return undefined;
}

/** A payment's nested lists: funders, and the lines (approval) or the shares and redemptions (payment, recovery). */
function paymentListsProblem(entry: Entry, facts: Facts): string | undefined {
  const d = entry.data;
  const funders = listProblem(d['funders'], FUNDER, 'data.funders', facts);
  if (funders) return funders;
  if (entry.type !== 'payment.approved')
    return (
      listProblem(d['shares'], PAYMENT_SHARE, 'data.shares', facts) ??
      listProblem(d['redemptions'], entry.type === 'payment.recovered' ? RECOVERED : PAID, 'data.redemptions', facts)
    );
  const lines = listProblem(d['lines'], LINE, 'data.lines', facts);
  if (lines) return lines;
  const list = d['lines'] as Record<string, unknown>[];
  for (let i = 0; i < list.length; i++) {
    const problem =
      listProblem(list[i]!['shares'], PAYMENT_SHARE, `data.lines[${i}].shares`, facts) ??
      listProblem(list[i]!['redemptions'], PAID, `data.lines[${i}].redemptions`, facts);
    if (problem) return problem;
  }
  return undefined;
}

/** A program's funding list or a budget change's shares: unknown members first, then each member in its order. */
function fundingListProblem(entry: Entry, facts: Facts): string | undefined {
  const d = entry.data;
  const funded = entry.type === 'program.funded';
  if (funded && !('funding' in d)) return undefined;
  const list = funded ? d['funding'] : d['shares'];
  const path = funded ? 'data.funding' : 'data.shares';
  const members = funded ? FUNDING_SHARES.funding : FUNDING_SHARES[d['direction'] as 'increase' | 'decrease'];
  if (!Array.isArray(list) || list.length === 0) return `${path} is not a non-empty array`;
  for (let i = 0; i < list.length; i++) {
    const share: unknown = list[i];
    const at = `${path}[${i}]`;
    if (!isObject(share)) return `${at} is not an object`;
    for (const key in share) if (!members.has(key)) return `${at}.${key} is not a member this entry type has`;
    for (const [key, expected] of members) {
      if (!(key in share)) return `${at}.${key} is missing`;
      if (!expected.test(share[key], facts, key)) return `${at}.${key} is not ${expected.what}`;
    }
  }
  return undefined;
}

/** The key of the member table for the entry's data: program.funded, voucher.issued, redemption.recorded and .reversed have more than one genuine shape. */
function dataShapeKey(entry: Entry): string {
  const d = entry.data;
  if (entry.type === 'program.funded') {
    if (isConfirmation(entry)) return 'program.funded/confirmation';
    if (isLegacyFunding(entry)) return 'program.funded/legacy';
    const base = 'period' in d ? 'program.funded/period' : entry.type;
    const issuance = 'issuance' in d ? `${base}/application` : base;
    return 'claims' in d ? `${issuance}/claims` : issuance;
  }
  if (entry.type === 'voucher.issued') return 'application' in d ? 'voucher.issued/application' : entry.type;
  const legacy =
    (entry.type === 'redemption.reversed' && !('proRataClawback' in d)) || (entry.type === 'redemption.recorded' && !('providerRegistration' in d));
  return legacy ? `${entry.type}/legacy` : entry.type;
}

/** The members of a program's limits: bucket names, each {rate, annualCap} (the buckets are matched to the policy in rules). */
function limitsProblem(limits: Record<string, unknown>, facts: Facts): string | undefined {
  for (const bucket of Object.keys(limits)) {
    const problem = membersProblem(limits[bucket], LIMIT, `data.limits.${bucket}`, facts);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Why the entry is not exactly an entry of its type as the service writes it (envelope, actor, data and
 * nested objects), or undefined. Runs before every other check of the entry's content, so that those can
 * trust every member they read.
 */
export function entryProblem(entry: Entry, facts: Facts): string | undefined {
  // shapeProblem (entry.ts) found the eight members of an entry; prevHash and hash are held by the chain and
  // hashes checks, which compare them with real digests.
  const envelope = entry as unknown as Record<string, unknown>;
  if (countMembers(envelope) !== ENVELOPE.length)
    return `the entry has members ${Object.keys(envelope)
      .filter((k) => !ENVELOPE.includes(k))
      .join(', ')} besides ${ENVELOPE.join(', ')}`;
  if (!isInstant(entry.recordedAt)) return 'recordedAt is not an ISO instant (YYYY-MM-DDTHH:MM:SS.sssZ)';
  for (const posting of entry.postings) if (countMembers(posting) !== 2) return 'a posting has members besides account and amount';
  const role = String(entry.actor['role']);
  const actorMembers = Object.hasOwn(ACTORS, role) ? ACTORS[role] : undefined;
  if (!actorMembers) return `actor.role ${JSON.stringify(entry.actor['role'])} is not a role of the service`;
  const actor = membersProblem(entry.actor, actorMembers, 'actor', facts);
  if (actor) return actor;
  const d = entry.data;
  if (PAYMENT_TYPES.has(entry.type)) return membersProblem(d, PAYMENTS[entry.type]!, 'data', facts) ?? paymentListsProblem(entry, facts);
  const type = dataShapeKey(entry);
  const members = Object.hasOwn(DATA, type) && !entry.type.includes('/') ? DATA[type] : undefined;
  if (!members) return `type ${JSON.stringify(entry.type)} is not an entry type of the service`;
  const data = membersProblem(d, members, 'data', facts);
  if (data) return data;
  if (entry.type === 'program.funded' && 'limits' in d)
    return (
      limitsProblem(d['limits'] as Record<string, unknown>, facts) ??
      fundingListProblem(entry, facts) ??
      applicationPartsProblem(entry, facts) ??
      ('claims' in d ? membersProblem(d['claims'], CLAIM_TERMS, 'data.claims', facts) : undefined) ??
      ('period' in d ? membersProblem(d['period'], PERIOD, 'data.period', facts) : undefined)
    );
  if (entry.type === 'program.budget_changed') return fundingListProblem(entry, facts);
  if (entry.type === 'voucher.issued') return membersProblem(d['beneficiary'], BENEFICIARY, 'data.beneficiary', facts) ?? applicationPartsProblem(entry, facts);
  if (entry.type.startsWith('application.')) return applicationPartsProblem(entry, facts);
  if (entry.type === 'redemption.recorded' || entry.type === 'claim.submitted') {
    const legacy = !('providerRegistration' in d);
    const contract = membersProblem(d['contract'], legacy ? CONTRACT_LEGACY : CONTRACT, 'data.contract', facts);
    const registration =
      contract || legacy || d['providerRegistration'] === null
        ? contract
        : membersProblem(d['providerRegistration'], PROVIDER_REGISTRATION, 'data.providerRegistration', facts);
    return registration || entry.type === 'redemption.recorded' ? registration : documentsProblem(d['documents'], 'data.documents');
  }
  if (entry.type === 'claim.confirmed' || entry.type === 'claim.resubmitted') return documentsProblem(d['documents'], 'data.documents');
  return OVERSIGHT_SHAPES.has(entry.type) ? oversightPartsProblem(entry, facts) : undefined;
}
