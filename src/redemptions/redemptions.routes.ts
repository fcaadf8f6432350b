import { type Request, Router } from 'express';
import { actorAs } from '../auth/auth.middleware.js';
import { commandContext, sendResult } from '../http/command-context.js';
import type { Deps } from '../deps.js';
import { parseRequest } from '../http/validate.js';
import {
  claimReasonSchema,
  confirmClaimSchema,
  lapseSweepSchema,
  listRedemptionsQuery,
  redeemSchema,
  redemptionIdParams,
  resubmitClaimSchema,
  reverseSchema,
  reviewClaimSchema,
} from './redemptions.schemas.js';
import { sendPage } from '../http/pagination.js';
import { createRedemptionService } from './redemptions.service.js';
import { getRedemption, listRedemptionViews } from './use-cases/read-redemptions.js';

const idOf = (req: Request) => parseRequest(redemptionIdParams, req.params, 'params').id;

export function redemptionsRouter(deps: Deps): Router {
  const redemptions = createRedemptionService(deps);
  return (
    Router()
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
      })
      // Claims (decision 0041): each decision answers with the claim as it now stands.
      .post('/v1/redemptions/:id/confirm', async (req, res) => {
        const actor = actorAs(res, 'enterprise');
        const input = parseRequest(confirmClaimSchema, req.body, 'body');
        sendResult(res, await redemptions.confirm(idOf(req), input, commandContext(req, actor)));
      })
      .post('/v1/redemptions/:id/dispute', async (req, res) => {
        const actor = actorAs(res, 'enterprise');
        const input = parseRequest(claimReasonSchema, req.body, 'body');
        sendResult(res, await redemptions.dispute(idOf(req), input, commandContext(req, actor)));
      })
      .post('/v1/redemptions/:id/resubmit', async (req, res) => {
        const actor = actorAs(res, 'provider');
        const input = parseRequest(resubmitClaimSchema, req.body, 'body');
        sendResult(res, await redemptions.resubmit(idOf(req), input, commandContext(req, actor)));
      })
      .post('/v1/redemptions/:id/withdraw', async (req, res) => {
        const actor = actorAs(res, 'provider');
        const input = parseRequest(claimReasonSchema, req.body, 'body');
        sendResult(res, await redemptions.withdraw(idOf(req), input, commandContext(req, actor)));
      })
      .post('/v1/redemptions/:id/review', async (req, res) => {
        const actor = actorAs(res, 'issuer');
        const input = parseRequest(reviewClaimSchema, req.body, 'body');
        sendResult(res, await redemptions.review(idOf(req), input, commandContext(req, actor)));
      })
      .post('/v1/redemptions/lapse-sweep', async (req, res) => {
        const actor = actorAs(res, 'issuer');
        parseRequest(lapseSweepSchema, req.body, 'body');
        sendResult(res, await redemptions.lapseOverdue(commandContext(req, actor), actor.region));
      })
  );
}
