import { z } from 'zod';
import { VOUCHER_KINDS } from '../rules/policy.js';
import { calendarDateSchema } from '../shared/dates.js';
import { regionSchema } from '../shared/region.js';
import { ENTRY_TYPES } from './ledger.types.js';

const MISSING = 'is required';

/** A non-negative whole number in a query string, kept as bigint for seq comparisons. */
export const seqParam = z
  .string({ error: (issue) => (issue.input === undefined ? MISSING : 'must be a whole number') })
  .regex(/^(0|[1-9][0-9]{0,15})$/, 'must be a whole number')
  .transform((text) => BigInt(text));

/** What an auditor narrows entries by, on the ledger page and in the exports; dates are Asia/Shanghai days, inclusive. */
export const entryFilterShape = {
  type: z.enum(ENTRY_TYPES, { error: `must be one of ${ENTRY_TYPES.join(', ')}` }).optional(),
  from: calendarDateSchema.optional(),
  to: calendarDateSchema.optional(),
  programId: z.string().min(1).max(64).optional(),
  kind: z.enum(VOUCHER_KINDS, { error: `must be one of ${VOUCHER_KINDS.join(', ')}` }).optional(),
  region: regionSchema.optional(),
};
export type EntryFilterQuery = { [K in keyof typeof entryFilterShape]?: z.infer<(typeof entryFilterShape)[K]> } & { fromSeq?: bigint; toSeq?: bigint };

/** A date range must not end before it starts. */
export function refineDateRange(query: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx): void {
  if (query.from !== undefined && query.to !== undefined && query.from > query.to)
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
}

export const ledgerPageQuery = z
  .strictObject({
    afterSeq: seqParam.default(0n),
    limit: z
      .string()
      .regex(/^[1-9][0-9]{0,3}$/, 'must be a whole number from 1 to 1000')
      .transform(Number)
      .refine((n) => n <= 1000, 'must be a whole number from 1 to 1000')
      .default(100),
    ...entryFilterShape,
  })
  .superRefine(refineDateRange);
export type LedgerPageQuery = z.infer<typeof ledgerPageQuery>;
