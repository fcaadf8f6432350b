import { Router } from 'express';
import { actorAs } from '../auth/auth.middleware.js';
import type { Deps } from '../deps.js';
import { commandContext, sendResult } from '../http/command-context.js';
import { sendPage } from '../http/pagination.js';
import { parseRequest } from '../http/validate.js';
import { programIdParams } from '../programs/programs.schemas.js';
import {
  declareGroupSchema,
  delistSchema,
  drawSpotCheckSchema,
  idParams,
  listEnterpriseSchema,
  listGroupsQuery,
  listSpotChecksQuery,
  listWatchlistQuery,
  spotCheckResultSchema,
  usccParams,
} from './oversight.schemas.js';
import { createOversightService } from './oversight.service.js';

export function oversightRouter(deps: Deps): Router {
  const oversight = createOversightService(deps);
  return Router()
    .post('/v1/watchlist', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      sendResult(res, await oversight.list(parseRequest(listEnterpriseSchema, req.body, 'body'), commandContext(req, actor)));
    })
    .get('/v1/watchlist', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor');
      sendPage(req, res, await oversight.watchlist(parseRequest(listWatchlistQuery, req.query, 'query'), actor));
    })
    .post('/v1/watchlist/:uscc/delist', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      const { uscc } = parseRequest(usccParams, req.params, 'params');
      sendResult(res, await oversight.delist(uscc, parseRequest(delistSchema, req.body, 'body'), commandContext(req, actor)));
    })
    .post('/v1/related-parties', async (req, res) => {
      const actor = actorAs(res, 'issuer');
      sendResult(res, await oversight.declareGroup(parseRequest(declareGroupSchema, req.body, 'body'), commandContext(req, actor)));
    })
    .get('/v1/related-parties', async (req, res) => {
      actorAs(res, 'issuer', 'auditor');
      sendPage(req, res, await oversight.groups(parseRequest(listGroupsQuery, req.query, 'query')));
    })
    .post('/v1/programs/:id/spot-checks', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor');
      const { id } = parseRequest(programIdParams, req.params, 'params');
      sendResult(res, await oversight.drawSpotCheck(id, parseRequest(drawSpotCheckSchema, req.body, 'body'), commandContext(req, actor)));
    })
    .get('/v1/spot-checks', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor');
      sendPage(req, res, await oversight.spotChecks(parseRequest(listSpotChecksQuery, req.query, 'query'), actor));
    })
    .get('/v1/spot-checks/:id', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor');
      res.json(await oversight.spotCheck(parseRequest(idParams, req.params, 'params').id, actor));
    })
    .post('/v1/spot-checks/:id/results', async (req, res) => {
      const actor = actorAs(res, 'issuer', 'auditor');
      const { id } = parseRequest(idParams, req.params, 'params');
      sendResult(res, await oversight.recordResult(id, parseRequest(spotCheckResultSchema, req.body, 'body'), commandContext(req, actor)));
    });
}
