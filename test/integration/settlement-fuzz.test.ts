// Malformed requests to the settlement endpoints, in the manner of fuzz.test.ts: none may be answered 5xx,
// each is a 4xx, and together they leave the database exactly as it was. Seeded, so that a failure replays.
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANGZHOU, PROVIDER } from '../helpers/fixtures.js';
import { snapshot } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, mintToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let ids: { program: string; batch: string; line: string };
let maker: string;
let checker: string;

beforeAll(async () => {
  t = await buildTestApp();
  maker = await mintToken({ role: 'issuer', region: HANGZHOU });
  checker = await mintToken({ role: 'issuer', region: HANGZHOU, sub: 'checker' });
  const s = scenario(t);
  const { program, voucher, contract } = await s.ready({ voucher: { amount: '1000000.00' } });
  expect(
    (
      await t.issuer.post('/v1/providers', {
        uscc: PROVIDER,
        name: '杭州算力服务有限公司',
        bankAccount: { bankName: '中国工商银行', accountName: '杭州算力服务有限公司', accountNumber: '1202020209900012345' },
        services: [{ code: 'GPU', name: '算力', kind: 'compute', autonomous: false }],
      })
    ).status,
  ).toBe(201);
  expect((await s.redeem(voucher.id, contract.id, '1000.10')).status).toBe(201);
  const batch = await t.issuer.post('/v1/payment-batches', { programId: program.id, cutoff: '2025-12-15' });
  expect((await request(t.app).post(`/v1/payment-batches/${batch.body.id}/approve`).set('Authorization', `Bearer ${checker}`)).status).toBe(200);
  ids = { program: program.id, batch: batch.body.id, line: batch.body.lines[0].id };
}, 60_000);
afterAll(() => t.close());

interface Endpoint {
  path: () => string;
  body: () => Record<string, unknown>;
  /** Fields and values that only that field refuses (besides wrong types, which every field refuses). */
  fields: Record<string, unknown[]>;
}

const ENDPOINTS: Endpoint[] = [
  {
    path: () => '/v1/payment-batches',
    body: () => ({ programId: ids.program, cutoff: '2025-12-15' }),
    fields: { programId: ['', 'x'.repeat(65)], cutoff: ['2025-02-30', '2025-12-15T00:00:00Z', '20251215', '2025-12-16'] },
  },
  { path: () => `/v1/payment-batches/${ids.batch}/approve`, body: () => ({}), fields: {} },
  {
    path: () => `/v1/payment-batches/${ids.batch}/lines/${ids.line}/paid`,
    body: () => ({ bankReference: 'B-1', paidOn: '2025-12-15' }),
    fields: { bankReference: ['', 'a b', 'x'.repeat(65), '\u0000'], paidOn: ['2025-12-32', '2025-12-14', '2025-12-16', ''] },
  },
  {
    path: () => `/v1/payment-batches/${ids.batch}/lines/${ids.line}/failed`,
    body: () => ({ reason: 'bank refused' }),
    fields: { reason: ['', ' ', 'x'.repeat(501), 'bad\ud800'] },
  },
  { path: () => `/v1/payment-batches/${ids.batch}/cancel`, body: () => ({ reason: 'redo' }), fields: { reason: ['', 'x'.repeat(501)] } },
  {
    path: () => `/v1/providers/${PROVIDER}/recoveries`,
    body: () => ({ programId: ids.program, amount: '1.00', bankReference: 'R-1', receivedOn: '2025-12-15' }),
    fields: {
      programId: ['', 'prg_missing'],
      amount: ['0.00', '1.001', '-1.00', '1e2', ' 1.00', '01.00'],
      bankReference: ['', 'a b'],
      receivedOn: ['2025-12-16', '2025-00-01'],
    },
  },
];

const WRONG_TYPES: unknown[] = [null, 1, 1.5, true, [], {}, ['2025-12-15']];

/** One spoilt request: a field given a value it refuses, a field missing, or an unknown field added. */
const spoilt = (endpoint: Endpoint) => {
  const names = Object.keys(endpoint.fields);
  const spoilings: fc.Arbitrary<(body: Record<string, unknown>) => void>[] = [
    fc
      .string({ minLength: 1, maxLength: 8 })
      .filter((k) => !names.includes(k) && k !== '__proto__')
      .map((key) => (body) => void (body[key] = 'x')),
  ];
  if (names.length > 0) {
    spoilings.push(
      fc.tuple(fc.constantFrom(...names), fc.constantFrom(...WRONG_TYPES)).map(
        ([name, value]) =>
          (body) =>
            void (body[name] = value),
      ),
    );
    spoilings.push(
      fc.constantFrom(...names.flatMap((name) => endpoint.fields[name]!.map((value) => [name, value] as const))).map(
        ([name, value]) =>
          (body) =>
            void (body[name] = value),
      ),
    );
  }
  const required = names.filter((name) => !endpoint.path().endsWith('/cancel'));
  if (required.length > 0) spoilings.push(fc.constantFrom(...required).map((name) => (body) => void delete body[name]));
  return fc.oneof(...spoilings);
};

describe('settlement endpoints under malformed requests', () => {
  it('answer every spoilt request with a 4xx and change nothing', async () => {
    const before = await snapshot(t.db);
    let sent = 0;
    for (const [index, endpoint] of ENDPOINTS.entries()) {
      for (const spoil of fc.sample(spoilt(endpoint), { numRuns: 40, seed: 20261130 + index })) {
        const body = endpoint.body();
        spoil(body);
        // The maker may not approve; the checker sends the approvals so that only the body can be at fault.
        const token = endpoint.path().endsWith('/approve') ? checker : maker;
        const res = await request(t.app).post(endpoint.path()).set('Authorization', `Bearer ${token}`).send(body);
        sent++;
        expect(res.status, `${endpoint.path()} ${JSON.stringify(body)} → ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${endpoint.path()} ${JSON.stringify(body)}`).toBeLessThan(500);
      }
    }
    // Bank statements that are not statements: each refused whole.
    const statements = [
      '',
      'reference,amount\nx,1.00\n',
      `reference,amount,paidOn,bankReference\n${ids.line},100.01,2025-12-15\n`,
      `reference,amount,paidOn,bankReference\n${ids.line},100.010,2025-12-15,B\n`,
      `reference,amount,paidOn,bankReference\n${ids.line},100.01,2025-12-16,B\n`,
      `reference,amount,paidOn,bankReference\n${ids.line},100.01,2025-12-15,B,extra\n`,
      `reference,amount,paidOn,bankReference\n"${ids.line},100.01,2025-12-15,B\n`,
      `reference,amount,paidOn,bankReference\n${ids.line},100.01,2025-12-15,\n`,
    ];
    for (const statement of statements) {
      const res = await request(t.app)
        .post(`/v1/payment-batches/${ids.batch}/reconcile`)
        .set('Authorization', `Bearer ${maker}`)
        .set('Content-Type', 'text/csv')
        .send(statement);
      sent++;
      expect(res.status, `${JSON.stringify(statement)} → ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    // Ids that name nothing, in every path.
    for (const path of [
      '/v1/payment-batches/pbt_none/approve',
      `/v1/payment-batches/${ids.batch}/lines/pln_none/paid`,
      '/v1/payment-batches/%E4%B8%AD/cancel',
      `/v1/providers/not-a-uscc/recoveries`,
    ]) {
      const res = await request(t.app)
        .post(path)
        .set('Authorization', `Bearer ${checker}`)
        .send({ bankReference: 'B', paidOn: '2025-12-15', programId: ids.program, amount: '1.00', receivedOn: '2025-12-15' });
      sent++;
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
    expect(sent).toBeGreaterThan(200);
    expect(await snapshot(t.db)).toBe(before);
  }, 120_000);
});
