// POST /v1/console/sessions: a console sign-in link's one-time code is exchanged for its token once, within five
// minutes; a code used before, expired or unknown is 401 invalid_sign_in_code; the database holds neither the
// token nor the code in clear; of concurrent exchanges of one code exactly one succeeds (decision 0030).
import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSignInCode } from '../../src/console-sign-in/sign-in-codes.crypto.js';
import { createSignInCodeService } from '../../src/console-sign-in/sign-in-codes.service.js';
import { HANGZHOU } from '../helpers/fixtures.js';
import { buildTestApp, mintToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

const exchange = (code: unknown, headers: Record<string, string> = {}) => request(t.app).post('/v1/console/sessions').set(headers).send({ code });
const codes = () => createSignInCodeService({ db: t.db, clock: t.clock });

function expectRefused(res: request.Response) {
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ code: 'invalid_sign_in_code', field: 'code' });
  expect(res.headers['www-authenticate']).toBe('Bearer realm="voucher-ledger"');
}

describe('POST /v1/console/sessions', () => {
  it('exchanges a code for its token once, no-store; the second use is refused', async () => {
    const token = await mintToken({ sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
    const { code, expiresAt } = await codes().issue(token);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe('2025-12-15T04:05:00.000Z');

    const first = await exchange(code);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ token });
    expect(first.headers['cache-control']).toBe('no-store');
    // the token it gave works
    expect((await request(t.app).get('/v1/programs').set('Authorization', `Bearer ${first.body.token}`)).status).toBe(200);

    expectRefused(await exchange(code));
  });

  it('refuses an expired code (the app clock five minutes on) and an unknown one; in Chinese when asked', async () => {
    const token = await mintToken({ role: 'auditor', region: '330000' });
    const late = await codes().issue(token);
    const inTime = await codes().issue(token);
    t.clock.set('2025-12-15T04:04:59.999Z');
    expect((await exchange(inTime.code)).status).toBe(200);
    t.clock.set('2025-12-15T04:05:00.000Z');
    expectRefused(await exchange(late.code));

    expectRefused(await exchange(newSignInCode()));
    const zh = await exchange(newSignInCode(), { 'Accept-Language': 'zh-CN' });
    expect(zh.status).toBe(401);
    expect(zh.body).toMatchObject({ code: 'invalid_sign_in_code', title: '登录链接无效' });
    expect(zh.body.detail).toContain('请向运维人员索取新的登录链接');
  });

  it('keeps neither the token nor the code in clear: the code by its SHA-256, the token sealed, dropped once used', async () => {
    const token = await mintToken({ role: 'provider', org: '91330100799655058B' });
    const { code } = await codes().issue(token);
    const rows = await t.db.selectFrom('console_sign_in_codes').selectAll().execute();
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows);
    for (const secret of [token, token.split('.')[1]!, token.split('.')[2]!, code]) expect(stored).not.toContain(secret);
    expect(rows[0]!.code_hash).toBe(createHash('sha256').update(code).digest('hex'));
    expect(rows[0]!.sealed_token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(rows[0]!.used_at).toBeNull();

    expect((await exchange(code)).status).toBe(200);
    const used = await t.db.selectFrom('console_sign_in_codes').selectAll().executeTakeFirstOrThrow();
    expect(used).toMatchObject({ sealed_token: null, used_at: '2025-12-15T04:00:00.000Z' });
  });

  it('of concurrent exchanges of one code, exactly one gets the token', async () => {
    const token = await mintToken({ role: 'issuer', region: HANGZHOU });
    for (let round = 0; round < 3; round++) {
      const { code } = await codes().issue(token);
      const answers = await Promise.all(Array.from({ length: 6 }, () => exchange(code)));
      expect(answers.map((res) => res.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
      expect(answers.find((res) => res.status === 200)!.body).toEqual({ token });
    }
  });

  it('validates the body at the edge: 400 naming code', async () => {
    for (const body of [{}, { code: 'short' }, { code: 12 }, { code: `${newSignInCode()}=` }]) {
      const res = await request(t.app).post('/v1/console/sessions').send(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', field: 'code' });
    }
    const extra = await request(t.app).post('/v1/console/sessions').send({ code: newSignInCode(), token: 'x' });
    expect(extra.body).toMatchObject({ code: 'validation_failed', field: 'token' });
  });

  it('sweeps codes that expired over a day ago, and keeps younger ones', async () => {
    await codes().issue('a.b.c');
    t.clock.set('2025-12-16T04:05:00.001Z');
    await codes().issue('d.e.f');
    expect(await codes().purge()).toBe(1);
    expect(await t.db.selectFrom('console_sign_in_codes').select('expires_at').execute()).toEqual([{ expires_at: '2025-12-16T04:10:00.001Z' }]);
  });
});

describe('refused codes count as failed authentications', () => {
  it('an address that keeps sending refused codes is answered 429', async () => {
    const limited = await buildTestApp({ env: { AUTH_FAILURE_LIMIT: '3' } });
    try {
      for (let i = 0; i < 3; i++) expect((await request(limited.app).post('/v1/console/sessions').send({ code: newSignInCode() })).status).toBe(401);
      const blocked = await request(limited.app).post('/v1/console/sessions').send({ code: newSignInCode() });
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe('too_many_auth_failures');
    } finally {
      await limited.close();
    }
  });
});
