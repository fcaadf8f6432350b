import { z } from 'zod';
import { VOUCHER_KINDS } from '../rules/policy.js';
import { rateSchema } from '../rules/rate.js';
import { positiveYuanSchema, yuanSchema } from '../shared/money.js';
import { requiredText } from '../shared/text.js';

export const DEFAULT_POLICY_ID = 'zj-ai-2025';

export const createProgramSchema = z.strictObject({
  name: requiredText(200),
  kind: z.enum(VOUCHER_KINDS, { error: `must be one of ${VOUCHER_KINDS.join(', ')}` }),
  budget: positiveYuanSchema,
  policyId: z.string({ error: 'must be a policy id string' }).min(1).max(64).default(DEFAULT_POLICY_ID),
  limits: z
    .record(
      z.string(),
      z.strictObject({ rate: rateSchema.optional(), annualCap: yuanSchema.optional() }, { error: 'must be an object {rate?, annualCap?}' }),
      { error: 'must be an object keyed by cap bucket' },
    )
    .default({}),
});
export type CreateProgramInput = z.infer<typeof createProgramSchema>;

export const programIdParams = z.object({ id: z.string() });

export interface ProgramView {
  id: string;
  name: string;
  kind: string;
  region: string;
  policyId: string;
  budget: string;
  available: string;
  limits: Record<string, { rate: string; annualCap: string | null }>;
}
