// GET /openapi.json: an OpenAPI 3.1 document generated from the zod schemas the routes validate with, covering
// every route express has registered (and nothing else), with its auth, parameters, bodies and problem codes;
// /docs serves Swagger UI from node_modules. Every response the integration tests see is checked against it
// (test/helpers/openapi-responses.ts); the checker's own refusals are shown here.
import { Validator } from '@seriousme/openapi-schema-validator';
import type { Express } from 'express';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/app/app.js';
import { openApiPath, problemCodesOf } from '../../src/http/openapi.js';
import { API_OPERATIONS, openApiDocument } from '../../src/app/openapi.routes.js';
import { CHINESE_PROBLEMS } from '../../src/http/problems.zh.js';
import { createLogger } from '../../src/logger.js';
import { checkResponse } from '../helpers/openapi-responses.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, TEST_SECRET, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

type Layer = { name: string; handle: { stack?: Layer[] }; route?: { path: string; methods: Record<string, boolean> } };

/** Every `METHOD /path` registered on an express app, walking its routers (all mounted at the root). */
function registeredRoutes(app: Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) for (const method of Object.keys(layer.route.methods)) found.push(`${method.toUpperCase()} ${layer.route.path}`);
      else if (layer.name === 'router' && layer.handle.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found.sort();
}

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: { name: string; in: string }[]; security?: unknown[]; responses: Record<string, { content?: Record<string, { schema: unknown }> }> }
    >
  >;
};

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document, served publicly', async () => {
    const res = await request(t.app).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    const result = await new Validator().validate(res.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents exactly the routes express has registered', () => {
    const app = createApp({
      db: t.db,
      config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: ':memory:', JWT_SECRET: TEST_SECRET }),
      logger: createLogger('silent'),
    });
    const routes = registeredRoutes(app);
    expect(routes.length).toBeGreaterThan(40);
    const documented = Object.entries((openApiDocument() as unknown as Doc).paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(
      routes.map((route) => route.replace(/^(\S+) (.*)$/, (_m, method: string, path: string) => `${method} ${openApiPath(path)}`)).sort(),
    );
  });

  it('names each operation’s roles, its Idempotency-Key on writes, its parameters and every problem code it can answer', () => {
    const doc = openApiDocument() as unknown as Doc;
    const list = doc.paths['/v1/redemptions']!['get']!;
    expect(list.parameters!.map((p) => `${p.in}:${p.name}`).sort()).toEqual([
      'query:contractId',
      'query:cursor',
      'query:limit',
      'query:programId',
      'query:providerUscc',
      'query:status',
      'query:voucherId',
    ]);
    expect(Object.keys(list.responses['200']!.content!)).toEqual(['application/json']);
    const redeem = doc.paths['/v1/redemptions']!['post']! as Doc['paths'][string][string] & { 'x-roles': string[]; description: string };
    expect(redeem['x-roles']).toEqual(['provider']);
    expect(redeem.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }));
    const conflicts = redeem.responses['409']!.content!['application/problem+json']!.schema as {
      allOf: [{ $ref: string }, { properties: { code: { enum: string[] } } }];
    };
    expect(conflicts.allOf[0].$ref).toBe('#/components/schemas/Problem');
    expect(conflicts.allOf[1].properties.code.enum).toEqual([
      'conflict',
      'contract_already_subsidized',
      'duplicate_invoice',
      'idempotency_conflict',
      'invariant_violated',
      'program_closed',
    ]);
    expect(Object.keys(redeem.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '413', '415', '422', '429', '500', '503']);
    expect(doc.paths['/livez']!['get']!.security).toEqual([]);

    for (const op of API_OPERATIONS) {
      // every code an operation lists is a code of the API, with its Chinese translation and its row in docs/api.md
      for (const code of problemCodesOf(op)) expect(CHINESE_PROBLEMS, `${op.method} ${op.path}: ${code}`).toHaveProperty(code);
      const documented = doc.paths[openApiPath(op.path)]![op.method]!;
      expect(documented.parameters?.some((p) => p.name === 'Idempotency-Key') ?? false, `${op.method} ${op.path}`).toBe(op.write === true);
    }
  });
});

describe('the response check the integration tests run', () => {
  it('refuses a body with a field the document does not have, a problem code the operation does not list, an undocumented status or content type', async () => {
    const program = await scenario(t).program();
    const body = (await t.issuer.get(`/v1/programs/${program.id}`)).body as Record<string, unknown>;
    const json = (value: unknown) => Buffer.from(JSON.stringify(value));
    expect(checkResponse('GET', `/v1/programs/${program.id}`, 200, 'application/json; charset=utf-8', json(body))).toBeUndefined();
    expect(checkResponse('GET', `/v1/programs/${program.id}`, 200, 'application/json', json({ ...body, secret: 1 }))).toMatch(/additional properties.*secret/);
    expect(checkResponse('GET', `/v1/programs/${program.id}`, 200, 'application/json', json({ ...body, budget: 100 }))).toMatch(/\/budget must be string/);
    const problem = {
      type: 'urn:voucher-ledger:problem:insufficient_budget',
      title: 'Unprocessable Content',
      status: 422,
      code: 'insufficient_budget',
      detail: 'x',
    };
    expect(checkResponse('POST', '/v1/vouchers', 422, 'application/problem+json', json(problem))).toBeUndefined();
    expect(checkResponse('POST', '/v1/contracts', 422, 'application/problem+json', json(problem))).toMatch(/code must be equal to one of the allowed values/);
    expect(checkResponse('GET', '/v1/programs', 201, 'application/json', json({}))).toMatch(/status 201 is not documented/);
    expect(checkResponse('GET', '/v1/programs', 200, 'text/html', Buffer.from('<p>'))).toMatch(/content type text\/html is not documented/);
    expect(checkResponse('GET', '/v1/nothing-here', 200, 'application/json', json({}))).toMatch(/no operation/);
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI from the service itself, its scripts allowed by the Content-Security-Policy', async () => {
    const page = await request(t.app).get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/upgrade-insecure-requests/);
    expect(csp).toMatch(/connect-src 'self'/);
    const sources = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources).toEqual(['/docs/assets/favicon-32x32.png', '/docs/assets/swagger-ui.css', '/docs/assets/swagger-ui-bundle.js', '/docs/init.js']);
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const source of sources) {
      const asset = await request(t.app).get(source);
      expect(asset.status, source).toBe(200);
    }
    expect((await request(t.app).get('/docs/init.js')).text).toContain("url: '/openapi.json'");
    expect((await request(t.app).get('/docs/assets/index.html')).body).toMatchObject({ status: 400, field: 'file' });
  });
});
