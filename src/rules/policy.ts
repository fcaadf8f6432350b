import { z } from 'zod';
import { calendarDateSchema } from '../shared/dates.js';
import { type Fen, parseYuan } from '../shared/money.js';
import { regionSchema } from '../shared/region.js';
import { RATE_PATTERN, normaliseRate } from './rate.js';

export const VOUCHER_KINDS = ['compute', 'corpus', 'model'] as const;
export type VoucherKind = (typeof VOUCHER_KINDS)[number];

const clause = z.string().min(1);

const bucketSchema = z.strictObject({
  kind: z.enum(VOUCHER_KINDS),
  autonomous: z.boolean().optional(),
  rate: z.strictObject({ max: z.string().regex(RATE_PATTERN), clause }),
  annualCap: z.strictObject({ amount: z.string().nullable(), clause }),
});

/** The shape of a policy data file under src/rules/policies: every number with its clause. */
export const policyFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  source: z.string(),
  jurisdiction: regionSchema,
  timeZone: z.literal('Asia/Shanghai'),
  effective: z.strictObject({ from: calendarDateSchema, to: calendarDateSchema, clause }),
  capPeriod: z.literal('calendar_year'),
  nationalKeyProjects: z.strictObject({ subsidised: z.boolean(), clauses: z.array(clause) }),
  nonRepetition: z.strictObject({ vouchersPerContract: z.literal(1), clause }),
  buckets: z.record(z.string().regex(/^[a-z_.]+$/), bucketSchema),
});

export type PolicyFile = z.infer<typeof policyFileSchema>;

export interface BucketRule {
  name: string;
  kind: VoucherKind;
  /** Set for kinds that split on autonomy (compute); undefined where autonomy does not apply. */
  autonomous: boolean | undefined;
  maxRate: string;
  annualCap: Fen | null;
}

export interface Policy {
  id: string;
  /** SHA-256 of the policy file's bytes, recorded with every redemption. */
  sha256: string;
  jurisdiction: string;
  effectiveFrom: string;
  effectiveTo: string;
  subsidisesNationalKeyProjects: boolean;
  buckets: BucketRule[];
}

export function policyFromFile(file: PolicyFile, sha256: string): Policy {
  return {
    id: file.id,
    sha256,
    jurisdiction: file.jurisdiction,
    effectiveFrom: file.effective.from,
    effectiveTo: file.effective.to,
    subsidisesNationalKeyProjects: file.nationalKeyProjects.subsidised,
    buckets: Object.entries(file.buckets).map(([name, bucket]) => ({
      name,
      kind: bucket.kind,
      autonomous: bucket.autonomous,
      maxRate: normaliseRate(bucket.rate.max),
      annualCap: bucket.annualCap.amount === null ? null : parseYuan(bucket.annualCap.amount),
    })),
  };
}

export const bucketsOfKind = (policy: Policy, kind: VoucherKind): BucketRule[] => policy.buckets.filter((bucket) => bucket.kind === kind);

/** The cap bucket of a contract: its kind, and for compute whether the service is autonomous. */
export function bucketFor(policy: Policy, kind: VoucherKind, autonomous: boolean | null): BucketRule | undefined {
  return bucketsOfKind(policy, kind).find((bucket) => bucket.autonomous === undefined || bucket.autonomous === (autonomous ?? undefined));
}
