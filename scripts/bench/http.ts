// Redemptions over HTTP against an express 5 hello-world POST, both as separate processes under the same load.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { freePort, stop, waitForHttp } from './processes.js';

export interface LoadResult {
  rate: number;
  p50: number;
  p99: number;
  requests: number;
  failures: number;
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

/** `body(n)` makes the n-th request's body (autocannon's own idReplacement miscounts Content-Length). */
async function load(url: string, body: (n: number) => string, seconds: number, headers: Record<string, string> = {}): Promise<LoadResult> {
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

/** POST /v1/redemptions, each request with a fresh invoice number. */
export async function redemptionLoad(base: string, token: string, body: (n: number) => string, seconds: number): Promise<LoadResult> {
  return load(`${base}/v1/redemptions`, body, seconds, { authorization: `Bearer ${token}` });
}
