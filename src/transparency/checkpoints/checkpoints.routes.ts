import { Router } from 'express';
import { z } from 'zod';
import { actorAs } from '../../auth/auth.middleware.js';
import type { Deps } from '../../deps.js';
import { commandContext, sendResult } from '../../http/command-context.js';
import { parseRequest } from '../../http/validate.js';
import { createCosignatureService } from '../cosignatures.service.js';
import { createProofService } from '../proofs.service.js';
import { consistencyQuery, cosignatureBody, inclusionQuery } from '../transparency.schemas.js';
import { seqParam } from '../../ledger/ledger.schemas.js';
import { createCheckpointService } from './checkpoints.service.js';

export function checkpointRouters(deps: Deps): { publicRouter: Router; auditorRouter: Router } {
  const checkpoints = createCheckpointService(deps, deps.transparency);
  const proofs = createProofService(deps);
  const cosignatures = createCosignatureService(deps);
  const publicRouter = Router().get('/.well-known/jwks.json', async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(await checkpoints.jwks());
  });
  const auditorRouter = Router()
    .get('/v1/ledger/checkpoint', async (_req, res) => {
      actorAs(res, 'auditor');
      res.json(await checkpoints.issue());
    })
    .get('/v1/ledger/checkpoints/:seq', async (req, res) => {
      actorAs(res, 'auditor');
      const { seq } = parseRequest(z.object({ seq: seqParam }), req.params, 'params');
      res.json(await checkpoints.atSeq(seq));
    })
    .get('/v1/ledger/proofs/inclusion', async (req, res) => {
      const actor = actorAs(res, 'auditor', 'issuer', 'provider');
      res.json(await proofs.inclusion(actor, parseRequest(inclusionQuery, req.query, 'query')));
    })
    .get('/v1/ledger/proofs/consistency', async (req, res) => {
      actorAs(res, 'auditor', 'issuer', 'provider');
      res.json(await proofs.consistency(parseRequest(consistencyQuery, req.query, 'query')));
    })
    .post('/v1/ledger/cosignatures', async (req, res) => {
      const actor = actorAs(res, 'auditor');
      const { note } = parseRequest(cosignatureBody, req.body, 'body');
      sendResult(res, await cosignatures.add(commandContext(req, actor), note));
    });
  return { publicRouter, auditorRouter };
}
