import { Router } from 'express';
import { actorAs } from '../auth/auth.middleware.js';
import type { Deps } from '../deps.js';
import { commandContext, sendResult } from '../http/command-context.js';
import { parseRequest } from '../http/validate.js';
import { historyQuery, listProvidersQuery, providerParams, registerProviderSchema, replaceProviderSchema, statusChangeSchema } from './providers.schemas.js';
import { createProviderService } from './providers.service.js';

export function providersRouter(deps: Deps): Router {
  const providers = createProviderService(deps);
  const usccOf = (params: unknown) => parseRequest(providerParams, params, 'params').uscc;
  return Router()
    .post('/v1/providers', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const input = parseRequest(registerProviderSchema, req.body, 'body');
      sendResult(res, await providers.register(input, commandContext(req, actor)));
    })
    .get('/v1/providers', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor');
      res.json(await providers.list(parseRequest(listProvidersQuery, req.query, 'query'), actor));
    })
    .put('/v1/providers/:uscc', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const uscc = usccOf(req.params);
      const input = parseRequest(replaceProviderSchema, req.body, 'body');
      sendResult(res, await providers.replace(uscc, input, commandContext(req, actor)));
    })
    .post('/v1/providers/:uscc/suspend', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const uscc = usccOf(req.params);
      const input = parseRequest(statusChangeSchema, req.body, 'body');
      sendResult(res, await providers.suspend(uscc, input, commandContext(req, actor)));
    })
    .post('/v1/providers/:uscc/reinstate', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const uscc = usccOf(req.params);
      const input = parseRequest(statusChangeSchema, req.body, 'body');
      sendResult(res, await providers.reinstate(uscc, input, commandContext(req, actor)));
    })
    .get('/v1/providers/:uscc', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor', 'provider');
      res.json(await providers.get(usccOf(req.params), actor));
    })
    .get('/v1/providers/:uscc/history', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor', 'provider');
      const uscc = usccOf(req.params);
      res.json(await providers.history(uscc, parseRequest(historyQuery, req.query, 'query').region, actor));
    });
}
