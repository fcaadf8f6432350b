import { Router } from 'express';
import { actorAs } from '../auth/auth.middleware.js';
import { commandContext, sendResult } from '../http/command-context.js';
import type { Deps } from '../deps.js';
import { parseRequest } from '../http/validate.js';
import { expirySweepSchema, issueVoucherSchema, listVouchersQuery, revokeVoucherSchema, voucherIdParams } from './vouchers.schemas.js';
import { sendPage } from '../http/pagination.js';
import { createVoucherService } from './vouchers.service.js';

export function vouchersRouter(deps: Deps): Router {
  const vouchers = createVoucherService(deps);
  return Router()
    .post('/v1/vouchers', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const input = parseRequest(issueVoucherSchema, req.body, 'body');
      sendResult(res, await vouchers.issue(input, commandContext(req, actor)));
    })
    .post('/v1/vouchers/expiry-sweep', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      parseRequest(expirySweepSchema, req.body, 'body');
      sendResult(res, await vouchers.sweepExpired(commandContext(req, actor), actor.region));
    })
    .get('/v1/vouchers', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor', 'enterprise');
      sendPage(req, res, await vouchers.list(parseRequest(listVouchersQuery, req.query, 'query'), actor));
    })
    .get('/v1/vouchers/:id', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor', 'provider', 'enterprise');
      res.json(await vouchers.get(parseRequest(voucherIdParams, req.params, 'params').id, actor));
    })
    .post('/v1/vouchers/:id/revoke', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const input = parseRequest(revokeVoucherSchema, req.body, 'body');
      const { id } = parseRequest(voucherIdParams, req.params, 'params');
      sendResult(res, await vouchers.revoke(id, input, commandContext(req, actor)));
    });
}
