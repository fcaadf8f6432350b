import { z } from 'zod';

/** A non-negative whole number in a query string, kept as bigint for seq comparisons. */
export const seqParam = z
  .string({ error: 'must be a whole number' })
  .regex(/^(0|[1-9][0-9]{0,15})$/, 'must be a whole number')
  .transform((text) => BigInt(text));

export const ledgerPageQuery = z.strictObject({
  afterSeq: seqParam.default(0n),
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, 'must be a whole number from 1 to 1000')
    .transform(Number)
    .refine((n) => n <= 1000, 'must be a whole number from 1 to 1000')
    .default(100),
});
