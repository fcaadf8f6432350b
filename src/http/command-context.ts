import canonicalize from 'canonicalize';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import type { Actor } from '../auth/actor.js';
import type { CommandResult, IdempotencyRequest } from '../idempotency/run-command.js';
import { AppError } from './errors.js';

/** What every write use case receives besides its input: who acts, and the idempotency key if any. */
export interface CommandContext<A extends Actor = Actor> {
  actor: A;
  idempotency?: IdempotencyRequest;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function commandContext<A extends Actor>(req: Request, actor: A): CommandContext<A> {
  const key = req.get('idempotency-key');
  if (key === undefined) return { actor };
  if (!KEY_PATTERN.test(key))
    throw AppError.validation([{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }]);
  const fingerprint = createHash('sha256')
    .update(canonicalize({ method: req.method, path: req.path, body: req.body ?? null }) ?? '')
    .digest('hex');
  return { actor, idempotency: { subject: actor.sub, key, fingerprint } };
}

export function sendResult(res: Response, result: CommandResult<unknown>): void {
  if (result.replayed) res.set('Idempotent-Replayed', 'true');
  res.status(result.status).json(result.body);
}
