import { Router } from 'express';
import { actorAs } from '../auth/auth.middleware.js';
import { commandContext, sendResult } from '../http/command-context.js';
import type { Deps } from '../deps.js';
import { parseRequest } from '../http/validate.js';
import { createProgramSchema, programIdParams } from './programs.schemas.js';
import { createProgramService } from './programs.service.js';

export function programsRouter(deps: Deps): Router {
  const programs = createProgramService(deps);
  return Router()
    .post('/v1/programs', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const input = parseRequest(createProgramSchema, req.body, 'body');
      sendResult(res, await programs.create(input, commandContext(req, actor)));
    })
    .get('/v1/programs/:id', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor');
      res.json(await programs.get(parseRequest(programIdParams, req.params, 'params').id, actor));
    });
}
