import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { VOUCHER_KINDS } from '../rules/policy.js';
import { rateSchema } from '../rules/rate.js';
import { positiveYuanSchema, yuanSchema, yuanText } from '../shared/money.js';
import { pageQueryShape } from '../shared/pagination.js';
import { regionSchema } from '../shared/region.js';
import { requiredText } from '../shared/text.js';
import { calendarDateSchema } from '../shared/dates.js';
import { DEFAULT_CLAIM_TERMS, ISSUANCE_MODES, PROGRAM_STATUSES } from './programs.model.js';

export const DEFAULT_POLICY_ID = 'zj-ai-2025';

/** A funder's ratio: a decimal string in (0, 1] with at most 4 decimals ("0.6", "0.3333", "1"). */
export const ratioSchema = z
  .string({ error: 'must be a decimal string such as "0.6"' })
  .regex(/^(?:0|1)(?:\.[0-9]{1,4})?$/, 'must be a decimal string between 0 and 1 with at most 4 decimals, e.g. "0.6"')
  .refine((text) => new Decimal(text).gt(0) && new Decimal(text).lte(1), 'must be greater than 0 and at most 1');

export const funderSchema = z.strictObject({ region: regionSchema, ratio: ratioSchema }, { error: 'must be an object {region, ratio}' });

/** A telephone number as a notice prints it: digits with an optional +, spaces, hyphens and parentheses. */
const telephoneSchema = z
  .string({ error: 'must be a telephone number such as "0571-87001234"' })
  .regex(/^\+?[0-9][0-9 ()-]{4,30}[0-9]$/, 'must be a telephone number such as "0571-87001234"');

export const noticeContactSchema = z.strictObject(
  { office: requiredText(200), telephone: telephoneSchema },
  { error: 'must be an object {office, telephone}: the office that takes objections and its telephone' },
);

/** The application round of a program that takes applications (decision 0038). */
export const applicationTermsSchema = z
  .strictObject(
    {
      opensOn: calendarDateSchema,
      closesOn: calendarDateSchema,
      noticeWorkingDays: z
        .number({ error: 'must be a whole number of working days from 1 to 30' })
        .int('must be a whole number of working days from 1 to 30')
        .min(1, 'must be at least 1 working day')
        .max(30, 'must be at most 30 working days')
        .default(5),
      contact: noticeContactSchema,
    },
    { error: 'must be an object {opensOn, closesOn, noticeWorkingDays?, contact}' },
  )
  .superRefine((terms, ctx) => {
    if (terms.closesOn < terms.opensOn) ctx.addIssue({ code: 'custom', path: ['closesOn'], message: 'must not be before opensOn' });
  });

export const claimTermsSchema = z.strictObject(
  {
    beneficiaryConfirmation: z.boolean({ error: 'must be true or false' }).default(false),
    review: z.boolean({ error: 'must be true or false' }).default(false),
    confirmationDays: z
      .number({ error: 'must be a whole number of days' })
      .int('must be a whole number of days from 1 to 60')
      .min(1, 'must be at least 1 day')
      .max(60, 'must be at most 60 days')
      .default(10),
  },
  { error: 'must be an object {beneficiaryConfirmation?, review?, confirmationDays?}' },
);

export const createProgramSchema = z
  .strictObject({
    name: requiredText(200),
    kind: z.enum(VOUCHER_KINDS, { error: `must be one of ${VOUCHER_KINDS.join(', ')}` }),
    budget: positiveYuanSchema,
    policyId: z.string({ error: 'must be a policy id string' }).min(1).max(64).default(DEFAULT_POLICY_ID),
    limits: z
      .record(
        z.string(),
        z.strictObject({ rate: rateSchema.optional(), annualCap: yuanSchema.optional() }, { error: 'must be an object {rate?, annualCap?}' }),
        {
          error: 'must be an object keyed by cap bucket',
        },
      )
      .default({}),
    // Which regions fund the program and in which ratio; the issuer's region alone (ratio 1) when absent.
    funding: z
      .array(funderSchema, { error: 'must be an array of {region, ratio}' })
      .min(1, 'must list at least one funder')
      .max(8, 'must list at most 8 funders')
      .optional(),
    requireRegisteredProviders: z.boolean({ error: 'must be true or false' }).default(false),
    // Direct: issuers issue vouchers (POST /v1/vouchers). Application: enterprises apply, and a voucher is granted
    // only after two reviews and a public notice (decision 0038).
    issuance: z.enum(ISSUANCE_MODES, { error: 'must be "direct" or "application"' }).default('direct'),
    applications: applicationTermsSchema.optional(),
    // Whether redemptions are claims the enterprise confirms and the bureau reviews before anything is owed (decision 0041).
    claims: claimTermsSchema.default(DEFAULT_CLAIM_TERMS),
    // The program's period (decision 0042): both or neither; without them the program is open-ended.
    fiscalYear: z
      .number({ error: 'must be a whole year such as 2026' })
      .int('must be a whole year such as 2026')
      .min(2020, 'must be 2020 or later')
      .max(2100, 'must be 2100 or earlier')
      .optional(),
    closesOn: calendarDateSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if ((input.fiscalYear === undefined) !== (input.closesOn === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [input.fiscalYear === undefined ? 'fiscalYear' : 'closesOn'],
        message: 'fiscalYear and closesOn go together: give both or neither',
      });
    if (input.fiscalYear !== undefined && input.closesOn !== undefined) {
      if (input.closesOn < `${input.fiscalYear}-01-01` || input.closesOn > `${input.fiscalYear + 1}-12-31`)
        ctx.addIssue({ code: 'custom', path: ['closesOn'], message: `must be from ${input.fiscalYear}-01-01 to ${input.fiscalYear + 1}-12-31` });
      if (input.applications && input.applications.closesOn > input.closesOn)
        ctx.addIssue({ code: 'custom', path: ['applications', 'closesOn'], message: "must not be after the program's closesOn" });
    }
    if (input.issuance === 'application' && !input.applications)
      ctx.addIssue({ code: 'custom', path: ['applications'], message: 'is required when issuance is "application"' });
    if (input.issuance === 'direct' && input.applications)
      ctx.addIssue({ code: 'custom', path: ['applications'], message: 'is only for programs whose issuance is "application"' });
  });
export type CreateProgramInput = z.infer<typeof createProgramSchema>;

export const programIdParams = z.object({ id: z.string() });

export const funderParams = z.object({ id: z.string(), region: regionSchema });

export const confirmFundingSchema = z.strictObject({}).optional();

export const BUDGET_DIRECTIONS = ['increase', 'decrease'] as const;
export type BudgetDirection = (typeof BUDGET_DIRECTIONS)[number];

export const budgetChangeSchema = z.strictObject({
  amount: positiveYuanSchema,
  direction: z.enum(BUDGET_DIRECTIONS, { error: 'must be "increase" or "decrease"' }),
  reason: requiredText(500),
});
export type BudgetChangeInput = z.infer<typeof budgetChangeSchema>;

const FUNDING_STATUSES = ['confirmed', 'pending'] as const;
export type FundingStatus = (typeof FUNDING_STATUSES)[number];

export const funderViewSchema = z.strictObject({
  region: z.string(),
  ratio: z.string(),
  /** The funder's share of the budget: confirmed + pending. */
  amount: yuanText,
  confirmed: yuanText,
  pending: yuanText,
  /** `pending` while any of the funder's share awaits its confirmation. */
  status: z.enum(FUNDING_STATUSES),
});
export type FunderView = z.infer<typeof funderViewSchema>;

export const programViewSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    region: z.string(),
    policyId: z.string(),
    budget: yuanText,
    available: yuanText,
    limits: z.record(z.string(), z.strictObject({ rate: z.string(), annualCap: yuanText.nullable() })),
    requireRegisteredProviders: z.boolean(),
    issuance: z.enum(ISSUANCE_MODES),
    applications: z
      .strictObject({
        opensOn: z.string(),
        closesOn: z.string(),
        noticeWorkingDays: z.number().int(),
        contact: z.strictObject({ office: z.string(), telephone: z.string() }),
      })
      .nullable(),
    claims: z.strictObject({ beneficiaryConfirmation: z.boolean(), review: z.boolean(), confirmationDays: z.number().int() }),
    /** The fiscal year and the first day the program may be closed; null when open-ended (decision 0042). */
    period: z.strictObject({ fiscalYear: z.number().int(), closesOn: z.string() }).nullable(),
    status: z.enum(PROGRAM_STATUSES),
    closedOn: z.string().nullable(),
    funding: z.array(funderViewSchema),
  })
  .meta({ id: 'Program' });
export type ProgramView = z.infer<typeof programViewSchema>;

/** One funder's part of a budget change: an increase posts or awaits it; a decrease cancels pending money first, then returns. */
export const budgetShareViewSchema = z.union([
  z.strictObject({ region: z.string(), ratio: z.string(), amount: yuanText, status: z.enum(FUNDING_STATUSES) }),
  z.strictObject({ region: z.string(), ratio: z.string(), amount: yuanText, pendingBefore: yuanText, cancelled: yuanText, returned: yuanText }),
]);
export type BudgetShareView = z.infer<typeof budgetShareViewSchema>;

export const budgetChangeViewSchema = z
  .strictObject({
    programId: z.string(),
    direction: z.enum(BUDGET_DIRECTIONS),
    amount: yuanText,
    reason: z.string(),
    shares: z.array(budgetShareViewSchema),
    ledgerSeq: z.number().int(),
    program: programViewSchema,
  })
  .meta({ id: 'BudgetChange' });
export type BudgetChangeView = z.infer<typeof budgetChangeViewSchema>;

export const awaitingConfirmationSchema = z.strictObject({ region: z.string(), programs: z.array(programViewSchema) });

export const listProgramsQuery = z.strictObject({
  ...pageQueryShape,
  kind: z.enum(VOUCHER_KINDS, { error: `must be one of ${VOUCHER_KINDS.join(', ')}` }).optional(),
});
export type ListProgramsQuery = z.infer<typeof listProgramsQuery>;

/** Where a program's confirmed money is: funded = available + onVouchers + reserved + owedToProviders + paid. */
const balancesShape = {
  /** Appropriated into the program (confirmed shares, after budget changes). */
  funded: yuanText,
  /** Not yet given to any voucher. */
  available: yuanText,
  /** Still on the program's vouchers. */
  onVouchers: yuanText,
  /** Held by claims awaiting confirmation or review (decision 0041). */
  reserved: yuanText,
  /** Redeemed and not yet paid; negative when a provider owes money back after a clawback. */
  owedToProviders: yuanText,
  /** Paid to providers, net of recoveries. */
  paid: yuanText,
};
export const programBalancesSchema = z.strictObject(balancesShape).meta({ id: 'ProgramBalances' });
export type ProgramBalances = z.infer<typeof programBalancesSchema>;

export const programBalancesViewSchema = z
  .strictObject({
    programId: z.string(),
    /** The ledger head the figures were read at. */
    throughSeq: z.number().int(),
    current: programBalancesSchema,
    entryCounts: z.array(z.strictObject({ type: z.string(), count: z.number().int() })),
    /** The position at the end of each Asia/Shanghai day that had entries, oldest first. */
    daily: z.array(z.strictObject({ date: z.string(), ...balancesShape })),
  })
  .meta({ id: 'ProgramBalancesOverTime' });
export type ProgramBalancesView = z.infer<typeof programBalancesViewSchema>;

const closeShareViewSchema = z.strictObject({
  region: z.string(),
  ratio: z.string(),
  /** What the funder had appropriated, net of returns: its weight in the split (decision 0042). */
  confirmed: yuanText,
  /** What it still owed, cancelled by the close. */
  pendingCancelled: yuanText,
  returned: yuanText,
});

const closePlanShape = {
  /** The program's active vouchers: how many, and their balances together. */
  vouchers: z.strictObject({ count: z.number().int(), balance: yuanText }),
  /** The program account's balance before the close. */
  availableBefore: yuanText,
  /** availableBefore plus the vouchers' balances: everything that goes back to the funders. */
  returned: yuanText,
  funders: z.array(closeShareViewSchema),
};

export const closingViewSchema = z
  .strictObject({
    programId: z.string(),
    today: z.string(),
    /** The first day it may be closed (its period's closesOn); null for an open-ended program. */
    closableFrom: z.string().nullable(),
    /** Claims of the program awaiting a decision: the close waits for them. */
    openClaims: z.number().int(),
    /** Why a close now would be refused, or null when it may close. */
    refusal: z.strictObject({ code: z.string(), detail: z.string() }).nullable(),
    ...closePlanShape,
  })
  .meta({ id: 'ProgramClosing' });
export type ClosingView = z.infer<typeof closingViewSchema>;

export const programCloseViewSchema = z
  .strictObject({
    programId: z.string(),
    closedOn: z.string(),
    ledgerSeq: z.number().int(),
    ...closePlanShape,
    /** Each voucher expired by the close and what it returned. */
    expiredVouchers: z.array(z.strictObject({ voucherId: z.string(), returned: yuanText })),
    program: programViewSchema,
  })
  .meta({ id: 'ProgramClose' });
export type ProgramCloseView = z.infer<typeof programCloseViewSchema>;

export const closeProgramSchema = z.strictObject({}).optional();
