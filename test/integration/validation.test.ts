import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_OPERATIONS } from '../../src/app/openapi.routes.js';
import { ENTERPRISE, HANGZHOU, PROVIDER, ZHEJIANG } from '../helpers/fixtures.js';
import { snapshot } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type Client, mintToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let ids: { program: string; voucher: string; contract: string; redemption: string };
beforeAll(async () => {
  t = await buildTestApp();
  const s = scenario(t);
  const { program, voucher, contract } = await s.ready();
  const redemption = await s.redeem(voucher.id, contract.id, '100.00');
  ids = { program: program.id, voucher: voucher.id, contract: contract.id, redemption: redemption.body.id };
});
afterAll(() => t.close());

type Case = [field: string, value: unknown];
const badAmounts: unknown[] = [1234.5, '1e3', '-1.00', '+1.00', '1.001', '', '12345678901234.00', '0.00', null, ' 1.00'];

function endpoints(): { name: string; client: () => Client; path: () => string; valid: () => Record<string, unknown>; cases: Case[] }[] {
  return [
    {
      name: 'POST /v1/programs',
      client: () => t.issuer,
      path: () => '/v1/programs',
      valid: () => ({ name: 'p', kind: 'compute', budget: '10.00', limits: { 'compute.autonomous': { rate: '0.20', annualCap: '5.00' } } }),
      cases: [
        ['name', ''],
        ['name', 7],
        ['kind', 'data'],
        ...badAmounts.map((v): Case => ['budget', v]),
        ['policyId', 5],
        ['limits', 'none'],
        ['limits.compute.autonomous.rate', '0.3x'],
        ['limits.compute.autonomous.rate', 0.3],
        ['limits.compute.autonomous.rate', '1.5'],
        ['limits.compute.autonomous.annualCap', '-5.00'],
        ['limits.compute.autonomous.extra', 1],
        ['colour', 'red'],
      ],
    },
    {
      name: 'POST /v1/vouchers',
      client: () => t.issuer,
      path: () => '/v1/vouchers',
      valid: () => ({ programId: ids.program, beneficiary: { uscc: ENTERPRISE, name: 'e' }, amount: '1.00', expiresOn: '2026-12-31' }),
      cases: [
        ['programId', ''],
        ['programId', 3],
        ['beneficiary', 'x'],
        ['beneficiary.uscc', '91330100799655058C'],
        ['beneficiary.uscc', '9133010079965505'],
        ['beneficiary.name', ''],
        ...badAmounts.map((v): Case => ['amount', v]),
        ['expiresOn', '2026-02-30'],
        ['expiresOn', '31/12/2026'],
        ['expiresOn', 20261231],
      ],
    },
    {
      name: 'POST /v1/contracts',
      client: () => t.provider,
      path: () => '/v1/contracts',
      valid: () => ({ number: `HT-${Math.random()}`, beneficiaryUscc: ENTERPRISE, kind: 'compute', autonomous: true, amount: '10.00', signedOn: '2025-07-01' }),
      cases: [
        ['number', ''],
        ['beneficiaryUscc', 'ABC'],
        ['kind', 'gpu'],
        ['autonomous', 'yes'],
        ...badAmounts.map((v): Case => ['amount', v]),
        ['signedOn', '2025-13-01'],
        ['signedOn', '2099-01-01'],
        ['nationalKeyProject', 'no'],
      ],
    },
    {
      name: 'POST /v1/redemptions',
      client: () => t.provider,
      path: () => '/v1/redemptions',
      valid: () => ({
        voucherId: ids.voucher,
        contractId: ids.contract,
        executedAmount: '1.00',
        executedOn: '2025-12-01',
        invoiceNumber: `I-${Math.random()}`,
      }),
      cases: [
        ['voucherId', ''],
        ['contractId', 12],
        ...badAmounts.map((v): Case => ['executedAmount', v]),
        ['executedOn', '2025-12-32'],
        ['invoiceNumber', ''],
        ['invoiceNumber', 'x'.repeat(65)],
      ],
    },
    {
      name: 'POST /v1/redemptions/:id/reversals',
      client: () => t.provider,
      path: () => `/v1/redemptions/${ids.redemption}/reversals`,
      valid: () => ({ executedAmount: '1.00', reason: 'refund' }),
      cases: [...badAmounts.map((v): Case => ['executedAmount', v]), ['reason', ''], ['reason', 'x'.repeat(501)]],
    },
    {
      name: 'POST /v1/vouchers/:id/revoke',
      client: () => t.issuer,
      path: () => `/v1/vouchers/${ids.voucher}/revoke`,
      valid: () => ({ reason: 'r' }),
      cases: [
        ['reason', ''],
        ['reason', null],
      ],
    },
  ];
}

function withField(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.startsWith('limits.') ? ['limits', path.slice(7, path.lastIndexOf('.')), path.slice(path.lastIndexOf('.') + 1)] : path.split('.');
  let node = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
  return copy;
}

describe.each(endpoints())('$name', (endpoint) => {
  it.each(endpoint.cases)('when %s is %j, a 400 names that field and nothing changes', async (field, value) => {
    const before = await snapshot(t.db);
    const res = await endpoint.client().post(endpoint.path(), withField(endpoint.valid(), field, value));
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.field).toBe(field);
    expect(await snapshot(t.db)).toBe(before);
  });

  it('a missing body or a non-object body is a 400', async () => {
    expect((await endpoint.client().post(endpoint.path())).status).toBe(400);
    expect((await endpoint.client().post(endpoint.path(), [1, 2])).status).toBe(400);
  });
});

describe('malformed requests', () => {
  it('malformed JSON is a 400 malformed_json naming the body', async () => {
    const auth = (await t.as({ role: 'issuer', region: '330100' })).post('/v1/programs').set('Content-Type', 'application/json').send('{"name":');
    expect((await auth).body).toMatchObject({ status: 400, code: 'malformed_json', field: 'body' });
  });

  it('an unknown route is a 404 problem; query and path parameters are validated', async () => {
    expect((await request(t.app).get('/nope')).body).toMatchObject({ status: 404, code: 'not_found' });
    expect((await t.auditor.get('/v1/ledger?limit=0')).body).toMatchObject({ status: 400, field: 'limit' });
    expect((await t.auditor.get('/v1/ledger?afterSeq=-1')).body).toMatchObject({ status: 400, field: 'afterSeq' });
    expect((await t.auditor.get('/v1/ledger?colour=red')).body).toMatchObject({ status: 400, field: 'colour' });
    expect((await t.auditor.get('/v1/beneficiaries/123/usage')).body).toMatchObject({ status: 400, field: 'uscc' });
    expect((await t.auditor.get(`/v1/beneficiaries/${ENTERPRISE}/usage?year=20x5`)).body).toMatchObject({ status: 400, field: 'year' });
  });

  it('GET /healthz (liveness) and GET /readyz (the database answers) are 200 without a token', async () => {
    expect((await request(t.app).get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await request(t.app).get('/readyz')).body).toEqual({ status: 'ready' });
  });

  it('GET /readyz is 503 not_ready when the database does not answer, while /healthz stays 200', async () => {
    const broken = await buildTestApp();
    await broken.db.destroy();
    expect((await request(broken.app).get('/readyz')).body).toMatchObject({ status: 503, code: 'not_ready' });
    expect((await request(broken.app).get('/healthz')).status).toBe(200);
    await broken.close().catch(() => undefined); // its pool is already closed
  });
});

describe('any body', () => {
  it('never causes a 5xx, and a rejected one leaves the database exactly as it was', async () => {
    const routes = endpoints();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: routes.length - 1 }),
        fc.anything({ maxDepth: 2 }),
        fc.dictionary(fc.string(), fc.anything({ maxDepth: 1 })),
        async (index, junk, dict) => {
          const route = routes[index]!;
          const before = await snapshot(t.db);
          const body = { ...route.valid(), ...dict };
          for (const payload of [junk, body]) {
            const res = await route.client().post(route.path(), typeof payload === 'object' && payload !== null ? payload : { value: payload });
            expect(res.status).toBeLessThan(500);
            if (res.status >= 400) expect(await snapshot(t.db)).toBe(before);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('one policy for the query and the media type of every /v1 route', () => {
  const tokenFor = async (role: string) =>
    role === 'provider' ? mintToken({ role, org: PROVIDER }) : mintToken({ role, region: role === 'auditor' ? ZHEJIANG : HANGZHOU });

  it('a query parameter a route does not declare is refused 400 naming it, on every route, and nothing is written', async () => {
    const before = await snapshot(t.db);
    const accepted: string[] = [];
    const operations = API_OPERATIONS.filter((op) => op.path.startsWith('/v1/'));
    for (const op of operations) {
      const role = op.access === 'public' || op.access === 'metrics' ? undefined : op.access.roles[0]!;
      const path = op.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => (name === 'seq' ? '1' : ids.program));
      const req = request(t.app)[op.method](`${path}?regoin=330100`);
      if (role) req.set('Authorization', `Bearer ${await tokenFor(role)}`);
      const res = await req.send(op.method === 'get' ? undefined : {});
      if (res.status !== 400 || res.body.errors?.[0]?.field !== 'regoin')
        accepted.push(`${op.method.toUpperCase()} ${op.path} → ${res.status} ${res.body.code}`);
    }
    expect(accepted).toEqual([]);
    expect(operations.length).toBeGreaterThan(30);
    expect(await snapshot(t.db)).toBe(before);
    // the routes the policy was missing from before, by name, with the message in both languages
    for (const path of [`/v1/programs/${ids.program}/balances?throughSeq=1`, '/v1/programs/awaiting-confirmation?region=330100']) {
      const res = await t.auditor.get(path).set('Accept-Language', 'zh-CN');
      expect(res.body).toMatchObject({
        status: 400,
        code: 'validation_failed',
        errors: [{ message: '不是该接口可识别的查询参数', messageEn: 'is not a recognised query parameter of this route' }],
      });
    }
    // a declared parameter of the more specific route is not judged by the general one
    expect((await t.auditor.get('/v1/ledger?type=voucher.issued&limit=1')).status).toBe(200);
  });

  it('limit is digits only: 1e2, 0x10, " 5" and 5.0 are refused; 100 is read as 100', async () => {
    for (const limit of ['1e2', '0x10', '%205', '5.0', '201', '0'])
      expect((await t.issuer.get(`/v1/vouchers?limit=${limit}`)).body, limit).toMatchObject({
        status: 400,
        errors: [{ field: 'limit', message: 'must be a whole number from 1 to 200' }],
      });
    expect((await t.issuer.get('/v1/vouchers?limit=100')).status).toBe(200);
  });

  it('a JSON route refuses a body of another media type 415, and takes JSON or no body at all', async () => {
    const issuer = await tokenFor('issuer');
    const sweep = () => request(t.app).post('/v1/vouchers/expiry-sweep').set('Authorization', `Bearer ${issuer}`);
    const before = await snapshot(t.db);
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/csv'])
      expect((await sweep().set('Content-Type', type).send('{}')).body, type).toMatchObject({
        status: 415,
        code: 'unsupported_media_type',
        field: 'Content-Type',
      });
    expect(
      (await request(t.app).post('/v1/programs').set('Authorization', `Bearer ${issuer}`).set('Content-Type', 'text/plain').send('{"name":"x"}')).status,
    ).toBe(415);
    expect(await snapshot(t.db)).toBe(before);
    expect((await sweep()).status).toBe(200);
    expect((await sweep().set('Content-Type', 'application/json').send('{}')).status).toBe(200);
  });
});
