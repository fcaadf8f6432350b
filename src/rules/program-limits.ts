import type { RuleViolation } from '../shared/violation.js';
import { type Fen, formatFen } from '../shared/money.js';
import { type Policy, type VoucherKind, bucketsOfKind } from './policy.js';
import { compareRates, normaliseRate } from './rate.js';

export interface RequestedLimit {
  rate?: string | undefined;
  annualCap?: Fen | undefined;
}

/** A program's effective terms for one bucket: its rate, and its own annual cap if it set one. */
export interface BucketLimit {
  rate: string;
  annualCap: Fen | null;
}

export type ProgramLimits = Record<string, BucketLimit>;

export type LimitsOutcome = { ok: true; limits: ProgramLimits } | { ok: false; unknownBucket: string } | { ok: false; violation: RuleViolation };

/** A program may tighten the policy (lower rate, lower or new annual cap), never loosen it. */
export function resolveProgramLimits(policy: Policy, kind: VoucherKind, requested: Record<string, RequestedLimit>): LimitsOutcome {
  const buckets = bucketsOfKind(policy, kind);
  const unknown = Object.keys(requested).find((name) => !buckets.some((bucket) => bucket.name === name));
  if (unknown !== undefined) return { ok: false, unknownBucket: unknown };
  const limits: ProgramLimits = {};
  for (const bucket of buckets) {
    const wanted = requested[bucket.name] ?? {};
    if (wanted.rate !== undefined && compareRates(wanted.rate, bucket.maxRate) > 0) {
      return { ok: false, violation: { code: 'exceeds_policy', detail: `limits.${bucket.name}.rate ${wanted.rate} is above the policy's ${bucket.maxRate}` } };
    }
    if (wanted.annualCap !== undefined && bucket.annualCap !== null && wanted.annualCap > bucket.annualCap) {
      return {
        ok: false,
        violation: {
          code: 'exceeds_policy',
          detail: `limits.${bucket.name}.annualCap ${formatFen(wanted.annualCap)} is above the policy's ${formatFen(bucket.annualCap)}`,
        },
      };
    }
    limits[bucket.name] = { rate: normaliseRate(wanted.rate ?? bucket.maxRate), annualCap: wanted.annualCap ?? null };
  }
  return { ok: true, limits };
}
