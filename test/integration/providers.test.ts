import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HANGZHOU, NINGBO, OTHER_PROVIDER, PROVIDER, XIHU, ZHEJIANG, uscc } from '../helpers/fixtures.js';
import { snapshot } from '../helpers/ledger-checks.js';
import { buildTestApp, mintToken, type Client, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

const BANK = { bankName: '中国工商银行杭州分行', accountName: '杭州云算科技有限公司', accountNumber: '1202020109900012345' };
const SERVICES = [
  { code: 'GPU-A100', name: '国产智算集群', kind: 'compute', autonomous: true },
  { code: 'CORPUS-LAW', name: '法律语料', kind: 'corpus' },
];
const registrationBody = (over: Record<string, unknown> = {}) => ({
  uscc: PROVIDER,
  name: '杭州云算科技有限公司',
  bankAccount: BANK,
  services: SERVICES,
  ...over,
});

/** supertest's PUT with a caller's token (the shared client has GET and POST only). */
async function put(claims: { role: string; region?: string; org?: string; sub?: string }, path: string, body: unknown) {
  return request(t.app)
    .put(path)
    .set('Authorization', `Bearer ${await mintToken(claims)}`)
    .send(body as object);
}

const register = (body: Record<string, unknown> = registrationBody(), as: Client = t.issuer) => as.post('/v1/providers', body);

/** Sends a request that must be refused, and proves that the database did not move. */
async function expectRejected(
  send: () => PromiseLike<{ status: number; body: Record<string, unknown>; headers: Record<string, string> }>,
  status: number,
  code: string,
  field?: string,
) {
  const before = await snapshot(t.db);
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, ...(field ? { field } : {}) });
  expect(await snapshot(t.db)).toBe(before);
  return res;
}

describe('registering a provider', () => {
  it('registers it for the issuer’s region, active at version 1, and records who did it', async () => {
    const res = await register();
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const registered = {
      uscc: PROVIDER,
      region: HANGZHOU,
      name: '杭州云算科技有限公司',
      bankAccount: BANK,
      services: [
        { code: 'GPU-A100', name: '国产智算集群', kind: 'compute', autonomous: true },
        { code: 'CORPUS-LAW', name: '法律语料', kind: 'corpus', autonomous: null },
      ],
      status: 'active',
      version: 1,
      createdAt: '2025-12-15T04:00:00.000Z',
      createdBy: 'issuer-330100',
      updatedAt: '2025-12-15T04:00:00.000Z',
      updatedBy: 'issuer-330100',
    };
    expect(res.body).toEqual(registered);
    expect((await t.issuer.get(`/v1/providers/${PROVIDER}`)).body).toEqual({ uscc: PROVIDER, registrations: [registered] });
    expect((await t.issuer.get(`/v1/providers/${PROVIDER}/history`)).body).toEqual({
      uscc: PROVIDER,
      changes: [
        {
          uscc: PROVIDER,
          region: HANGZHOU,
          version: 1,
          action: 'registered',
          actor: { sub: 'issuer-330100', role: 'issuer', region: HANGZHOU },
          recordedAt: '2025-12-15T04:00:00.000Z',
          reason: null,
          registration: registered,
        },
      ],
    });
    // Moving no money, a registration writes no ledger entry.
    expect((await t.auditor.get('/v1/ledger')).body.entries).toEqual([]);
  });

  it('refuses a second registration in the same region (409), and accepts one per other region', async () => {
    expect((await register()).status).toBe(201);
    await expectRejected(() => register(registrationBody({ name: '另一个名字' })), 409, 'provider_already_registered', 'uscc');
    const ningbo = await t.as({ role: 'issuer', region: NINGBO });
    const res = await register(registrationBody({ bankAccount: { ...BANK, bankName: '中国银行宁波分行', accountNumber: '3566000000123' } }), ningbo);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ region: NINGBO, version: 1, bankAccount: { accountNumber: '3566000000123' } });
    expect((await t.auditor.get(`/v1/providers/${PROVIDER}`)).body.registrations.map((r: { region: string }) => r.region)).toEqual([HANGZHOU, NINGBO]);
  });

  it('two registrations of one provider sent at once: one 201, one 409, one history row', async () => {
    const officer = await t.as({ role: 'issuer', region: HANGZHOU, sub: 'officer-2' });
    const results = await Promise.all([register(), register(registrationBody({ name: '同时提交' }), officer)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body).toMatchObject({ code: 'provider_already_registered' });
    expect((await t.issuer.get(`/v1/providers/${PROVIDER}/history`)).body.changes).toHaveLength(1);
  });

  it('replays an Idempotency-Key instead of registering twice', async () => {
    const first = await t.issuer.post('/v1/providers', registrationBody(), { 'Idempotency-Key': 'reg-1' });
    const again = await t.issuer.post('/v1/providers', registrationBody(), { 'Idempotency-Key': 'reg-1' });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await t.issuer.get(`/v1/providers/${PROVIDER}/history`)).body.changes).toHaveLength(1);
  });
});

describe('changing a registration', () => {
  beforeEach(async () => {
    expect((await register()).status).toBe(201);
  });

  it('PUT replaces name, bank account and services (version 2, by whom and when); an identical PUT records nothing', async () => {
    t.clock.set('2025-12-16T02:30:00Z');
    const replacement = {
      name: '杭州云算科技股份有限公司',
      bankAccount: { ...BANK, accountNumber: '1202020109900099999' },
      services: [{ code: 'GPU-H20', name: '通用算力', kind: 'compute', autonomous: false }],
    };
    const res = await put({ role: 'issuer', region: HANGZHOU, sub: 'officer-li' }, `/v1/providers/${PROVIDER}`, replacement);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      ...replacement,
      services: [{ code: 'GPU-H20', name: '通用算力', kind: 'compute', autonomous: false }],
      status: 'active',
      version: 2,
      createdAt: '2025-12-15T04:00:00.000Z',
      createdBy: 'issuer-330100',
      updatedAt: '2025-12-16T02:30:00.000Z',
      updatedBy: 'officer-li',
    });
    const before = await snapshot(t.db);
    const same = await put({ role: 'issuer', region: HANGZHOU, sub: 'officer-wang' }, `/v1/providers/${PROVIDER}`, replacement);
    expect(same.status).toBe(200);
    expect(same.body).toEqual(res.body);
    expect(await snapshot(t.db)).toBe(before);
    const { changes } = (await t.auditor.get(`/v1/providers/${PROVIDER}/history`)).body;
    expect(changes.map((c: { version: number; action: string; actor: { sub: string } }) => [c.version, c.action, c.actor.sub])).toEqual([
      [1, 'registered', 'issuer-330100'],
      [2, 'replaced', 'officer-li'],
    ]);
    expect(changes[0].registration.bankAccount.accountNumber).toBe('1202020109900012345');
    expect(changes[1].registration.bankAccount.accountNumber).toBe('1202020109900099999');
  });

  it('suspends and reinstates with a reason, each change recorded; a repeated change is refused', async () => {
    const officer = await t.as({ role: 'issuer', region: HANGZHOU, sub: 'officer-zhao' });
    t.clock.set('2025-12-20T01:00:00Z');
    const suspended = await officer.post(`/v1/providers/${PROVIDER}/suspend`, { reason: '发票核查未通过' });
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    expect(suspended.body).toMatchObject({ status: 'suspended', version: 2, updatedBy: 'officer-zhao', updatedAt: '2025-12-20T01:00:00.000Z' });
    await expectRejected(() => officer.post(`/v1/providers/${PROVIDER}/suspend`, { reason: 'again' }), 422, 'registration_already_suspended');

    t.clock.set('2026-01-05T01:00:00Z');
    const reinstated = await t.issuer.post(`/v1/providers/${PROVIDER}/reinstate`, { reason: '整改完成' });
    expect(reinstated.body).toMatchObject({ status: 'active', version: 3, updatedBy: 'issuer-330100' });
    await expectRejected(() => t.issuer.post(`/v1/providers/${PROVIDER}/reinstate`, { reason: 'again' }), 422, 'registration_not_suspended');

    const { changes } = (await t.provider.get(`/v1/providers/${PROVIDER}/history?region=${HANGZHOU}`)).body;
    expect(changes.map((c: Record<string, unknown>) => [c['version'], c['action'], (c['actor'] as { sub: string }).sub, c['recordedAt'], c['reason']])).toEqual(
      [
        [1, 'registered', 'issuer-330100', '2025-12-15T04:00:00.000Z', null],
        [2, 'suspended', 'officer-zhao', '2025-12-20T01:00:00.000Z', '发票核查未通过'],
        [3, 'reinstated', 'issuer-330100', '2026-01-05T01:00:00.000Z', '整改完成'],
      ],
    );
  });

  it('the history is append-only in the database', async () => {
    await expect(t.db.deleteFrom('provider_registration_history').execute()).rejects.toThrow(/append-only/);
    await expect(t.db.updateTable('provider_registration_history').set({ reason: 'forged' }).execute()).rejects.toThrow(/append-only/);
  });

  it('an issuer of another region cannot change it (403), an unknown provider is 404, a provider cannot change it (403)', async () => {
    const ningbo = await t.as({ role: 'issuer', region: NINGBO });
    await expectRejected(() => ningbo.post(`/v1/providers/${PROVIDER}/suspend`, { reason: 'x' }), 403, 'forbidden');
    await expectRejected(() => put({ role: 'issuer', region: NINGBO }, `/v1/providers/${PROVIDER}`, registrationBody({ uscc: undefined })), 403, 'forbidden');
    // The province issuer acts on the province's register, not the city's.
    await expectRejected(() => put({ role: 'issuer', region: ZHEJIANG }, `/v1/providers/${PROVIDER}`, registrationBody({ uscc: undefined })), 403, 'forbidden');
    await expectRejected(() => t.issuer.post(`/v1/providers/${OTHER_PROVIDER}/suspend`, { reason: 'x' }), 404, 'not_found');
    await expectRejected(() => t.provider.post(`/v1/providers/${PROVIDER}/suspend`, { reason: 'x' }), 403, 'forbidden');
    await expectRejected(() => t.auditor.post('/v1/providers', registrationBody({ uscc: OTHER_PROVIDER })), 403, 'forbidden');
  });
});

describe('reading the register', () => {
  beforeEach(async () => {
    expect((await register()).status).toBe(201);
    const ningbo = await t.as({ role: 'issuer', region: NINGBO });
    expect((await register(registrationBody({ uscc: OTHER_PROVIDER, name: '宁波数据有限公司' }), ningbo)).status).toBe(201);
  });

  it('issuers and auditors read registrations their region covers, or that cover their region; the provider reads its own', async () => {
    const regionsSeenBy = async (client: Client, who = PROVIDER) => {
      const res = await client.get(`/v1/providers/${who}`);
      return res.status === 200 ? res.body.registrations.map((r: { region: string }) => r.region) : res.status;
    };
    expect(await regionsSeenBy(t.issuer)).toEqual([HANGZHOU]);
    expect(await regionsSeenBy(t.auditor)).toEqual([HANGZHOU]);
    expect(await regionsSeenBy(await t.as({ role: 'auditor', region: HANGZHOU }))).toEqual([HANGZHOU]);
    // A county's programs rely on its city's register.
    expect(await regionsSeenBy(await t.as({ role: 'issuer', region: XIHU }))).toEqual([HANGZHOU]);
    expect(await regionsSeenBy(await t.as({ role: 'auditor', region: XIHU }))).toEqual([HANGZHOU]);
    expect(await regionsSeenBy(t.provider)).toEqual([HANGZHOU]);
    expect(await regionsSeenBy(await t.as({ role: 'issuer', region: NINGBO }))).toBe(403);
    expect(await regionsSeenBy(await t.as({ role: 'auditor', region: NINGBO }))).toBe(403);
    expect(await regionsSeenBy(await t.as({ role: 'provider', org: OTHER_PROVIDER }))).toBe(403);
    expect(await regionsSeenBy(t.issuer, OTHER_PROVIDER)).toBe(403);
    expect(await regionsSeenBy(t.issuer, uscc(77))).toBe(404);
    expect((await t.as({ role: 'issuer', region: NINGBO }).then((c) => c.get(`/v1/providers/${PROVIDER}/history`))).status).toBe(403);
    expect((await t.issuer.get(`/v1/providers/${PROVIDER}/history?region=${NINGBO}`)).status).toBe(404);
    expect((await t.auditor.get(`/v1/providers/${OTHER_PROVIDER}/history?region=${NINGBO}`)).body.changes).toHaveLength(1);
    expect((await t.issuer.get(`/v1/providers/${OTHER_PROVIDER}/history?region=${NINGBO}`)).status).toBe(403);
  });

  it('lists a region’s register and the regions below it, optionally by status', async () => {
    const list = async (client: Client, query = '') => {
      const res = await client.get(`/v1/providers${query}`);
      return res.status === 200 ? [res.body.region, res.body.registrations.map((r: { uscc: string; region: string }) => `${r.region}:${r.uscc}`)] : res.status;
    };
    expect(await list(t.issuer)).toEqual([HANGZHOU, [`${HANGZHOU}:${PROVIDER}`]]);
    expect(await list(t.auditor)).toEqual([ZHEJIANG, [`${HANGZHOU}:${PROVIDER}`, `${NINGBO}:${OTHER_PROVIDER}`]]);
    expect(await list(t.auditor, `?region=${NINGBO}`)).toEqual([NINGBO, [`${NINGBO}:${OTHER_PROVIDER}`]]);
    expect(await list(t.issuer, `?region=${NINGBO}`)).toBe(403);
    expect(await list(t.issuer, `?region=${ZHEJIANG}`)).toBe(403);
    expect(await list(t.provider)).toBe(403);
    expect((await t.issuer.post(`/v1/providers/${PROVIDER}/suspend`, { reason: '核查' })).status).toBe(200);
    expect(await list(t.auditor, '?status=active')).toEqual([ZHEJIANG, [`${NINGBO}:${OTHER_PROVIDER}`]]);
    expect(await list(t.auditor, '?status=suspended')).toEqual([ZHEJIANG, [`${HANGZHOU}:${PROVIDER}`]]);
  });
});

describe('validation at the edge: 400 naming the field, nothing stored', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a USCC with a wrong check character', registrationBody({ uscc: `${PROVIDER.slice(0, 17)}${PROVIDER.endsWith('0') ? '1' : '0'}` }), 'uscc'],
    ['no name', registrationBody({ name: '  ' }), 'name'],
    ['an account number with spaces', registrationBody({ bankAccount: { ...BANK, accountNumber: '1202 0201 0990 0012' } }), 'bankAccount.accountNumber'],
    ['an account number of 7 digits', registrationBody({ bankAccount: { ...BANK, accountNumber: '1234567' } }), 'bankAccount.accountNumber'],
    ['an account number of 33 digits', registrationBody({ bankAccount: { ...BANK, accountNumber: '1'.repeat(33) } }), 'bankAccount.accountNumber'],
    ['an account number as a JSON number', registrationBody({ bankAccount: { ...BANK, accountNumber: 1202020109900012 } }), 'bankAccount.accountNumber'],
    ['no bank name', registrationBody({ bankAccount: { accountName: BANK.accountName, accountNumber: BANK.accountNumber } }), 'bankAccount.bankName'],
    ['an unknown bank account field', registrationBody({ bankAccount: { ...BANK, iban: 'x' } }), 'bankAccount.iban'],
    ['no services', registrationBody({ services: [] }), 'services'],
    ['a compute service without autonomous', registrationBody({ services: [{ code: 'G', name: 'g', kind: 'compute' }] }), 'services[0].autonomous'],
    [
      'a corpus service with autonomous',
      registrationBody({ services: [SERVICES[0], { code: 'C', name: 'c', kind: 'corpus', autonomous: false }] }),
      'services[1].autonomous',
    ],
    ['a service code twice', registrationBody({ services: [SERVICES[0], { ...SERVICES[1], code: 'GPU-A100' }] }), 'services[1].code'],
    ['a service code with a space', registrationBody({ services: [{ ...SERVICES[1], code: 'GPU A' }] }), 'services[0].code'],
    ['an unknown kind', registrationBody({ services: [{ ...SERVICES[1], kind: 'data' }] }), 'services[0].kind'],
    ['an unknown field', registrationBody({ region: HANGZHOU }), 'region'],
  ];
  it.each(cases)('%s', async (_name, body, field) => {
    await expectRejected(() => register(body), 400, 'validation_failed', field);
  });

  it('in the path, the query and the status changes', async () => {
    expect((await register()).status).toBe(201);
    await expectRejected(() => t.issuer.get('/v1/providers/not-a-uscc'), 400, 'validation_failed', 'uscc');
    await expectRejected(() => t.issuer.get('/v1/providers?region=33010'), 400, 'validation_failed', 'region');
    await expectRejected(() => t.issuer.get('/v1/providers?status=gone'), 400, 'validation_failed', 'status');
    await expectRejected(() => t.issuer.get(`/v1/providers/${PROVIDER}/history?region=x`), 400, 'validation_failed', 'region');
    await expectRejected(() => t.issuer.post(`/v1/providers/${PROVIDER}/suspend`, {}), 400, 'validation_failed', 'reason');
    await expectRejected(() => t.issuer.post(`/v1/providers/${PROVIDER}/suspend`, { reason: 'x', until: '2026-01-01' }), 400, 'validation_failed', 'until');
    await expectRejected(
      () => put({ role: 'issuer', region: HANGZHOU }, `/v1/providers/${PROVIDER}`, registrationBody()),
      400,
      'validation_failed',
      'uscc', // the USCC is the path's; the body may not restate it
    );
    await expectRejected(
      () =>
        put({ role: 'issuer', region: HANGZHOU }, `/v1/providers/${PROVIDER}`, {
          name: 'x',
          bankAccount: BANK,
          services: [{ code: 'G', name: 'g', kind: 'compute' }],
        }),
      400,
      'validation_failed',
      'services[0].autonomous',
    );
  });
});
