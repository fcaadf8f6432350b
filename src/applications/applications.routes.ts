import { Router } from 'express';
import { actorAs } from '../auth/auth.middleware.js';
import type { Deps } from '../deps.js';
import { commandContext, sendResult } from '../http/command-context.js';
import { sendPage } from '../http/pagination.js';
import { parseRequest } from '../http/validate.js';
import {
  applicationBodySchema,
  applicationIdParams,
  grantSchema,
  listApplicationsQuery,
  listNoticesQuery,
  listOpenProgramsQuery,
  objectionParams,
  objectionSchema,
  resolveObjectionSchema,
  reviewSchema,
} from './applications.schemas.js';
import { createApplicationService } from './applications.service.js';

/** Enterprises apply and answer returns; issuers review, take objections and grant; auditors read. */
export function applicationsRouter(deps: Deps): Router {
  const applications = createApplicationService(deps);
  const idOf = (params: unknown) => parseRequest(applicationIdParams, params, 'params').id;
  return Router()
    .post('/v1/applications', async (req, res) => {
      const actor = actorAs(res, 'enterprise');
      sendResult(res, await applications.submit(parseRequest(applicationBodySchema, req.body, 'body'), commandContext(req, actor)));
    })
    .get('/v1/applications', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor', 'enterprise');
      sendPage(req, res, await applications.list(parseRequest(listApplicationsQuery, req.query, 'query'), actor));
    })
    .get('/v1/applications/:id', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor', 'enterprise');
      res.json(await applications.get(idOf(req.params), actor));
    })
    .post('/v1/applications/:id/resubmit', async (req, res) => {
      const actor = actorAs(res, 'enterprise');
      const input = parseRequest(applicationBodySchema, req.body, 'body');
      sendResult(res, await applications.resubmit(idOf(req.params), input, commandContext(req, actor)));
    })
    .post('/v1/applications/:id/review', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const input = parseRequest(reviewSchema, req.body, 'body');
      sendResult(res, await applications.review(idOf(req.params), input, commandContext(req, actor)));
    })
    .post('/v1/applications/:id/objections', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const input = parseRequest(objectionSchema, req.body, 'body');
      sendResult(res, await applications.object(idOf(req.params), input, commandContext(req, actor)));
    })
    .post('/v1/applications/:id/objections/:objectionId/resolve', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const { id, objectionId } = parseRequest(objectionParams, req.params, 'params');
      const input = parseRequest(resolveObjectionSchema, req.body, 'body');
      sendResult(res, await applications.resolve(id, objectionId, input, commandContext(req, actor)));
    })
    .post('/v1/applications/:id/grant', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const input = parseRequest(grantSchema, req.body, 'body');
      sendResult(res, await applications.grant(idOf(req.params), input, commandContext(req, actor)));
    });
}

/** The calls for applications and the public notices (公示): read by anyone, without a token, as published notices are. */
export function publicNoticesRouter(deps: Deps): Router {
  const applications = createApplicationService(deps);
  return Router()
    .get('/v1/public/programs', async (req, res) => {
      sendPage(req, res, await applications.calls(parseRequest(listOpenProgramsQuery, req.query, 'query')));
    })
    .get('/v1/public/notices', async (req, res) => {
      sendPage(req, res, await applications.notices(parseRequest(listNoticesQuery, req.query, 'query')));
    });
}
