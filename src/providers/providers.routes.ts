import { Router } from 'express';
import type { z } from 'zod';
import { actorAs } from '../auth/auth.middleware.js';
import type { Deps } from '../deps.js';
import { commandContext, sendResult } from '../http/command-context.js';
import { parseRequest } from '../http/validate.js';
import { DomainError } from '../shared/errors.js';
import {
  historyQuery,
  listProvidersQuery,
  providerParams,
  registerProviderSchema,
  replaceProviderSchema,
  statusChangeSchema,
} from './providers.schemas.js';
import { createProviderService } from './providers.service.js';

/** Array positions named as clients write them: `services[0].autonomous`, not `services.0.autonomous`. */
const bracketed = (field: string) => field.replace(/\.(\d+)(?=\.|$)/g, '[$1]');

function parse<S extends z.ZodType>(schema: S, value: unknown, root: 'body' | 'query' | 'params'): z.infer<S> {
  try {
    return parseRequest(schema, value, root);
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'validation_failed' || !err.extras.errors) throw err;
    throw DomainError.validation(err.extras.errors.map((error) => ({ field: bracketed(error.field), message: error.message })));
  }
}

export function providersRouter(deps: Deps): Router {
  const providers = createProviderService(deps);
  const usccOf = (params: unknown) => parse(providerParams, params, 'params').uscc;
  return Router()
    .post('/v1/providers', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const input = parse(registerProviderSchema, req.body, 'body');
      sendResult(res, await providers.register(input, commandContext(req, actor)));
    })
    .get('/v1/providers', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor');
      res.json(await providers.list(parse(listProvidersQuery, req.query, 'query'), actor));
    })
    .put('/v1/providers/:uscc', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const uscc = usccOf(req.params);
      const input = parse(replaceProviderSchema, req.body, 'body');
      sendResult(res, await providers.replace(uscc, input, commandContext(req, actor)));
    })
    .post('/v1/providers/:uscc/suspend', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const uscc = usccOf(req.params);
      const input = parse(statusChangeSchema, req.body, 'body');
      sendResult(res, await providers.suspend(uscc, input, commandContext(req, actor)));
    })
    .post('/v1/providers/:uscc/reinstate', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const uscc = usccOf(req.params);
      const input = parse(statusChangeSchema, req.body, 'body');
      sendResult(res, await providers.reinstate(uscc, input, commandContext(req, actor)));
    })
    .get('/v1/providers/:uscc', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor', 'provider');
      res.json(await providers.get(usccOf(req.params), actor));
    })
    .get('/v1/providers/:uscc/history', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor', 'provider');
      const uscc = usccOf(req.params);
      res.json(await providers.history(uscc, parse(historyQuery, req.query, 'query').region, actor));
    });
}
