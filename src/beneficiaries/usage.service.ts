import type { ActorOf } from '../auth/actor.js';
import type { Deps } from '../deps.js';
import type { Policy } from '../rules/policy.js';
import { DomainError } from '../shared/errors.js';
import type { Fen } from '../shared/money.js';
import { formatFen } from '../shared/money.js';
import { coveredRange, covers } from '../shared/region.js';
import { programUsageOf, type Usage, usageIn, usageScopes } from './usage.repository.js';

export interface BucketUsage {
  granted: string;
  /** Held by claims awaiting confirmation or review: not granted, but no other claim may use it (decision 0041). */
  reserved: string;
  annualCap: string | null;
  remaining: string | null;
}

function bucketUsage({ granted, reserved }: Usage, annualCap: Fen | null): BucketUsage {
  const used = granted + reserved;
  return {
    granted: formatFen(granted),
    reserved: formatFen(reserved),
    annualCap: annualCap === null ? null : formatFen(annualCap),
    remaining: annualCap === null ? null : formatFen(annualCap > used ? annualCap - used : 0n),
  };
}

export function createUsageService(deps: Deps) {
  return {
    /**
     * A beneficiary's subsidies in a year: the policy-wide totals per bucket (the caps are province-wide, so any
     * issuer or auditor within the policy's jurisdiction may read them) and the figures of each program within
     * the caller's own region. A caller outside the jurisdiction is refused.
     */
    async usage(uscc: string, policy: Policy, year: number, actor: ActorOf<'issuer' | 'auditor' | 'enterprise'>) {
      // An enterprise reads its own usage, every program included: it is its own money.
      if (actor.role === 'enterprise') {
        if (actor.org !== uscc) throw DomainError.forbidden('an enterprise reads its own usage only');
      } else if (!covers(policy.jurisdiction, actor.region))
        throw DomainError.forbidden(`usage under ${policy.id} is for regions within ${policy.jurisdiction}, not ${actor.region}`);
      const buckets: Record<string, BucketUsage> = {};
      for (const bucket of policy.buckets)
        buckets[bucket.name] = bucketUsage(await usageIn(deps.db, { scope: usageScopes.policy(policy.id), uscc, bucket: bucket.name, year }), bucket.annualCap);
      // An issuer sees its own region's programs; an auditor every program its region covers.
      const regions =
        actor.role === 'issuer'
          ? { from: actor.region, to: actor.region }
          : actor.role === 'auditor'
            ? coveredRange(actor.region)
            : coveredRange(policy.jurisdiction);
      const programs = await programUsageOf(deps.db, { uscc, year, policyId: policy.id, regions });
      return {
        uscc,
        year,
        policyId: policy.id,
        buckets,
        programs: programs.map(({ program, usage }) => ({
          programId: program.id,
          region: program.region,
          buckets: Object.fromEntries([...usage].map(([bucket, held]) => [bucket, bucketUsage(held, program.limits[bucket]?.annualCap ?? null)])),
        })),
      };
    },
  };
}
