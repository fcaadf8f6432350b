import express, { type NextFunction, type Request, type Response } from 'express';
import { sql } from 'kysely';
import { authenticate } from '../auth/auth.middleware.js';
import { createTokenVerifier } from '../auth/token-verifier.js';
import { usageRouter } from '../beneficiaries/usage.routes.js';
import type { Config } from '../config.js';
import { contractsRouter } from '../contracts/contracts.routes.js';
import type { Db } from '../db/database.js';
import { checkpointRouters } from '../ledger/checkpoints/checkpoints.routes.js';
import { exportRouter } from '../ledger/export/export.routes.js';
import { ledgerRouter } from '../ledger/ledger.routes.js';
import type { Logger } from '../logger.js';
import { programsRouter } from '../programs/programs.routes.js';
import { redemptionsRouter } from '../redemptions/redemptions.routes.js';
import type { PolicyRegistry } from '../rules/policy-loader.js';
import type { Clock } from '../shared/clock.js';
import { vouchersRouter } from '../vouchers/vouchers.routes.js';
import { createDeps } from '../deps.js';
import { DomainError } from '../shared/errors.js';
import { toProblem, wwwAuthenticate } from './problems.js';
import { requireWellFormedText } from './well-formed.js';

export interface AppOptions {
  db: Db;
  config: Config;
  logger: Logger;
  clock?: Clock;
  policies?: PolicyRegistry;
}

function requestLogger(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: req.method, path: req.path, status: res.statusCode, ms, sub: res.locals.actor?.sub }, 'request');
    });
    next();
  };
}

/** Builds the express app around a migrated database; it does not listen. */
export function createApp(options: AppOptions): express.Express {
  const deps = createDeps(options);
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLogger(deps.logger));
  app.use(express.json({ limit: '64kb', strict: true, type: ['application/json', 'application/*+json'] }));
  app.use(requireWellFormedText);

  // Liveness: the process answers. It does not touch the database, so that it stays cheap and prompt while
  // the database is busy (an export) and a slow database never gets a healthy process restarted.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Readiness: the database answers too; a load balancer sends traffic only while this is 200.
  app.get('/readyz', async (_req, res) => {
    await sql`select 1`.execute(deps.db).catch(() => {
      throw new DomainError('not_ready', 'the database does not answer');
    });
    res.json({ status: 'ready' });
  });

  const checkpoints = checkpointRouters(deps);
  app.use(checkpoints.publicRouter);

  app.use('/v1', authenticate(createTokenVerifier(deps.config)));
  for (const router of [programsRouter, vouchersRouter, contractsRouter, redemptionsRouter, usageRouter, exportRouter, ledgerRouter]) app.use(router(deps));
  app.use(checkpoints.auditorRouter);

  app.use((req: Request) => {
    throw new DomainError('not_found', `no route for ${req.method} ${req.path}`);
  });
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // A stream (an export) that fails after its headers went out can only be cut short.
    if (res.headersSent) {
      deps.logger.warn({ err, path: req.path }, 'response aborted mid-stream');
      res.destroy();
      return;
    }
    const problem = toProblem(err, req.originalUrl);
    if (problem.status >= 500 && problem.code !== 'busy') deps.logger.error({ err, path: req.path }, 'request failed');
    if (problem.retryAfterSeconds !== undefined) res.set('Retry-After', String(problem.retryAfterSeconds));
    if (problem.status === 401) res.set('WWW-Authenticate', wwwAuthenticate(problem));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  });
  return app;
}
