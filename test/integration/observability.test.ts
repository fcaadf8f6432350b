// What an operator sees of a running app: request ids, log levels with problem codes, Prometheus metrics,
// probes, security headers, CORS and the limit on failed authentications. Through the real app, on both engines.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDatabase, type Db } from '../../src/db/database.js';
import { createApp } from '../../src/app/app.js';
import { API_OPERATIONS } from '../../src/app/openapi.routes.js';
import { createLogger } from '../../src/logger.js';
import { fixedClock } from '../../src/shared/clock.js';
import { HANGZHOU, ZHEJIANG } from '../helpers/fixtures.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, clientFor, mintToken, TEST_SECRET, type TestApp } from '../helpers/test-app.js';
import { createTestDatabase, openTestDatabase } from '../helpers/test-database.js';

type LogLine = Record<string, unknown> & { level: number; msg: string };
const LEVEL = { info: 30, warn: 40, error: 50 } as const;

/** An app on a fresh migrated database whose log lines are kept. */
async function loggedApp(env: Record<string, string> = {}) {
  const database = await openTestDatabase();
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: ':memory:', JWT_SECRET: TEST_SECRET, ...env });
  const app = createApp({ db: database.db, config, logger: createLogger('info', sink), clock: fixedClock('2025-12-15T04:00:00Z') });
  return { app, db: database.db, lines, close: database.close };
}

const completed = (lines: LogLine[], requestId: string) =>
  lines.find((line) => line['requestId'] === requestId && /^request (completed|failed)$/.test(line.msg));

/** The value of one series in a Prometheus text exposition, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('request ids and request logs', () => {
  let t: Awaited<ReturnType<typeof loggedApp>>;
  afterAll(() => t?.close());

  it('a request id is generated, or the caller’s kept when sane, on the response and the log line', async () => {
    t = await loggedApp();
    const generated = await request(t.app).get('/livez');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(completed(t.lines, String(generated.headers['x-request-id']))).toMatchObject({ level: LEVEL.info, route: '/livez', res: { statusCode: 200 } });

    const kept = await request(t.app).get('/livez').set('X-Request-Id', 'lb-7f3a:2026/11/30+run=1');
    expect(kept.headers['x-request-id']).toBe('lb-7f3a:2026/11/30+run=1');
    expect(completed(t.lines, 'lb-7f3a:2026/11/30+run=1')).toBeDefined();

    for (const insane of ['x'.repeat(129), 'two words', 'quote"d', '']) {
      const replaced = await request(t.app).get('/livez').set('X-Request-Id', insane);
      expect(replaced.headers['x-request-id']).not.toBe(insane);
      expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('4xx are logged at warn with their problem code, 2xx at info with the caller, both with the route pattern', async () => {
    const issuer = clientFor(t.app, await mintToken({ role: 'issuer', region: HANGZHOU, sub: 'clerk-7' }));
    const missing = await issuer.get('/v1/programs/no-such-program').set('X-Request-Id', 'req-404');
    expect(missing.status).toBe(404);
    expect(completed(t.lines, 'req-404')).toMatchObject({ level: LEVEL.warn, code: 'not_found', route: '/v1/programs/:id', sub: 'clerk-7' });

    const unauthenticated = await request(t.app).get('/v1/programs/p-1').set('X-Request-Id', 'req-401');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['x-request-id']).toBe('req-401');
    // refused before routing, it is labelled with the route it was meant for; a path no route has stays unmatched
    expect(completed(t.lines, 'req-401')).toMatchObject({ level: LEVEL.warn, code: 'missing_token', route: '/v1/programs/:id' });
    await request(t.app).get('/v1/programs/awaiting-confirmation').set('X-Request-Id', 'req-401b');
    expect(completed(t.lines, 'req-401b')).toMatchObject({ code: 'missing_token', route: '/v1/programs/awaiting-confirmation' });
    await request(t.app).get('/v1/no-such-route').set('X-Request-Id', 'req-401c');
    expect(completed(t.lines, 'req-401c')).toMatchObject({ code: 'missing_token', route: '(unmatched)' });
    const metrics = (await request(t.app).get('/metrics')).text;
    expect(metrics).toMatch(/http_requests_total\{method="GET",route="\/v1\/programs\/:id",status="401"\} 1/);

    const invalid = await request(t.app)
      .post('/v1/programs')
      .set('Authorization', `Bearer ${await mintToken({ role: 'issuer', region: HANGZHOU })}`)
      .send({ name: '' })
      .set('X-Request-Id', 'req-400');
    expect(invalid.status).toBe(400);
    expect(completed(t.lines, 'req-400')).toMatchObject({ level: LEVEL.warn, code: 'validation_failed', route: '/v1/programs' });

    const created = await issuer.post('/v1/programs', { name: '杭州算力券', kind: 'compute', budget: '1000.00' }).set('X-Request-Id', 'req-201');
    expect(created.status).toBe(201);
    const line = completed(t.lines, 'req-201')!;
    expect(line).toMatchObject({
      level: LEVEL.info,
      route: '/v1/programs',
      sub: 'clerk-7',
      req: { method: 'POST', url: '/v1/programs' },
      res: { statusCode: 201 },
    });
    expect(line).not.toHaveProperty('code');
    expect(JSON.stringify(t.lines)).not.toContain('Bearer');
  });

  it('5xx are logged at error with the error; the probes say the database is gone', async () => {
    const own = await loggedApp();
    const auditor = clientFor(own.app, await mintToken({ role: 'auditor', region: ZHEJIANG }));
    await own.close();
    const failed = await auditor.get('/v1/ledger').set('X-Request-Id', 'req-500');
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ code: 'internal_error' });
    expect(completed(own.lines, 'req-500')).toMatchObject({
      level: LEVEL.error,
      code: 'internal_error',
      err: { type: expect.any(String), stack: expect.any(String) },
    });

    expect((await request(own.app).get('/livez')).status).toBe(200);
    const notReady = await request(own.app).get('/readyz').set('X-Request-Id', 'req-503');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ code: 'not_ready' });
    expect(completed(own.lines, 'req-503')).toMatchObject({ level: LEVEL.error, code: 'not_ready' });
  });
});

describe('probes', () => {
  it('/livez and /healthz answer; /readyz is ready on a migrated database and names what is missing on an unmigrated one', async () => {
    const t = await buildTestApp();
    try {
      for (const path of ['/livez', '/healthz']) expect((await request(t.app).get(path)).body).toEqual({ status: 'ok' });
      expect((await request(t.app).get('/readyz')).body).toEqual({ status: 'ready' });
    } finally {
      await t.close();
    }

    const empty = await createTestDatabase();
    const db: Db = createDatabase(empty.url);
    try {
      const app = createApp({ db, config: loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_SECRET }), logger: createLogger('silent') });
      const res = await request(app).get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ code: 'not_ready', detail: expect.stringMatching(/^migrations not applied: 0001_/) });
      expect((await request(app).get('/livez')).status).toBe(200);
    } finally {
      await db.destroy();
      await empty.drop();
    }
  });
});

describe('GET /metrics', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('counts requests and latencies by route pattern and status, never by raw path; ledger head, batches, exports', async () => {
    t = await buildTestApp();
    const s = scenario(t);
    const program = await s.program();
    await s.voucher(program.id);
    for (const id of ['p-secret-1', 'p-secret-2', 'p-secret-3']) expect((await t.issuer.get(`/v1/programs/${id}`)).status).toBe(404);
    expect((await t.issuer.get(`/v1/programs/${program.id}`)).status).toBe(200);
    const exported = await t.auditor.get('/v1/ledger/export?format=ndjson');
    expect(exported.status).toBe(200);
    const entries = exported.text.trim().split('\n').length;
    const head = Number((await t.auditor.get('/v1/ledger?limit=1000')).body.entries.at(-1).seq);

    const res = await request(t.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = res.text;
    expect(sample(text, 'http_requests_total{method="GET",route="/v1/programs/:id",status="404"}')).toBe(3);
    expect(sample(text, 'http_requests_total{method="GET",route="/v1/programs/:id",status="200"}')).toBe(1);
    expect(sample(text, 'http_requests_total{method="POST",route="/v1/programs",status="201"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="/v1/programs/:id",status="404"}')).toBe(3);
    expect(sample(text, 'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/v1/programs/:id",status="404"}')).toBe(3);
    expect(text).not.toContain('p-secret');
    expect(text).not.toContain(program.id);
    expect(sample(text, 'voucher_ledger_head_seq')).toBe(head);
    expect(head).toBeGreaterThanOrEqual(2);
    // each write went through the group committer: at least one batch per write, each of at least one command
    expect(sample(text, 'voucher_ledger_write_batch_size_count')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'voucher_ledger_write_batch_size_sum')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'voucher_ledger_exports_total{format="ndjson",outcome="completed"}')).toBe(1);
    expect(sample(text, 'voucher_ledger_exported_entries_total{format="ndjson"}')).toBe(entries);
    // no process series in tests (the server adds them), and this app's registry only
    expect(text).not.toContain('process_cpu');
  });

  it('with METRICS_TOKEN only its bearer may read it; in production without one it does not exist', async () => {
    const token = 'scrape-token-0123456789';
    const guarded = await buildTestApp({ env: { METRICS_TOKEN: token } });
    try {
      const none = await request(guarded.app).get('/metrics');
      expect(none.status).toBe(401);
      expect(none.body).toMatchObject({ code: 'missing_token' });
      const wrong = await request(guarded.app).get('/metrics').set('Authorization', `Bearer ${token}x`);
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ code: 'invalid_token' });
      // a user's JWT is not the metrics token
      expect(
        (
          await request(guarded.app)
            .get('/metrics')
            .set('Authorization', `Bearer ${await mintToken({ role: 'auditor', region: ZHEJIANG })}`)
        ).status,
      ).toBe(401);
      const right = await request(guarded.app).get('/metrics').set('Authorization', `Bearer ${token}`);
      expect(right.status).toBe(200);
      expect(right.text).toContain('http_requests_total{method="GET",route="/metrics",status="401"} 3');
    } finally {
      await guarded.close();
    }

    const keyFile = join(mkdtempSync(join(tmpdir(), 'vl-metrics-')), 'key.pem');
    writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const production = await buildTestApp({ env: { NODE_ENV: 'production', LEDGER_SIGNING_KEY: keyFile } });
    try {
      const res = await request(production.app).get('/metrics');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'not_found' });
    } finally {
      await production.close();
    }
  });
});

describe('security headers and CORS', () => {
  it('every /v1 answer is Cache-Control: no-store, problems and refusals included, but the public log’s; the JWKS may be cached for 5 minutes', async () => {
    const t = await buildTestApp({ env: { AUTH_FAILURE_LIMIT: '1' } });
    try {
      const program = (await t.issuer.post('/v1/programs', { name: '缓存', kind: 'compute', budget: '10.00' })).body as { id: string };
      expect(program.id).toBeDefined();
      const [issuer, auditor] = [await mintToken({ role: 'issuer', region: HANGZHOU }), await mintToken({ role: 'auditor', region: ZHEJIANG })];
      const v1 = API_OPERATIONS.filter((op) => op.path.startsWith('/v1/'));
      expect(v1.length).toBeGreaterThan(30);
      const missing: string[] = [];
      for (const op of v1) {
        const path = op.path.replace(/:[A-Za-z0-9_]+/g, program.id);
        for (const token of [undefined, issuer, auditor]) {
          const req = request(t.app)[op.method](path);
          const res = await (token ? req.set('Authorization', `Bearer ${token}`) : req).send(op.method === 'get' ? undefined : {});
          // The public log's answers carry hashes, sizes and signatures only and may be cached (decision 0045); its problems may not.
          const cacheable = op.tag === 'Transparency' && op.access === 'public' && res.status === 200;
          const expected = cacheable ? /^public, max-age=\d+$/ : /^no-store$/;
          if (!expected.test(res.headers['cache-control'] ?? ''))
            missing.push(`${op.method.toUpperCase()} ${path} → ${res.status} ${res.headers['cache-control']}`);
        }
      }
      expect(missing).toEqual([]);
      // after a failure the address is limited: the 429 is no-store too
      const limited = await request(t.app).get('/v1/ledger').set('Authorization', 'Bearer x.y.z');
      expect(limited.status).toBe(429);
      expect(limited.headers['cache-control']).toBe('no-store');
      expect((await request(t.app).get('/.well-known/jwks.json')).headers['cache-control']).toBe('public, max-age=300');
      expect((await request(t.app).get('/openapi.json')).headers['cache-control']).toBe('no-cache');
    } finally {
      await t.close();
    }
  });

  it('helmet’s headers on every response; no CORS unless CORS_ORIGINS lists the origin', async () => {
    const t = await buildTestApp();
    try {
      for (const res of [await request(t.app).get('/livez'), await t.issuer.get('/v1/programs/none')]) {
        expect(res.headers).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'SAMEORIGIN',
          'strict-transport-security': expect.any(String),
        });
        expect(res.headers['content-security-policy']).toContain("default-src 'self'");
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
      const cross = await request(t.app).get('/livez').set('Origin', 'https://portal.example.gov.cn');
      expect(cross.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await request(t.app)
        .options('/v1/programs')
        .set('Origin', 'https://portal.example.gov.cn')
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.status).toBe(401); // not answered as a preflight: it meets the authentication of /v1
    } finally {
      await t.close();
    }
  });

  it('with CORS_ORIGINS: a listed origin is allowed (preflight 204), another is not', async () => {
    const t = await buildTestApp({ env: { CORS_ORIGINS: 'https://portal.example.gov.cn, http://localhost:5173' } });
    try {
      const preflight = await request(t.app)
        .options('/v1/programs')
        .set('Origin', 'http://localhost:5173')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization, content-type, idempotency-key');
      expect(preflight.status).toBe(204);
      expect(preflight.headers).toMatchObject({
        'access-control-allow-origin': 'http://localhost:5173',
        'access-control-allow-methods': 'GET, POST',
        vary: expect.stringContaining('Origin'),
      });
      expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization.*Content-Type.*Idempotency-Key/);
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();

      const get = await t.issuer.get('/v1/programs/none').set('Origin', 'https://portal.example.gov.cn');
      expect(get.headers['access-control-allow-origin']).toBe('https://portal.example.gov.cn');
      expect(get.headers['access-control-expose-headers']).toContain('X-Request-Id');

      const other = await request(t.app).options('/v1/programs').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      expect(other.status).toBe(401);
    } finally {
      await t.close();
    }
    expect(() => loadConfig({ CORS_ORIGINS: 'https://portal.example.gov.cn/path' })).toThrow(
      /CORS_ORIGINS: https:\/\/portal.example.gov.cn\/path is not an origin/,
    );
    expect(loadConfig({ CORS_ORIGINS: '*' }).CORS_ORIGINS).toEqual(['*']);
    expect(loadConfig({}).CORS_ORIGINS).toBeUndefined();
  });

  it('the settings are validated like the others: a bad one stops the start naming it', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: METRICS_TOKEN must be 16–256 visible ASCII characters/);
    expect(() => loadConfig({ METRICS_TOKEN: 'sixteen chars with spaces' })).toThrow(/METRICS_TOKEN/);
    expect(() => loadConfig({ AUTH_FAILURE_LIMIT: '-1' })).toThrow(/AUTH_FAILURE_LIMIT/);
    expect(() => loadConfig({ AUTH_FAILURE_WINDOW_SECONDS: '0' })).toThrow(/AUTH_FAILURE_WINDOW_SECONDS/);
    expect(() => loadConfig({ TRUST_PROXY_HOPS: 'yes' })).toThrow(/TRUST_PROXY_HOPS/);
    expect(loadConfig({})).toMatchObject({ AUTH_FAILURE_LIMIT: 20, AUTH_FAILURE_WINDOW_SECONDS: 60, TRUST_PROXY_HOPS: 0 });
    expect(loadConfig({}).METRICS_TOKEN).toBeUndefined();
  });
});

describe('failed authentications are limited per client address', () => {
  it('after AUTH_FAILURE_LIMIT 401s the address gets 429 with Retry-After for what fails, while valid tokens are still served', async () => {
    const t = await buildTestApp({ env: { AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_SECONDS: '120', METRICS_TOKEN: 'metrics-token-0123456789' } });
    try {
      // many successes at once do not count: only answered 401s do
      const burst = await Promise.all(Array.from({ length: 12 }, () => t.auditor.get('/v1/ledger?limit=1')));
      expect(burst.map((res) => res.status)).toEqual(Array(12).fill(200));
      const fail = () => request(t.app).get('/v1/ledger').set('Authorization', 'Bearer not.a.jwt');
      for (let i = 0; i < 2; i++) expect((await fail()).status).toBe(401);
      expect((await t.auditor.get('/v1/ledger?limit=1')).status).toBe(200);
      expect((await fail()).status).toBe(401);
      // the address has failed 3 times: a bad token, no token, or a token signed with another key is refused
      // before its body is read...
      const blocked = await fail();
      expect(blocked.status).toBe(429);
      expect(blocked.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(blocked.body).toMatchObject({ status: 429, code: 'too_many_auth_failures', title: 'Too Many Requests' });
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(100);
      expect(retryAfter).toBeLessThanOrEqual(120);
      expect((await request(t.app).post('/v1/programs').send({ name: 'x' })).status).toBe(429);
      const forged = await mintToken({ role: 'issuer', region: '330100' }, 'another-secret-that-is-at-least-32-bytes');
      expect((await request(t.app).get('/v1/ledger').set('Authorization', `Bearer ${forged}`)).status).toBe(429);
      expect((await request(t.app).get('/metrics').set('Authorization', 'Bearer wrong-metrics-token-000')).status).toBe(429);
      // ...while colleagues behind the same address carry on: every valid token, writes included, and the metrics token
      expect((await t.auditor.get('/v1/ledger?limit=1')).status).toBe(200);
      expect((await t.issuer.post('/v1/programs', { name: '办公室同事的项目', kind: 'compute', budget: '100.00' })).status).toBe(201);
      expect((await request(t.app).get('/metrics').set('Authorization', 'Bearer metrics-token-0123456789')).status).toBe(200);
      // the probes stay reachable from the same address
      expect((await request(t.app).get('/readyz')).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('behind TRUST_PROXY_HOPS proxies each forwarded client has its own count; 0 turns the limit off', async () => {
    const t = await buildTestApp({ env: { AUTH_FAILURE_LIMIT: '2', TRUST_PROXY_HOPS: '1' } });
    try {
      const from = (ip: string) => request(t.app).get('/v1/ledger').set('X-Forwarded-For', ip);
      for (let i = 0; i < 2; i++) expect((await from('203.0.113.7')).status).toBe(401);
      expect((await from('203.0.113.7')).status).toBe(429);
      expect((await from('198.51.100.20')).status).toBe(401);
    } finally {
      await t.close();
    }
    const off = await buildTestApp({ env: { AUTH_FAILURE_LIMIT: '0' } });
    try {
      for (let i = 0; i < 30; i++) expect((await request(off.app).get('/v1/ledger')).status).toBe(401);
    } finally {
      await off.close();
    }
  });
});
