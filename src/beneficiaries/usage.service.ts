import type { ActorOf } from '../auth/actor.js';
import type { Deps } from '../deps.js';
import type { Policy } from '../rules/policy.js';
import { DomainError } from '../shared/errors.js';
import type { Fen } from '../shared/money.js';
import { formatFen } from '../shared/money.js';
import { coveredRange, covers } from '../shared/region.js';
import { grantedIn, programUsageOf, usageScopes } from './usage.repository.js';

export interface BucketUsage {
  granted: string;
  annualCap: string | null;
  remaining: string | null;
}

function bucketUsage(granted: Fen, annualCap: Fen | null): BucketUsage {
  return {
    granted: formatFen(granted),
    annualCap: annualCap === null ? null : formatFen(annualCap),
    remaining: annualCap === null ? null : formatFen(annualCap > granted ? annualCap - granted : 0n),
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
        buckets[bucket.name] = bucketUsage(
          await grantedIn(deps.db, { scope: usageScopes.policy(policy.id), uscc, bucket: bucket.name, year }),
          bucket.annualCap,
        );
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
        programs: programs.map(({ program, granted }) => ({
          programId: program.id,
          region: program.region,
          buckets: Object.fromEntries([...granted].map(([bucket, fen]) => [bucket, bucketUsage(fen, program.limits[bucket]?.annualCap ?? null)])),
        })),
      };
    },
  };
}
