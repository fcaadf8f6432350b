// Redemptions over HTTP against an express 5 hello-world POST, both as separate processes under the same load.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { freePort, stop, waitForHttp } from './processes.js';

export interface LoadResult {
  rate: number;
  p50: number;
  p99: number;
  requests: number;
  /** Errors, timeouts and non-2xx answers together. */
  failures: number;
  non2xx: number;
}

// The floor: express 5 parsing a JSON body of the same size and answering 201 with JSON, nothing else.
const HELLO_SERVER = `
import express from 'express';
const app = express();
app.disable('x-powered-by');
app.use(express.json({ limit: '64kb' }));
app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
app.post('/hello', (req, res) => res.status(201).json({ ok: true, invoiceNumber: req.body.invoiceNumber }));
app.listen(Number(process.argv[1]), '127.0.0.1');
`;

/**
 * `body(n)` makes the n-th request's body (autocannon's own idReplacement miscounts Content-Length). With several
 * URLs, autocannon spreads the 32 connections over them in turn, and measures them as one load.
 */
async function load(url: string | string[], body: (n: number) => string, seconds: number, headers: Record<string, string> = {}): Promise<LoadResult> {
  let n = 0;
  const result = await autocannon({
    url,
    method: 'POST',
    connections: 32,
    duration: seconds,
    headers: { 'content-type': 'application/json', ...headers },
    requests: [{ setupRequest: (request) => ({ ...request, body: body(++n) }) }],
  });
  return {
    rate: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
    non2xx: result.non2xx,
  };
}

export async function helloWorldLoad(nodeFlags: string[], body: (n: number) => string, seconds: number): Promise<LoadResult> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeFlags, '--input-type=module', '-e', HELLO_SERVER, '--', String(port)], { stdio: 'inherit' });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`);
    return await load(`http://127.0.0.1:${port}/hello`, body, seconds);
  } finally {
    await stop(child);
  }
}

/** POST /v1/redemptions, each request with a fresh invoice number; given several servers, split evenly across them. */
export async function redemptionLoad(bases: string | string[], token: string, body: (n: number) => string, seconds: number): Promise<LoadResult> {
  const urls = [bases].flat().map((base) => `${base}/v1/redemptions`);
  return load(urls.length === 1 ? urls[0]! : urls, body, seconds, { authorization: `Bearer ${token}` });
}

/** Commands and write transactions a server has run so far, from its /metrics (with METRICS_TOKEN set). */
export async function writeBatches(base: string, metricsToken: string): Promise<{ commands: number; transactions: number }> {
  const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
  const series = (name: string) => Number(new RegExp(`^voucher_ledger_write_batch_size_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { commands: series('sum'), transactions: series('count') };
}
