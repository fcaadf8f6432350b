import canonicalize from 'canonicalize';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { type Actor, callerIdentity } from '../auth/actor.js';
import { DomainError } from '../shared/errors.js';
import type { CommandContext, CommandResult } from '../unit-of-work/unit-of-work.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The command context of a request: its actor and, when sent, its Idempotency-Key with a fingerprint of the request. */
export function commandContext<A extends Actor>(req: Request, actor: A): CommandContext<A> {
  const key = req.get('idempotency-key');
  if (key === undefined) return { actor };
  if (!KEY_PATTERN.test(key)) throw DomainError.validation([{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }]);
  const fingerprint = createHash('sha256')
    .update(canonicalize({ method: req.method, path: req.path, body: req.body ?? null }) ?? '')
    .digest('hex');
  return { actor, idempotency: { caller: callerIdentity(actor), key, fingerprint } };
}

export function sendResult(res: Response, result: CommandResult<unknown>): void {
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  res.status(result.status).json(result.body);
}
