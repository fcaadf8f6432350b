import { Router } from 'express';
import type { Deps } from '../deps.js';
import { parseRequest } from '../http/validate.js';
import { createSignInCodeService } from './sign-in-codes.service.js';
import { signInCodeBody } from './sign-in-codes.schemas.js';

/**
 * POST /v1/console/sessions: a sign-in link's code for its token. Mounted before `authenticate` (the caller has
 * no token yet) but under /v1, so that a refused code (401) counts towards the address's failure limit.
 */
export function consoleSignInRouter(deps: Deps): Router {
  const codes = createSignInCodeService(deps);
  return Router().post('/v1/console/sessions', async (req, res) => {
    const { code } = parseRequest(signInCodeBody, req.body, 'body');
    const session = await codes.exchange(code);
    res.set('Cache-Control', 'no-store').json(session);
  });
}
