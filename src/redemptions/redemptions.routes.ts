import { Router } from 'express';
import { actorAs } from '../auth/auth.middleware.js';
import { commandContext, sendResult } from '../http/command-context.js';
import type { Deps } from '../deps.js';
import { parseRequest } from '../http/validate.js';
import { listRedemptionsQuery, redeemSchema, redemptionIdParams, reverseSchema } from './redemptions.schemas.js';
import { sendPage } from '../http/pagination.js';
import { createRedemptionService } from './redemptions.service.js';
import { getRedemption, listRedemptionViews } from './use-cases/read-redemptions.js';

export function redemptionsRouter(deps: Deps): Router {
  const redemptions = createRedemptionService(deps);
  return Router()
    .post('/v1/redemptions', async (req, res) => {
      const actor = actorAs(res, 'provider');
      const input = parseRequest(redeemSchema, req.body, 'body');
      sendResult(res, await redemptions.redeem(input, commandContext(req, actor)));
    })
    .get('/v1/redemptions', async (req, res) => {
      const actor = actorAs(res, 'provider', 'issuer', 'auditor', 'enterprise');
      sendPage(req, res, await listRedemptionViews(deps, parseRequest(listRedemptionsQuery, req.query, 'query'), actor));
    })
    .get('/v1/redemptions/:id', async (req, res) => {
      const actor = actorAs(res, 'provider', 'issuer', 'auditor', 'enterprise');
      res.json(await getRedemption(deps, parseRequest(redemptionIdParams, req.params, 'params').id, actor));
    })
    .post('/v1/redemptions/:id/reversals', async (req, res) => {
      const actor = actorAs(res, 'provider', 'issuer');
      const input = parseRequest(reverseSchema, req.body, 'body');
      const { id } = parseRequest(redemptionIdParams, req.params, 'params');
      sendResult(res, await redemptions.reverse(id, input, commandContext(req, actor)));
    });
}
