// Thousands of malformed requests across every endpoint: none may be answered 5xx, and together they must
// leave the database exactly as it was. Seeded, so that a failure replays.
import fc from 'fast-check';
import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_OPERATIONS } from '../../src/app/openapi.routes.js';
import { MAX_NESTING_DEPTH } from '../../src/http/well-formed.js';
import { ENTERPRISE } from '../helpers/fixtures.js';
import { snapshot } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, mintToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let ids: Record<string, string>;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  t = await buildTestApp();
  const s = scenario(t);
  const { program, voucher, contract } = await s.ready();
  const redemption = (await s.redeem(voucher.id, contract.id, '1000.00')).body as { id: string };
  ids = { program: program.id, voucher: voucher.id, contract: contract.id, redemption: redemption.id };
  await t.auditor.get('/v1/ledger/checkpoint'); // the head's checkpoint is stored once, before the snapshot
  for (const claims of [
    { role: 'issuer', region: '330100' },
    { role: 'provider', org: contract.providerUscc! },
    { role: 'auditor', region: '330000' },
  ])
    tokens[claims.role] = await mintToken(claims);
});
afterAll(() => t.close());

interface Endpoint {
  method: 'get' | 'post';
  path: (id: string) => string;
  role: string;
  body?: () => Record<string, unknown>;
}

const ENDPOINTS: Endpoint[] = [
  { method: 'post', path: () => '/v1/programs', role: 'issuer', body: () => ({ name: 'p', kind: 'compute', budget: '1.00' }) },
  { method: 'get', path: (id) => `/v1/programs/${id}`, role: 'issuer' },
  { method: 'get', path: (id) => `/v1/programs/${id}/balances`, role: 'issuer' },
  {
    method: 'post',
    path: () => '/v1/vouchers',
    role: 'issuer',
    body: () => ({ programId: ids['program'], beneficiary: { uscc: ENTERPRISE, name: 'a' }, amount: '1.00', expiresOn: '2027-12-31' }),
  },
  { method: 'get', path: (id) => `/v1/vouchers/${id}`, role: 'auditor' },
  { method: 'post', path: (id) => `/v1/vouchers/${id}/revoke`, role: 'issuer', body: () => ({ reason: 'r' }) },
  { method: 'post', path: () => '/v1/vouchers/expiry-sweep', role: 'issuer' },
  {
    method: 'post',
    path: () => '/v1/contracts',
    role: 'provider',
    body: () => ({ number: 'HT-F', beneficiaryUscc: ENTERPRISE, kind: 'compute', autonomous: true, amount: '10.00', signedOn: '2025-06-01' }),
  },
  { method: 'get', path: (id) => `/v1/contracts/${id}`, role: 'provider' },
  {
    method: 'post',
    path: () => '/v1/redemptions',
    role: 'provider',
    body: () => ({ voucherId: ids['voucher'], contractId: ids['contract'], executedAmount: '1.00', executedOn: '2025-12-01', invoiceNumber: 'INV-F' }),
  },
  { method: 'post', path: (id) => `/v1/redemptions/${id}/reversals`, role: 'provider', body: () => ({ executedAmount: '1.00', reason: 'r' }) },
  { method: 'get', path: (id) => `/v1/beneficiaries/${id}/usage`, role: 'auditor' },
  { method: 'get', path: () => '/v1/ledger', role: 'auditor' },
  { method: 'get', path: () => '/v1/ledger/export', role: 'auditor' },
  { method: 'get', path: () => '/v1/ledger/checkpoint', role: 'auditor' },
  { method: 'get', path: (id) => `/v1/ledger/checkpoints/${id}`, role: 'auditor' },
];

// Values no field accepts where a valid one stood: wrong types, lone surrogates, NUL, empty or oversized text;
// and for amounts, numbers that are not yuan.
const invalidValue = fc.oneof(
  fc.constantFrom<unknown>(null, 0, -1, 1e308, '', ' ', '\ud800', 'a\udc00b', 'a\u0000b', 'x'.repeat(70_000)),
  fc.integer(),
  fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
);
const invalidAmount = fc.oneof(invalidValue, fc.constantFrom('-1.00', '1.001', '1e3', '0x10', '９９', 'NaN', '99999999999999.00', '0.00'));
const invalidFor = (field: string) => (/amount|budget/i.test(field) ? invalidAmount : invalidValue);
const badPathSegment = fc.constantFrom('%', '%ZZ', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '..', '%00', 'x'.repeat(300), '%F0%9F%98', '\u00e9');
const badQuery = fc.constantFrom(
  '?limit=0',
  '?limit=abc',
  '?afterSeq=-1',
  '?format=xml',
  '?fromSeq=1&fromSeq=2',
  '?region=%ZZ',
  '?year=20x5',
  '?limit[a]=1',
  '?%=%',
  '?from=2025-13-45',
);
const garbage = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.from(bytes));

type Malformed = { endpoint: Endpoint; build: (req: request.Test) => request.Test; path?: string };

const malformed: fc.Arbitrary<Malformed> = fc.constantFrom(...ENDPOINTS).chain((endpoint) => {
  const withBody = endpoint.body
    ? [
        // one field of a valid body made invalid
        fc
          .constantFrom(...Object.keys(endpoint.body()))
          .chain((field) => invalidFor(field).map((value) => (req: request.Test) => req.send({ ...endpoint.body!(), [field]: value } as object))),
        // a valid body with a field no schema knows
        fc.string({ minLength: 1, maxLength: 8 }).map((key) => (req: request.Test) => req.send({ ...endpoint.body!(), [`x_${key}`]: 1 })),
        // not JSON, or JSON of the wrong shape
        fc
          .constantFrom('{', '{"a":', '[]', 'null', '"text"', '{"name":"\\ud800"}', '\ufeff{}', '{"__proto__":{"x":1}}')
          .map((text) => (req: request.Test) => req.set('Content-Type', 'application/json').send(text)),
        // a body that does not decode as its Content-Encoding says, or an encoding nobody supports
        fc.tuple(fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'identity, gzip'), garbage).map(
          ([encoding, bytes]) =>
            (req: request.Test) =>
              req.set('Content-Type', 'application/json').set('Content-Encoding', encoding).send(bytes),
        ),
        // gzip of something that is not JSON
        garbage.map((bytes) => (req: request.Test) => req.set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send(gzipSync(bytes))),
        // another media type
        fc
          .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1')
          .map((type) => (req: request.Test) => req.set('Content-Type', type).send('name=a')),
      ]
    : [];
  return fc.oneof(
    ...withBody.map((arb) => arb.map((build) => ({ endpoint, build }))),
    // a path segment that is not valid percent-encoding (or NUL, or too long), where the id goes or appended
    badPathSegment.map((segment) => {
      const withId = endpoint.path(segment);
      const path = withId.includes(segment) ? withId : `${withId}/${segment}`;
      return { endpoint, path, build: (req: request.Test) => (endpoint.body ? req.send(endpoint.body()) : req) };
    }),
    badQuery.map((query) => ({ endpoint, path: endpoint.path('x') + query, build: (req: request.Test) => req })),
    fc
      .constantFrom('x'.repeat(256), 'key with space', '')
      .map((key) => ({ endpoint, build: (req: request.Test) => req.set('Idempotency-Key', key).send(endpoint.body?.() ?? {}) })),
  );
});

describe('malformed requests', () => {
  it('2,400 of them across every endpoint: never a 5xx, and the database is exactly as it was', async () => {
    const before = await snapshot(t.db);
    const cases = fc.sample(malformed, { seed: 20261130, numRuns: 2_400 });
    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    for (const c of cases) {
      const path = c.path ?? c.endpoint.path(ids[c.endpoint.path('').split('/')[2]?.replace(/s$/, '') ?? ''] ?? 'x');
      const req = request(t.app)[c.endpoint.method](path).set('Authorization', `Bearer ${tokens[c.endpoint.role]}`);
      const res = await c.build(req);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status >= 500) serverErrors.push(`${c.endpoint.method.toUpperCase()} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
      if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(serverErrors.slice(0, 5)).toEqual([]);
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true);
    expect(cases.length).toBeGreaterThanOrEqual(2_000);
    const after = await snapshot(t.db);
    if (after !== before) {
      const [b, a] = [JSON.parse(before), JSON.parse(after)] as Record<string, string[]>[];
      for (const table of Object.keys(a!))
        if (JSON.stringify(a![table]) !== JSON.stringify(b![table]))
          console.log('DIFF', table, a![table]!.filter((row) => !b![table]!.includes(row)).slice(0, 3));
    }
    expect(after).toBe(before);
  }, 120_000);

  it('names the cause of each: undecodable body 400, unsupported encoding 415, bad percent-encoding 400, lone surrogate 400 on its field', async () => {
    const post = () => request(t.app).post('/v1/programs').set('Authorization', `Bearer ${tokens['issuer']}`).set('Content-Type', 'application/json');
    for (const encoding of ['gzip', 'deflate', 'br'])
      expect((await post().set('Content-Encoding', encoding).send(Buffer.from('not compressed'))).body).toMatchObject({
        status: 400,
        code: 'malformed_body',
        field: 'body',
      });
    expect((await post().set('Content-Encoding', 'compress').send('{}')).body).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    for (const id of ['%E0%A4%A', '%', '%ZZ'])
      expect((await t.issuer.get(`/v1/vouchers/${id}`)).body).toMatchObject({ status: 400, code: 'malformed_path', field: 'path' });
    expect((await post().send('{"name":"\\ud800","kind":"model","budget":"1.00"}')).body).toMatchObject({
      status: 400,
      code: 'validation_failed',
      field: 'name',
    });
    expect((await post().send('{"name":"a","kind":"model","budget":"1.00","limits":{"model":{"rate":"0.1\\udc00"}}}')).body).toMatchObject({
      status: 400,
      field: 'limits.model.rate',
    });
    expect((await post().send('{"name":"a\\u0000b","kind":"model","budget":"1.00"}')).body).toMatchObject({ status: 400, field: 'name' });
    expect((await t.auditor.get('/v1/ledger/export?programId=%00')).body).toMatchObject({ status: 400, field: 'programId' });
    expect((await t.issuer.get('/v1/vouchers/%00')).body).toMatchObject({ status: 400, code: 'malformed_path' });
    expect((await post().send('{"name":"杭州 😀\\n第二行","kind":"model","budget":"1.00"}')).status).toBe(201);
  });
});

// Shapes of body that no schema asks for but JSON allows: nested thousands of levels deep, thousands of items
// wide, or past the 64 KB limit. Sent to every route the OpenAPI document lists, with a token and without.
const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const deepObject = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
// `refused`: answered 4xx on every route; otherwise a GET that reads no body may serve it, but never a 5xx (the
// console's pages, which answer 503 in a checkout whose console is not built, are left out of those).
const BODY_SHAPES: { name: string; text: string; refused: boolean }[] = [
  { name: 'arrays 5,000 deep (10 KB)', text: deep(5_000), refused: true },
  { name: 'arrays 8,000 deep', text: deep(8_000), refused: true },
  { name: 'objects 3,000 deep', text: deepObject(3_000), refused: true },
  { name: `objects ${MAX_NESTING_DEPTH + 1} deep`, text: deepObject(MAX_NESTING_DEPTH + 1), refused: true },
  { name: 'an array 30,000 wide', text: `[${Array(30_000).fill('0').join(',')}]`, refused: false },
  { name: 'an object 5,000 keys wide', text: `{${Array.from({ length: 5_000 }, (_, i) => `"k${i}":1`).join(',')}}`, refused: false },
  { name: 'a 70 KB string', text: JSON.stringify({ name: 'x'.repeat(70_000) }), refused: true },
];

describe('bodies deep, wide and large, on every route', () => {
  it('are refused 4xx as problems, never 5xx, with or without a token, and change nothing', async () => {
    const samplePath = (path: string) => path.replace(/\{\*?[A-Za-z0-9_]+\}|:[A-Za-z0-9_]+/g, ids['program']!);
    // GET /console only redirects to /console/, which is listed itself.
    const routes = API_OPERATIONS.filter((op) => op.path !== '/console').map((op) => ({ method: op.method, path: samplePath(op.path) }));
    const before = await snapshot(t.db);
    const refused: string[] = [];
    for (const route of [...routes, { method: 'post' as const, path: '/livez' }])
      for (const shape of BODY_SHAPES.filter((shape) => shape.refused || !route.path.startsWith('/console')))
        for (const token of [undefined, tokens['issuer']]) {
          const req = request(t.app)[route.method](route.path).set('Content-Type', 'application/json');
          if (token) req.set('Authorization', `Bearer ${token}`);
          const res = await req.send(shape.text);
          const problem = res.status >= 400 && res.status < 500 && String(res.headers['content-type']).startsWith('application/problem+json');
          if (res.status >= 500 || (shape.refused && !problem) || (route.method !== 'get' && !problem))
            refused.push(`${route.method.toUpperCase()} ${route.path} ${shape.name} ${token ? 'with' : 'without'} a token → ${res.status}`);
        }
    expect(refused.slice(0, 5)).toEqual([]);
    expect(routes.length).toBeGreaterThan(40);
    expect(await snapshot(t.db)).toBe(before);
  }, 120_000);

  it('names the cause: nesting past the cap is a validation failure on the deepest field it reached', async () => {
    const post = () => request(t.app).post('/v1/programs').set('Authorization', `Bearer ${tokens['issuer']}`).set('Content-Type', 'application/json');
    const tooDeep = await post().send(deep(8_000));
    expect(tooDeep.body).toMatchObject({
      status: 400,
      code: 'validation_failed',
      errors: [{ field: Array(MAX_NESTING_DEPTH).fill('0').join('.'), message: `is nested more than ${MAX_NESTING_DEPTH} levels deep` }],
    });
    // Before authentication too: a stranger's deep body is refused as cheaply, without a stack trace.
    expect((await request(t.app).post('/livez').set('Content-Type', 'application/json').send(deep(5_000))).body).toMatchObject({
      status: 400,
      code: 'validation_failed',
    });
    // One level within the cap reaches the route's own schema, which names the body's shape.
    const withinCap = await post().send(JSON.stringify({ name: 'p', kind: 'compute', budget: '1.00', limits: JSON.parse(deepObject(MAX_NESTING_DEPTH - 2)) }));
    expect(withinCap.status).toBe(400);
    expect(withinCap.body.errors[0].message).not.toMatch(/nested/);
    const large = await post().send(JSON.stringify({ name: 'x'.repeat(70_000) }));
    expect(large.body).toMatchObject({ status: 413, code: 'payload_too_large' });
  });
});
