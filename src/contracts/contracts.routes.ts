import { Router } from 'express';
import { actorAs } from '../auth/auth.middleware.js';
import { commandContext, sendResult } from '../http/command-context.js';
import type { Deps } from '../deps.js';
import { parseRequest } from '../http/validate.js';
import { contractIdParams, listContractsQuery, registerContractSchema } from './contracts.schemas.js';
import { sendPage } from '../http/pagination.js';
import { createContractService } from './contracts.service.js';

export function contractsRouter(deps: Deps): Router {
  const contracts = createContractService(deps);
  return Router()
    .post('/v1/contracts', async (req, res) => {
      const actor = actorAs(res, 'provider');
      const input = parseRequest(registerContractSchema, req.body, 'body');
      sendResult(res, await contracts.register(input, commandContext(req, actor)));
    })
    .get('/v1/contracts', async (req, res) => {
      const actor = actorAs(res, 'provider');
      sendPage(req, res, await contracts.list(parseRequest(listContractsQuery, req.query, 'query'), actor));
    })
    .get('/v1/contracts/:id', async (req, res) => {
      const actor = actorAs(res, 'provider');
      res.json(await contracts.get(parseRequest(contractIdParams, req.params, 'params').id, actor));
    });
}
