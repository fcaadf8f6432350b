import { z } from 'zod';
import { seqParam } from '../ledger/ledger.schemas.js';
import { regionSchema } from '../shared/region.js';
import { yuanText } from '../shared/money.js';

export const REPORT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export const REPORT_TABLES = ['regions', 'kinds', 'buckets', 'funders', 'months'] as const;
export type ReportTable = (typeof REPORT_TABLES)[number];

/** The first year a report may be asked for; the last is the current Asia/Shanghai year, which the service checks. */
export const FIRST_REPORT_YEAR = 2020;

export const annualReportQuery = z
  .strictObject({
    year: z
      .string({ error: 'is required: a year such as 2026' })
      .regex(/^[0-9]{4}$/, 'must be a year such as 2026')
      .transform(Number)
      .refine((year) => year >= FIRST_REPORT_YEAR, 'must be 2020 or later'),
    /** The caller's own region when absent. */
    region: regionSchema.optional(),
    /** Repeats an earlier report: at most the year's own bound (decision 0043). */
    throughSeq: seqParam.optional(),
    format: z.enum(REPORT_FORMATS, { error: 'must be json, csv or xlsx' }).default('json'),
    table: z.enum(REPORT_TABLES, { error: 'must be regions, kinds, buckets, funders or months' }).optional(),
  })
  .superRefine((query, ctx) => {
    if (query.table !== undefined && query.format !== 'csv') ctx.addIssue({ code: 'custom', path: ['table'], message: 'applies to csv only' });
  });
export type AnnualReportQuery = z.infer<typeof annualReportQuery>;

const count = z.number().int().nonnegative();
const share = z
  .string()
  .regex(/^-?[0-9]+\.[0-9]{4}$/)
  .nullable()
  .meta({ description: 'a ratio with four decimals, rounded down; null when its divisor is zero' });

const figures = {
  programs: count,
  appropriated: yuanText,
  returned: yuanText,
  funded: yuanText,
  vouchersIssued: count,
  vouchersIssuedAmount: yuanText,
  vouchersExpired: count,
  vouchersExpiredAmount: yuanText,
  vouchersRevoked: count,
  vouchersRevokedAmount: yuanText,
  subsidyGranted: yuanText,
  clawedBack: yuanText,
  subsidyNet: yuanText,
  paid: yuanText,
  recovered: yuanText,
  paidNet: yuanText,
  executed: yuanText,
  enterprises: count,
  providers: count,
  autonomousShare: share,
  leverage: share,
};

export const annualReportSchema = z
  .strictObject({
    year: z.number().int(),
    region: z.string(),
    throughSeq: z.number().int().nonnegative(),
    complete: z.boolean().meta({ description: 'the year had ended when the report was read' }),
    generatedAt: z.string(),
    totals: z.strictObject(figures),
    regions: z.array(z.strictObject({ region: z.string(), ...figures })),
    kinds: z.array(z.strictObject({ kind: z.string(), ...figures })),
    buckets: z.array(
      z.strictObject({
        bucket: z.string(),
        kind: z.string(),
        redemptions: count,
        subsidyGranted: yuanText,
        clawedBack: yuanText,
        subsidyNet: yuanText,
        executed: yuanText,
        enterprises: count,
        providers: count,
        leverage: share,
      }),
    ),
    funders: z.array(
      z.strictObject({
        region: z.string(),
        funder: z.string(),
        appropriated: yuanText,
        returned: yuanText,
        funded: yuanText,
        paid: yuanText,
        recovered: yuanText,
        paidNet: yuanText,
      }),
    ),
    months: z.array(
      z.strictObject({
        month: z.string(),
        vouchersIssuedAmount: yuanText,
        subsidyGranted: yuanText,
        clawedBack: yuanText,
        paid: yuanText,
        recovered: yuanText,
      }),
    ),
    position: z.strictObject({
      funded: yuanText,
      available: yuanText,
      onVouchers: yuanText,
      reserved: yuanText,
      owedToProviders: yuanText,
      paid: yuanText,
    }),
  })
  .meta({ id: 'AnnualReport' });
