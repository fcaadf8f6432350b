// A local webhook receiver (node:http on 127.0.0.1, a port of its own) and a dispatcher on a test app's database
// and clock, so that tests deliver by calling deliverDue after moving the clock, and never sleep.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createWebhookDispatcher } from '../../src/webhooks/webhooks.delivery.js';
import { TEST_SECRET, type TestApp } from './test-app.js';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url(path?: string): string;
  received: Received[];
  /**
   * What it answers from now on: a status; `hold` (the request is kept open until `release`); or `endless`, a 200
   * status line and a body that never ends.
   */
  answer(mode: number | 'hold' | 'endless'): void;
  /** Answers every held request with `status`. */
  release(status?: number): void;
  /** Resolves when a request arrives that is held. */
  held(): Promise<void>;
  /** Resolves once `count` requests have arrived in all. */
  arrived(count: number): Promise<void>;
  /** Held requests whose connection the sender has not closed. */
  open(): number;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  let mode: number | 'hold' | 'endless' = 204;
  const holding: ServerResponse[] = [];
  let onHeld: (() => void) | undefined;
  const waiting: { count: number; resolve: () => void }[] = [];
  let open = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      for (const waiter of waiting.filter((w) => received.length >= w.count)) waiter.resolve();
      if (mode === 'endless') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('still writing');
        holding.push(res);
        return;
      }
      if (mode === 'hold') {
        holding.push(res);
        open += 1;
        res.on('close', () => (open -= 1));
        onHeld?.();
        return;
      }
      res.writeHead(mode, { 'content-type': 'text/plain' }).end(mode >= 300 ? 'receiver unavailable' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    answer: (next) => (mode = next),
    release(status = 204) {
      for (const res of holding.splice(0)) if (!res.destroyed) (res.headersSent ? res : res.writeHead(status)).end();
    },
    held: () => new Promise<void>((resolve) => (onHeld = resolve)),
    arrived: (count) => new Promise<void>((resolve) => (received.length >= count ? resolve() : waiting.push({ count, resolve }))),
    open: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of holding.splice(0)) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The payload of a received request, once its Standard Webhooks signature verifies with `secret`; `now` is the
 * instant the receiver believes it is (the test's clock: the package checks the timestamp against it).
 */
export function verified(request: Received, secret: string, now: Date): { type: string; timestamp: string; data: Record<string, any> } {
  const realNow = Date.now;
  Date.now = () => now.getTime();
  try {
    return new Webhook(secret).verify(request.body, request.headers as Record<string, string>) as {
      type: string;
      timestamp: string;
      data: Record<string, any>;
    };
  } finally {
    Date.now = realNow;
  }
}

/** A dispatcher on the test app's database and clock, with the test configuration and `env` over it. */
export function dispatcherFor(t: TestApp, env: Record<string, string> = {}) {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: ':memory:', JWT_SECRET: TEST_SECRET, WEBHOOK_TIMEOUT_MS: '5000', ...env });
  return createWebhookDispatcher({ db: t.db, clock: t.clock, config, logger: createLogger('silent') });
}
