import express, { type NextFunction, type Request, type Response } from 'express';
import { applicationsRouter, publicNoticesRouter } from '../applications/applications.routes.js';
import { authenticate, carriesValidToken } from '../auth/auth.middleware.js';
import { createTokenVerifier } from '../auth/token-verifier.js';
import { usageRouter } from '../beneficiaries/usage.routes.js';
import type { Config } from '../config.js';
import { consoleSignInRouter } from '../console-sign-in/sign-in-codes.routes.js';
import { contractsRouter } from '../contracts/contracts.routes.js';
import { oversightRouter } from '../oversight/oversight.routes.js';
import { documentsRouter, documentUploadRouter } from '../documents/documents.routes.js';
import type { Db } from '../db/database.js';
import { checkpointRouters } from '../transparency/checkpoints/checkpoints.routes.js';
import { loadSigningKey } from '../transparency/checkpoints/signing-key.js';
import { exportRouter } from '../ledger/export/export.routes.js';
import { ledgerRouter } from '../ledger/ledger.routes.js';
import type { Logger } from '../logger.js';
import { createMetrics } from '../observability/metrics.js';
import { carriesMetricsToken, probesRouter } from '../observability/probes.routes.js';
import { requestContext } from '../observability/request-log.js';
import { authFailureLimit, cors, noStore, publicRateLimit, securityHeaders } from '../observability/security.js';
import { programsRouter } from '../programs/programs.routes.js';
import { reportsRouter } from '../reports/reports.routes.js';
import { providersRouter } from '../providers/providers.routes.js';
import { redemptionsRouter } from '../redemptions/redemptions.routes.js';
import { settlementRouter } from '../settlement/settlement.routes.js';
import type { PolicyRegistry } from '../rules/policy-loader.js';
import type { Clock } from '../shared/clock.js';
import { vouchersRouter } from '../vouchers/vouchers.routes.js';
import { webhooksRouter } from '../webhooks/webhooks.routes.js';
import { createDeps } from '../deps.js';
import { DomainError } from '../shared/errors.js';
import { consoleRouter } from '../http/console.js';
import { toProblem, wwwAuthenticate } from '../http/problems.js';
import { API_OPERATIONS, openApiRouter } from './openapi.routes.js';
import { declareRoute, requestPolicy } from '../http/request-policy.js';
import { inChinese, prefersChinese } from '../http/problems.zh.js';
import { requireWellFormedText } from '../http/well-formed.js';

export interface AppOptions {
  db: Db;
  config: Config;
  logger: Logger;
  clock?: Clock;
  policies?: PolicyRegistry;
  /** Adds the process's CPU, memory, event-loop and GC series to /metrics (the server; not tests). */
  processMetrics?: boolean;
}

/** Builds the express app around a migrated database; it does not listen. */
export function createApp(options: AppOptions): express.Express {
  const metrics = createMetrics(options.db, { processMetrics: options.processMetrics ?? false });
  const deps = createDeps({ ...options, observer: metrics.observer, signingKey: loadSigningKey(options.config) });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.TRUST_PROXY_HOPS);
  app.use(requestContext(deps.logger, metrics), declareRoute(API_OPERATIONS));
  app.use(securityHeaders(), cors(deps.config.CORS_ORIGINS));
  app.use('/v1', noStore);
  const verifyToken = createTokenVerifier(deps.config);
  // Before the body is parsed: an address that keeps failing to authenticate costs as little as possible,
  // while a request from it with valid credentials is still served.
  const failureLimit = authFailureLimit(deps.config);
  const guardApi = failureLimit.guard(carriesValidToken(verifyToken));
  // The public routes need no credentials, so an address's failed logins do not close them; any other path is guarded.
  // Only the routes declared public skip the guard: any other path under /public/ is an API path like the rest.
  const PUBLIC_PATH = /^\/public\/(?:notices|programs|checkpoint|checkpoints\/[^/]+|proofs\/(?:inclusion|consistency)|log-key)$/;
  const isPublic = (path: string) => PUBLIC_PATH.test(path);
  app.use('/v1', (req, res, next) => (isPublic(req.path) ? next() : guardApi(req, res, next)));
  app.use('/v1/public', publicRateLimit(deps.config));
  app.use('/metrics', failureLimit.guard(carriesMetricsToken(deps.config)));
  // An upload's body is the document, whatever its Content-Type: its route reads it, before the JSON parser could.
  app.use(documentUploadRouter(deps, verifyToken));
  app.use(express.json({ limit: '64kb', strict: true, type: ['application/json', 'application/*+json'] }));
  app.use(requireWellFormedText);
  app.use(requestPolicy);

  app.use(probesRouter(deps, metrics));
  app.use(openApiRouter());
  app.use(consoleRouter());

  const checkpoints = checkpointRouters(deps);
  app.use(checkpoints.publicRouter);
  app.use(publicNoticesRouter(deps));
  app.use(consoleSignInRouter(deps));

  app.use('/v1', authenticate(verifyToken));
  for (const router of [
    programsRouter,
    vouchersRouter,
    applicationsRouter,
    contractsRouter,
    redemptionsRouter,
    usageRouter,
    exportRouter,
    ledgerRouter,
    providersRouter,
    settlementRouter,
    documentsRouter,
    oversightRouter,
    reportsRouter,
    webhooksRouter,
  ])
    app.use(router(deps));
  app.use(checkpoints.auditorRouter);

  app.use((req: Request) => {
    throw new DomainError('not_found', `no route for ${req.method} ${req.path}`);
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // A stream (an export) that fails after its headers went out can only be cut short.
    if (res.headersSent) {
      req.log.warn({ err }, 'response aborted mid-stream');
      res.destroy();
      return;
    }
    const problem = toProblem(err, req.originalUrl);
    res.locals.problemCode = problem.code;
    // The request's log line (request-log.ts) carries a bug's error, stack included; every problem its code.
    if (problem.code === 'internal_error' && err instanceof Error) res.err = err;
    if (problem.retryAfterSeconds !== undefined) res.set('Retry-After', String(problem.retryAfterSeconds));
    if (problem.status === 401) res.set('WWW-Authenticate', wwwAuthenticate(problem));
    // A problem is never cached, whatever a public route had set before it failed (decision 0045).
    res.set('Cache-Control', 'no-store');
    res.vary('Accept-Language');
    const chinese = prefersChinese(req.get('accept-language'));
    if (chinese) res.set('Content-Language', 'zh-CN');
    res
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify(chinese ? inChinese(problem) : problem));
  });
  return app;
}
