import { Router } from 'express';
import { actorAs } from '../auth/auth.middleware.js';
import { commandContext, sendResult } from '../http/command-context.js';
import type { Deps } from '../deps.js';
import { parseRequest } from '../http/validate.js';
import {
  budgetChangeSchema,
  closeProgramSchema,
  confirmFundingSchema,
  createProgramSchema,
  funderParams,
  listProgramsQuery,
  programIdParams,
} from './programs.schemas.js';
import { sendPage } from '../http/pagination.js';
import { createProgramService } from './programs.service.js';

export function programsRouter(deps: Deps): Router {
  const programs = createProgramService(deps);
  return (
    Router()
      .post('/v1/programs', async (req, res) => {
        const actor = actorAs(res, 'issuer');
        const input = parseRequest(createProgramSchema, req.body, 'body');
        sendResult(res, await programs.create(input, commandContext(req, actor)));
      })
      .get('/v1/programs', async (req, res) => {
        const actor = actorAs(res, 'issuer', 'auditor');
        sendPage(req, res, await programs.list(parseRequest(listProgramsQuery, req.query, 'query'), actor));
      })
      // Before /:id, which would otherwise take "awaiting-confirmation" for a program id.
      .get('/v1/programs/awaiting-confirmation', async (_req, res) => {
        res.json(await programs.awaitingConfirmation(actorAs(res, 'issuer')));
      })
      .get('/v1/programs/:id', async (req, res) => {
        const actor = actorAs(res, 'issuer', 'auditor');
        res.json(await programs.get(parseRequest(programIdParams, req.params, 'params').id, actor));
      })
      .get('/v1/programs/:id/balances', async (req, res) => {
        const actor = actorAs(res, 'issuer', 'auditor');
        res.json(await programs.balances(parseRequest(programIdParams, req.params, 'params').id, actor));
      })
      .post('/v1/programs/:id/funding/:region/confirm', async (req, res) => {
        const actor = actorAs(res, 'issuer');
        const { id, region } = parseRequest(funderParams, req.params, 'params');
        parseRequest(confirmFundingSchema, req.body, 'body');
        sendResult(res, await programs.confirmFunding(id, region, commandContext(req, actor)));
      })
      .post('/v1/programs/:id/budget-changes', async (req, res) => {
        const actor = actorAs(res, 'issuer');
        const { id } = parseRequest(programIdParams, req.params, 'params');
        const input = parseRequest(budgetChangeSchema, req.body, 'body');
        sendResult(res, await programs.changeBudget(id, input, commandContext(req, actor)));
      })
      .get('/v1/programs/:id/closing', async (req, res) => {
        const actor = actorAs(res, 'issuer', 'auditor');
        res.json(await programs.closing(parseRequest(programIdParams, req.params, 'params').id, actor));
      })
      .post('/v1/programs/:id/close', async (req, res) => {
        const actor = actorAs(res, 'issuer');
        const { id } = parseRequest(programIdParams, req.params, 'params');
        parseRequest(closeProgramSchema, req.body, 'body');
        sendResult(res, await programs.close(id, commandContext(req, actor)));
      })
  );
}
