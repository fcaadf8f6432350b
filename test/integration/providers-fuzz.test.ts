// Malformed requests to the provider register, in the manner of fuzz.test.ts: none may be answered 5xx, and
// together they must leave the database exactly as it was. Seeded, so that a failure replays.
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER } from '../helpers/fixtures.js';
import { snapshot } from '../helpers/ledger-checks.js';
import { buildTestApp, mintToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  t = await buildTestApp();
  for (const claims of [
    { role: 'issuer', region: '330100' },
    { role: 'provider', org: PROVIDER },
    { role: 'auditor', region: '330000' },
  ])
    tokens[claims.role] = await mintToken(claims);
  const registered = await request(t.app)
    .post('/v1/providers')
    .set('Authorization', `Bearer ${tokens['issuer']}`)
    .send({ uscc: PROVIDER, ...registration() });
  expect(registered.status).toBe(201);
});
afterAll(() => t.close());

const registration = () => ({
  name: '杭州云算科技有限公司',
  bankAccount: { bankName: '中国工商银行杭州分行', accountName: '杭州云算科技有限公司', accountNumber: '1202020109900012345' },
  services: [
    { code: 'GPU-A', name: '国产智算', kind: 'compute', autonomous: true },
    { code: 'CORPUS-1', name: '语料', kind: 'corpus' },
  ],
});

interface Endpoint {
  method: 'get' | 'post' | 'put';
  path: (uscc: string) => string;
  role: string;
  body?: () => Record<string, unknown>;
  /** The endpoint reads a query (others ignore one, as every GET by id in the service does). */
  query?: true;
}

const ENDPOINTS: Endpoint[] = [
  // A new provider's registration: valid as it stands, so each case below spoils one part of it.
  { method: 'post', path: () => '/v1/providers', role: 'issuer', body: () => ({ uscc: '91330100000000002A', ...registration() }) },
  // The registration as it is: a PUT of it changes nothing.
  { method: 'put', path: (uscc) => `/v1/providers/${uscc}`, role: 'issuer', body: registration },
  { method: 'post', path: (uscc) => `/v1/providers/${uscc}/suspend`, role: 'issuer', body: () => ({ reason: 'r' }) },
  { method: 'post', path: (uscc) => `/v1/providers/${uscc}/reinstate`, role: 'issuer', body: () => ({ reason: 'r' }) },
  { method: 'get', path: (uscc) => `/v1/providers/${uscc}`, role: 'provider' },
  { method: 'get', path: (uscc) => `/v1/providers/${uscc}/history`, role: 'auditor', query: true },
  { method: 'get', path: () => '/v1/providers', role: 'auditor', query: true },
];

/** Where a value can be spoilt (top-level fields, those of the bank account and of the first service), with values only that field refuses. */
const FIELD_PATHS: [string[], unknown[]][] = [
  [['uscc'], ['91330100000000001X', '91330100000000001c']],
  [['name'], []],
  [['reason'], []],
  [['bankAccount'], ['1202020109900012345']],
  [['services'], [[]]],
  [['bankAccount', 'bankName'], []],
  [['bankAccount', 'accountName'], []],
  [
    ['bankAccount', 'accountNumber'],
    ['1202 0201 0990 0012', '1234567', '1'.repeat(33), '１２０２０２０１０９'],
  ],
  [
    ['services', '0', 'code'],
    ['GPU A', '-GPU', 'x'.repeat(65)],
  ],
  [['services', '0', 'name'], []],
  [
    ['services', '0', 'kind'],
    ['data', 'Compute'],
  ],
  [
    ['services', '0', 'autonomous'],
    ['true', 1],
  ],
];

// Values no field accepts: wrong types, lone surrogates, NUL, empty or oversized text.
const invalidValue = fc.oneof(
  fc.constantFrom<unknown>(null, 0, -1, 1e308, '', ' ', '\ud800', 'a\udc00b', 'a\u0000b', 'x'.repeat(70_000), {}),
  fc.integer(),
  fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
);
const invalidAt = ([, own]: [string[], unknown[]]) => (own.length > 0 ? fc.oneof(invalidValue, fc.constantFrom(...own)) : invalidValue);

function spoilt(body: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> | undefined {
  const copy = structuredClone(body);
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) return undefined;
    node = node[key] as Record<string, unknown>;
  }
  if (!(path.at(-1)! in node)) return undefined;
  node[path.at(-1)!] = value;
  return copy;
}

type Malformed = { endpoint: Endpoint; path: string; build: (req: request.Test) => request.Test };

const badPathSegment = fc.constantFrom('%', '%ZZ', '%C0%AF', '%ED%A0%80', '..', '%00', 'x'.repeat(300), '91330100000000001X', '\u00e9');
const badQuery = fc.constantFrom('?region=3301', '?region=%ZZ', '?region[a]=1', '?status=gone', '?region=330100&region=330200', '?limit=1', '?%=%');

const malformed: fc.Arbitrary<Malformed> = fc.constantFrom(...ENDPOINTS).chain((endpoint) => {
  const path = endpoint.path(PROVIDER);
  const withBody = endpoint.body
    ? [
        fc
          .constantFrom(...FIELD_PATHS)
          .chain((field) => invalidAt(field).map((value) => spoilt(endpoint.body!(), field[0], value)))
          .filter((body): body is Record<string, unknown> => body !== undefined)
          .map((body) => (req: request.Test) => req.send(body)),
        fc.string({ minLength: 1, maxLength: 8 }).map((key) => (req: request.Test) => req.send({ ...endpoint.body!(), [`x_${key}`]: 1 })),
        fc
          .constantFrom('{', '[]', 'null', '"text"', '{"name":"\\ud800"}', '{"__proto__":{"x":1}}')
          .map((text) => (req: request.Test) => req.set('Content-Type', 'application/json').send(text)),
        fc.constantFrom('x'.repeat(256), 'key with space', '').map((key) => (req: request.Test) => req.set('Idempotency-Key', key).send(endpoint.body!())),
      ]
    : [];
  return fc.oneof(
    ...withBody.map((arb) => arb.map((build) => ({ endpoint, path, build }))),
    badPathSegment.map((segment) => {
      const withSegment = endpoint.path(segment);
      return {
        endpoint,
        path: withSegment.includes(segment) ? withSegment : `${withSegment}/${segment}`,
        build: (req: request.Test) => (endpoint.body ? req.send(endpoint.body()) : req),
      };
    }),
    ...(endpoint.query ? [badQuery.map((query) => ({ endpoint, path: path + query, build: (req: request.Test) => req }))] : []),
  );
});

describe('malformed requests to the provider register', () => {
  it('600 of them: never a 5xx, always a problem document, and the database is exactly as it was', async () => {
    const before = await snapshot(t.db);
    const cases = fc.sample(malformed, { seed: 20261130, numRuns: 600 });
    const serverErrors: string[] = [];
    const statuses = new Set<number>();
    for (const c of cases) {
      const res = await c.build(request(t.app)[c.endpoint.method](c.path).set('Authorization', `Bearer ${tokens[c.endpoint.role]}`));
      statuses.add(res.status);
      if (res.status >= 500) serverErrors.push(`${c.endpoint.method.toUpperCase()} ${c.path} → ${res.status} ${JSON.stringify(res.body)}`);
      expect(res.status, `${c.endpoint.method} ${c.path}`).toBeGreaterThanOrEqual(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(serverErrors.slice(0, 5)).toEqual([]);
    expect(statuses.has(400)).toBe(true);
    expect(await snapshot(t.db)).toBe(before);
  }, 120_000);
});
