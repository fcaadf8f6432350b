import { z } from 'zod';
import type { Operation } from '../http/openapi.js';
import { yuanText } from '../shared/money.js';
import { usageParams, usageQuery } from './usage.routes.js';

const bucketUsageSchema = z.strictObject({ granted: yuanText, reserved: yuanText, annualCap: yuanText.nullable(), remaining: yuanText.nullable() });

export const usageOperations: Operation[] = [
  {
    method: 'get',
    path: '/v1/beneficiaries/:uscc/usage',
    tag: 'Usage',
    summary: "A beneficiary's subsidies and remaining caps in a year",
    description: "The province-wide totals per cap bucket, and the programs within the caller's region. `year` defaults to this year (Asia/Shanghai).",
    access: { roles: ['issuer', 'auditor', 'enterprise'], scope: "within the policy's jurisdiction; an enterprise its own USCC" },
    params: usageParams,
    query: usageQuery,
    responses: {
      200: {
        description: 'the usage',
        schema: z.strictObject({
          uscc: z.string(),
          year: z.number().int(),
          policyId: z.string(),
          buckets: z.record(z.string(), bucketUsageSchema),
          programs: z.array(z.strictObject({ programId: z.string(), region: z.string(), buckets: z.record(z.string(), bucketUsageSchema) })),
        }),
      },
    },
    problems: [],
  },
];
