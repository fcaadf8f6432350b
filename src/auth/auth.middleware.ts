import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../shared/errors.js';
import { covers } from '../shared/region.js';
import type { Actor, ActorOf, Role, TokenActor } from './actor.js';
import type { TokenVerifier } from './token-verifier.js';

declare global {
  namespace Express {
    interface Locals {
      actor?: TokenActor;
    }
  }
}

/** The bearer token of the Authorization header (RFC 6750 token68), or undefined when there is none. */
export const bearerTokenOf = (req: Request): string | undefined => /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(req.get('authorization') ?? '')?.[1];

export function authenticate(verify: TokenVerifier) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const token = bearerTokenOf(req);
    if (!token) throw new DomainError('missing_token', 'an Authorization: Bearer <JWT> header is required');
    res.locals.actor = await verify(token);
    next();
  };
}

/** Whether the request's bearer token verifies, without answering for it (the auth-failure limit asks). */
export const carriesValidToken =
  (verify: TokenVerifier) =>
  (req: Request): Promise<boolean> => {
    const token = bearerTokenOf(req);
    return token
      ? verify(token).then(
          () => true,
          () => false,
        )
      : Promise.resolve(false);
  };

/** The authenticated actor, narrowed to one of the roles a route allows; any other role gets 403. */
export function actorAs<R extends Role>(res: Response, ...roles: R[]): ActorOf<R> {
  const actor = res.locals.actor;
  if (!actor) throw new DomainError('missing_token', 'authentication is required');
  if (!(roles as Role[]).includes(actor.role)) throw DomainError.forbidden(`this action needs the role ${roles.join(' or ')}`);
  return actor as ActorOf<R>;
}

/** Issuers act on their own region only; auditors read whatever their region covers. */
export function assertRegionAccess(actor: Actor, region: string): void {
  const allowed = (actor.role === 'issuer' && actor.region === region) || (actor.role === 'auditor' && covers(actor.region, region));
  if (!allowed) throw DomainError.forbidden(`region ${region} is outside the caller's scope`);
}
