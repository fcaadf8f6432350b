import { Router } from 'express';
import { z } from 'zod';
import { actorAs } from '../auth/auth.middleware.js';
import type { Deps } from '../deps.js';
import { parseRequest } from '../http/validate.js';
import { DEFAULT_POLICY_ID } from '../programs/programs.schemas.js';
import { todayIn } from '../shared/clock.js';
import { yearOf } from '../shared/dates.js';
import { DomainError } from '../shared/errors.js';
import { usccSchema } from '../shared/uscc.js';
import { createUsageService } from './usage.service.js';

export const usageParams = z.object({ uscc: usccSchema });
export const usageQuery = z.strictObject({
  year: z
    .string()
    .regex(/^(19|20|21)[0-9]{2}$/, 'must be a four-digit year')
    .transform(Number)
    .optional(),
  policyId: z.string().min(1).max(64).default(DEFAULT_POLICY_ID),
});

export function usageRouter(deps: Deps): Router {
  const usage = createUsageService(deps);
  return Router().get('/v1/beneficiaries/:uscc/usage', async (req, res) => {
    const actor = actorAs(res, 'issuer', 'auditor', 'enterprise');
    const { uscc } = parseRequest(usageParams, req.params, 'params');
    const query = parseRequest(usageQuery, req.query, 'query');
    const policy = deps.policies.get(query.policyId);
    if (!policy) throw DomainError.validation([{ field: 'policyId', message: 'unknown policy' }]);
    res.json(await usage.usage(uscc, policy, query.year ?? yearOf(todayIn(deps.clock)), actor));
  });
}
