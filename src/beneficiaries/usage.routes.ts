import { Router } from 'express';
import { z } from 'zod';
import { actorAs } from '../auth/auth.middleware.js';
import type { Deps } from '../deps.js';
import { parseRequest } from '../http/validate.js';
import { DEFAULT_POLICY_ID } from '../programs/programs.schemas.js';
import { DomainError } from '../shared/errors.js';
import { formatFen } from '../shared/money.js';
import { todayIn } from '../shared/clock.js';
import { yearOf } from '../shared/dates.js';
import { usccSchema } from '../shared/uscc.js';
import { grantedIn, usageScopes } from './usage.repository.js';

const usageParams = z.object({ uscc: usccSchema });
const usageQuery = z.strictObject({
  year: z.string().regex(/^(19|20|21)[0-9]{2}$/, 'must be a four-digit year').transform(Number).optional(),
  policyId: z.string().min(1).max(64).default(DEFAULT_POLICY_ID),
});

export function usageRouter(deps: Deps): Router {
  return Router().get('/v1/beneficiaries/:uscc/usage', async (req, res) => {
    actorAs(res, 'issuer', 'auditor');
    const { uscc } = parseRequest(usageParams, req.params, 'params');
    const query = parseRequest(usageQuery, req.query, 'query');
    const policy = deps.policies.get(query.policyId);
    if (!policy) throw DomainError.validation([{ field: 'policyId', message: 'unknown policy' }]);
    const year = query.year ?? yearOf(todayIn(deps.clock));
    const buckets: Record<string, { granted: string; annualCap: string | null; remaining: string | null }> = {};
    for (const bucket of policy.buckets) {
      const granted = await grantedIn(deps.db, { scope: usageScopes.policy(policy.id), uscc, bucket: bucket.name, year });
      const remaining = bucket.annualCap === null ? null : bucket.annualCap > granted ? bucket.annualCap - granted : 0n;
      buckets[bucket.name] = {
        granted: formatFen(granted),
        annualCap: bucket.annualCap === null ? null : formatFen(bucket.annualCap),
        remaining: remaining === null ? null : formatFen(remaining),
      };
    }
    res.json({ uscc, year, policyId: policy.id, buckets });
  });
}
