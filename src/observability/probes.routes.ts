import { timingSafeEqual } from 'node:crypto';
import { type Request, type Response, Router } from 'express';
import { pendingMigrations } from '../db/database.js';
import type { Deps } from '../deps.js';
import { ledgerHeadMismatch } from '../ledger/ledger.head.js';
import { DomainError } from '../shared/errors.js';
import type { AppMetrics } from './metrics.js';

const sameSecret = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The bearer credential sent to /metrics, if any. */
const sentMetricsToken = (req: Request) => /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];

/** Whether the request carries METRICS_TOKEN (the auth-failure limit lets such a request through). */
export const carriesMetricsToken =
  (config: Deps['config']) =>
  async (req: Request): Promise<boolean> => {
    const sent = sentMetricsToken(req);
    return config.METRICS_TOKEN !== undefined && sent !== undefined && sameSecret(sent, config.METRICS_TOKEN);
  };

/**
 * Who may read /metrics (decision 0021): with METRICS_TOKEN set, a caller sending it as a bearer token; without
 * it, anyone outside production, and no one in production (404, as if the route did not exist).
 */
function authorizeMetrics(deps: Deps, req: Request): void {
  const token = deps.config.METRICS_TOKEN;
  if (token === undefined) {
    if (deps.config.NODE_ENV === 'production') throw new DomainError('not_found', `no route for ${req.method} ${req.path}`);
    return;
  }
  const sent = sentMetricsToken(req);
  if (sent === undefined) throw new DomainError('missing_token', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
  if (!sameSecret(sent, token)) throw new DomainError('invalid_token', 'this is not the metrics token');
}

/** Liveness, readiness and metrics: unauthenticated by JWT, for process managers, load balancers and Prometheus. */
export function probesRouter(deps: Deps, metrics: AppMetrics): Router {
  // Liveness: the process answers. It does not touch the database, so that it stays cheap and prompt while
  // the database is busy (an export) and a slow database never gets a healthy process restarted.
  const live = (_req: Request, res: Response) => {
    res.json({ status: 'ok' });
  };
  // Once every migration of this code is applied it stays applied: afterwards readiness only asks the
  // database to answer.
  let migrated = false;
  return (
    Router()
      .get('/livez', live)
      .get('/healthz', live)
      // Readiness: migrated, the database answers, and its head is the last entry; a load balancer sends traffic
      // only while this is 200.
      .get('/readyz', async (_req, res) => {
        if (!migrated) {
          const pending = await pendingMigrations(deps.db).catch(() => {
            throw new DomainError('not_ready', 'the database does not answer');
          });
          if (pending.length > 0) throw new DomainError('not_ready', `migrations not applied: ${pending.join(', ')}`);
          migrated = true;
        }
        // Also the database's answer: two reads by key, cheap enough for every probe.
        const mismatch = await ledgerHeadMismatch(deps.db).catch(() => {
          throw new DomainError('not_ready', 'the database does not answer');
        });
        // A server that wrote on would chain new entries to a head that is not the chain's end.
        if (mismatch) throw new DomainError('not_ready', `${mismatch}; run npm run verify on this database`);
        res.json({ status: 'ready' });
      })
      .get('/metrics', async (req, res) => {
        authorizeMetrics(deps, req);
        const body = await metrics.registry.metrics();
        res.set('Content-Type', metrics.registry.contentType).set('Cache-Control', 'no-store').send(body);
      })
  );
}
