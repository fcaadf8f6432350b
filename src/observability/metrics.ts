import type { Request } from 'express';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/database.js';
import type { Observer } from './observer.js';

/** The route label of a request that matched no route of the service (a 404). */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * The route pattern a request matched (`/v1/vouchers/:id`), never its raw path: the label's values are the
 * routes, so an id in the path cannot grow the series without bound. A request refused before routing (401,
 * 429) is labelled with the API route it was meant for, so that an operator sees which route is being probed.
 */
export function routeOf(req: Request): string {
  const path: unknown = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string') return `${req.baseUrl}${path}`;
  return req.res?.locals.declaredRoute?.path ?? UNMATCHED_ROUTE;
}

export interface AppMetrics {
  registry: Registry;
  observer: Observer;
  /** Records one finished HTTP request. */
  httpRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
}

/**
 * A registry of its own per app (never prom-client's global one), so that tests can build many apps.
 * `processMetrics` adds the process's CPU, memory, event-loop lag and GC series (the server does; tests do not,
 * since each collection installs observers that live as long as the process).
 */
export function createMetrics(db: Db, options: { processMetrics?: boolean } = {}): AppMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency until the response was sent, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
    registers: [registry],
  });
  new Gauge({
    name: 'voucher_ledger_head_seq',
    help: 'seq of the last ledger entry (0 for an empty ledger), read from the database at each scrape',
    registers: [registry],
    async collect() {
      const head = await db.selectFrom('ledger_head').select('seq').executeTakeFirst();
      this.set(Number(head?.seq ?? 0n));
    },
  });
  new Gauge({
    name: 'voucher_ledger_webhook_deliveries',
    help: 'webhook deliveries by status (pending, delivered, failed, cancelled), every process’s, read from the database at each scrape (decision 0044)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('webhook_deliveries')
        .select(['status', (eb) => eb.fn.countAll<bigint | number | string>().as('n')])
        .groupBy('status')
        .execute();
      const counts = new Map(rows.map((row) => [row.status, Number(row.n)]));
      for (const status of ['pending', 'delivered', 'failed', 'cancelled']) this.set({ status }, counts.get(status) ?? 0);
    },
  });
  const batches = new Histogram({
    name: 'voucher_ledger_write_batch_size',
    help: 'commands per write transaction of this process (group commit; retried transactions count again)',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  });
  const exports = new Counter({
    name: 'voucher_ledger_exports_total',
    help: 'ledger exports served, by format and outcome (completed, or aborted mid-stream)',
    labelNames: ['format', 'outcome'] as const,
    registers: [registry],
  });
  const exported = new Counter({
    name: 'voucher_ledger_exported_entries_total',
    help: 'ledger entries written by exports, by format',
    labelNames: ['format'] as const,
    registers: [registry],
  });

  return {
    registry,
    observer: {
      writeBatch: (size) => batches.observe(size),
      exportFinished: (format, outcome, entries) => {
        exports.inc({ format, outcome });
        exported.inc({ format }, entries);
      },
    },
    httpRequest: ({ method, route, status }, seconds) => {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      durations.observe(labels, seconds);
    },
  };
}
