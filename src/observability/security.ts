import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Config } from '../config.js';
import { DomainError } from '../shared/errors.js';

/** helmet's defaults: no sniffing, no framing, no referrer, HSTS, a restrictive CSP, same-origin isolation. */
export const securityHeaders = (): RequestHandler => helmet();

/**
 * Every /v1 answer, a problem included, is `Cache-Control: no-store`: they carry names, bank accounts and
 * amounts, and no browser, proxy or CDN may keep a copy (decision 0032). Public material that may be cached
 * (the JWKS, the API document, the console's hashed assets) lives outside /v1 and sets its own, as do the public
 * transparency routes, which carry hashes, sizes and signatures only (decision 0045).
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

const ALLOWED_METHODS = 'GET, POST';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, X-Request-Id, Accept-Language';
const EXPOSED_HEADERS = 'X-Request-Id, Retry-After, Idempotent-Replayed, Link, Location, Content-Disposition';

/**
 * CORS, off unless CORS_ORIGINS lists the browser origins allowed (or is "*"): a listed origin gets
 * Access-Control-Allow-Origin and a preflight (OPTIONS with Access-Control-Request-Method) is answered 204.
 * Tokens travel in the Authorization header, never cookies, so credentials are never allowed.
 */
export function cors(origins: readonly string[] | undefined): RequestHandler {
  const any = origins?.includes('*') ?? false;
  const allowed = new Set(origins ?? []);
  return (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    if (!origins || !origin) return next();
    res.vary('Origin');
    if (!any && !allowed.has(origin)) return next();
    res.set('Access-Control-Allow-Origin', any ? '*' : origin);
    res.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    if (req.method === 'OPTIONS' && req.get('access-control-request-method')) {
      res.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.set('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}

/** Whether a request carries credentials that would authenticate it: a valid JWT, or the metrics token. */
export type CredentialCheck = (req: Request) => Promise<boolean>;

/**
 * Counts each client IP's failed authentications (401 responses) over a fixed window. Once the IP has
 * AUTH_FAILURE_LIMIT of them, until the window ends, a request from it that does not carry valid credentials is
 * answered 429 `too_many_auth_failures` (with Retry-After) before its body is read; one that does is served as
 * usual. So a failing script behind an office's NAT, or a stranger behind the same proxy, slows only what fails
 * and never locks out the colleagues who share the address. Only failures count, and only once the response is
 * known. IPv6 clients are keyed by their /56, as express-rate-limit does. The client IP is the socket's, or the
 * proxy's X-Forwarded-For when TRUST_PROXY_HOPS says to believe it. One count serves every guarded path.
 */
export function authFailureLimit(config: Pick<Config, 'AUTH_FAILURE_LIMIT' | 'AUTH_FAILURE_WINDOW_SECONDS'>): {
  guard(hasValidCredentials: CredentialCheck): RequestHandler;
} {
  const limit = config.AUTH_FAILURE_LIMIT;
  if (limit === 0) return { guard: () => (_req, _res, next) => next() };
  const windowMs = config.AUTH_FAILURE_WINDOW_SECONDS * 1000;
  const store = new MemoryStore();
  store.init({ windowMs } as Parameters<MemoryStore['init']>[0]);
  return {
    guard: (hasValidCredentials) => async (req: Request, res: Response, next: NextFunction) => {
      const key = ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
      const failures = await store.get(key);
      if (failures && failures.totalHits >= limit && !(await hasValidCredentials(req))) {
        const retryAfterSeconds = Math.max(1, Math.ceil(((failures.resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
        throw new DomainError('too_many_auth_failures', `too many failed authentications from this address; try again in ${retryAfterSeconds} s`, {
          retryAfterSeconds,
        });
      }
      res.once('finish', () => {
        if (res.statusCode === 401) void store.increment(key);
      });
      next();
    },
  };
}

/**
 * The public routes (decision 0045) are read by anyone without a token: each client IP may make PUBLIC_RATE_LIMIT
 * requests a minute to all of them together, then `429 rate_limited` with Retry-After until its minute ends.
 */
export function publicRateLimit(config: Pick<Config, 'PUBLIC_RATE_LIMIT'>): RequestHandler {
  if (config.PUBLIC_RATE_LIMIT === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: config.PUBLIC_RATE_LIMIT,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown'),
    handler: (req, _res, next) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfterSeconds = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000));
      next(
        new DomainError('rate_limited', `too many requests to the public routes from this address; try again in ${retryAfterSeconds} s`, { retryAfterSeconds }),
      );
    },
  });
}
