import { z } from 'zod';
import { VOUCHER_KINDS } from '../rules/policy.js';
import { calendarDateSchema } from '../shared/dates.js';
import { positiveYuanSchema, yuanText } from '../shared/money.js';
import { pageQueryShape } from '../shared/pagination.js';
import { requiredText } from '../shared/text.js';
import { usccSchema } from '../shared/uscc.js';
import { serviceCodeSchema } from '../providers/providers.schemas.js';

export const registerContractSchema = z
  .strictObject({
    number: requiredText(100),
    beneficiaryUscc: usccSchema,
    kind: z.enum(VOUCHER_KINDS, { error: `must be one of ${VOUCHER_KINDS.join(', ')}` }),
    autonomous: z.boolean({ error: 'must be true or false' }).optional(),
    amount: positiveYuanSchema,
    signedOn: calendarDateSchema,
    nationalKeyProject: z.boolean({ error: 'must be true or false' }).default(false),
    /** The provider's registered service the contract is for; programs that require registered providers check it. */
    serviceCode: serviceCodeSchema.optional(),
  })
  .superRefine((input, ctx) => {
    // Autonomy decides the compute rate (30% or 10%), so it must be stated for compute and only there.
    if (input.kind === 'compute' && input.autonomous === undefined)
      ctx.addIssue({ code: 'custom', path: ['autonomous'], message: 'is required for a compute contract' });
    if (input.kind !== 'compute' && input.autonomous !== undefined)
      ctx.addIssue({ code: 'custom', path: ['autonomous'], message: `must be absent for a ${input.kind} contract` });
  });
export type RegisterContractInput = z.infer<typeof registerContractSchema>;

export const contractIdParams = z.object({ id: z.string() });

export const contractViewSchema = z
  .strictObject({
    id: z.string(),
    number: z.string(),
    providerUscc: z.string(),
    beneficiaryUscc: z.string(),
    kind: z.string(),
    autonomous: z.boolean().optional(),
    amount: yuanText,
    signedOn: z.string(),
    nationalKeyProject: z.boolean(),
    netExecuted: yuanText,
    /** Subsidy granted on the contract minus what reversals clawed back. */
    netSubsidy: yuanText,
    voucherId: z.string().nullable(),
    /** The registered service the contract is for, when it names one. */
    serviceCode: z.string().optional(),
  })
  .meta({ id: 'Contract' });
export type ContractView = z.infer<typeof contractViewSchema>;

export const listContractsQuery = z.strictObject({ ...pageQueryShape, beneficiaryUscc: usccSchema.optional(), voucherId: requiredText(64).optional() });
export type ListContractsQuery = z.infer<typeof listContractsQuery>;
