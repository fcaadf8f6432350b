import { Router } from 'express';
import { z } from 'zod';
import { actorAs } from '../../auth/auth.middleware.js';
import type { Deps } from '../../deps.js';
import { parseRequest } from '../../http/validate.js';
import { seqParam } from '../ledger.schemas.js';
import { createCheckpointService } from './checkpoints.service.js';
import { loadSigningKey } from './signing-key.js';

export function checkpointRouters(deps: Deps): { publicRouter: Router; auditorRouter: Router } {
  const key = loadSigningKey(deps.config);
  key.catch(() => undefined); // surfaced on first use; the server checks it at start-up
  const checkpoints = createCheckpointService(deps, key);
  const publicRouter = Router().get('/.well-known/jwks.json', async (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(await checkpoints.jwks());
  });
  const auditorRouter = Router()
    .get('/v1/ledger/checkpoint', async (_req, res) => {
      actorAs(res, 'auditor');
      res.set('Cache-Control', 'no-store').json(await checkpoints.issue());
    })
    .get('/v1/ledger/checkpoints/:seq', async (req, res) => {
      actorAs(res, 'auditor');
      const { seq } = parseRequest(z.object({ seq: seqParam }), req.params, 'params');
      res.json(await checkpoints.atSeq(seq));
    });
  return { publicRouter, auditorRouter };
}
