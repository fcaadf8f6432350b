import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { ENTERPRISE, PROVIDER } from '../helpers/fixtures.js';
import { buildTestApp, mintToken, TEST_SECRET, type TestApp } from '../helpers/test-app.js';

let t: TestApp | undefined;
afterEach(() => t?.close());

const programBody = { name: 'p', kind: 'model', budget: '1.00' };

describe('bearer tokens', () => {
  it('no token, a malformed header, a bad signature or an expired token is 401', async () => {
    t = await buildTestApp();
    const post = (auth?: string) => {
      const req = request(t!.app).post('/v1/programs');
      return (auth ? req.set('Authorization', auth) : req).send(programBody);
    };
    expect((await post()).body).toMatchObject({ status: 401, code: 'missing_token' });
    expect((await post('Basic abc')).status).toBe(401);
    const forged = await mintToken({ role: 'issuer', region: '330100' }, 'another-secret-that-is-32-bytes-long!!');
    expect((await post(`Bearer ${forged}`)).body).toMatchObject({ status: 401, code: 'invalid_token' });
    const expired = await mintToken({ role: 'issuer', region: '330100' }, undefined, Math.floor(Date.now() / 1000) - 60);
    expect((await post(`Bearer ${expired}`)).body.code).toBe('invalid_token');
  });

  it('every 401 carries a WWW-Authenticate Bearer challenge, with invalid_token when a token was refused', async () => {
    t = await buildTestApp();
    const missing = await request(t.app).post('/v1/programs').send(programBody);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="voucher-ledger"');
    const forged = await mintToken({ role: 'issuer', region: '330100' }, 'another-secret-that-is-32-bytes-long!!');
    const refused = await request(t.app).post('/v1/programs').set('Authorization', `Bearer ${forged}`).send(programBody);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer realm="voucher-ledger", error="invalid_token", error_description="[^"]+"$/);
  });

  it('a token living longer than JWT_MAX_TTL (24 h by default), or issued in the future, is 401', async () => {
    t = await buildTestApp();
    const key = new TextEncoder().encode(TEST_SECRET);
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'a', role: 'issuer', region: '330100' };
    const token = (iat: number | undefined, exp: number) => {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp);
      return (iat === undefined ? jwt : jwt.setIssuedAt(iat)).sign(key);
    };
    const status = async (jwt: string) => (await request(t!.app).post('/v1/programs').set('Authorization', `Bearer ${jwt}`).send(programBody)).body;
    expect(await status(await token(undefined, now + 100 * 365 * 86400))).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(await status(await token(now + 75 * 365 * 86400, now + 3600))).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(await status(await token(now - 2 * 86400, now + 3600))).toMatchObject({ status: 401, detail: expect.stringContaining('exp − iat') });
    expect((await status(await token(now, now + 24 * 3600))).id).toMatch(/^prg_/); // exactly 24 h is allowed
    expect((await status(await token(now + 30, now + 3600))).id).toMatch(/^prg_/); // 30 s ahead is within the skew

    await t.close();
    t = await buildTestApp({ env: { JWT_MAX_TTL: '90m' } });
    expect(await status(await token(now, now + 2 * 3600))).toMatchObject({ status: 401, code: 'invalid_token' });
    expect((await status(await token(now, now + 3600))).id).toMatch(/^prg_/);
  });

  it('a token without exp, or with claims that do not fit its role, is 401', async () => {
    t = await buildTestApp();
    const key = new TextEncoder().encode('test-secret-that-is-at-least-32-bytes-long!');
    const noExp = await new SignJWT({ sub: 'a', role: 'issuer', region: '330100' }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    expect((await request(t.app).post('/v1/programs').set('Authorization', `Bearer ${noExp}`).send(programBody)).status).toBe(401);
    const badRegion = await mintToken({ role: 'issuer', region: '33010' });
    expect((await request(t.app).post('/v1/programs').set('Authorization', `Bearer ${badRegion}`).send(programBody)).body.code).toBe('invalid_token');
    const badOrg = await mintToken({ role: 'provider', org: '91330100799655058C' });
    expect((await request(t.app).get('/v1/contracts/x').set('Authorization', `Bearer ${badOrg}`)).status).toBe(401);
  });

  it("a subject longer than 256 characters, with surrounding whitespace or a control character is 401: 'alice ' is not a second person beside 'alice'", async () => {
    t = await buildTestApp();
    const post = async (sub: string) =>
      request(t!.app)
        .post('/v1/programs')
        .set('Authorization', `Bearer ${await mintToken({ sub, role: 'issuer', region: '330100' })}`)
        .send(programBody);
    for (const sub of ['alice ', ' alice', 'alice\t', 'a\u0000b', 'a\u200bb', 'x'.repeat(257), 'x'.repeat(10_000), '\u3000张三']) {
      const res = await post(sub);
      expect(res.status, JSON.stringify(sub.slice(0, 20))).toBe(401);
      expect(res.body.code).toBe('invalid_token');
    }
    expect((await post('x'.repeat(257))).body.detail).toBe("the token's sub claim is invalid: must be at most 256 characters");
    expect((await post('alice ')).body.detail).toBe(
      "the token's sub claim is invalid: must be visible text without control characters or surrounding whitespace",
    );
    for (const sub of ['alice', '财政局 张三', 'x'.repeat(256), 'a.b@czj.hangzhou.gov.cn']) expect((await post(sub)).status, sub).toBe(201);
  });

  it('the wrong role is 403', async () => {
    t = await buildTestApp();
    expect((await t.provider.post('/v1/programs', programBody)).body).toMatchObject({ status: 403, code: 'forbidden' });
    expect((await t.auditor.post('/v1/contracts', {})).status).toBe(403);
    expect((await t.issuer.post('/v1/redemptions', {})).status).toBe(403);
  });

  it('iss and aud are checked when configured', async () => {
    t = await buildTestApp({ env: { JWT_ISSUER: 'https://idp.zj.gov.cn', JWT_AUDIENCE: 'voucher-ledger' } });
    const key = new TextEncoder().encode('test-secret-that-is-at-least-32-bytes-long!');
    const sign = (iss: string, aud: string) =>
      new SignJWT({ sub: 'a', role: 'issuer', region: '330100' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(iss)
        .setAudience(aud)
        .setExpirationTime('1h')
        .sign(key);
    const ok = await sign('https://idp.zj.gov.cn', 'voucher-ledger');
    expect((await request(t.app).post('/v1/programs').set('Authorization', `Bearer ${ok}`).send(programBody)).status).toBe(201);
    const wrongAud = await sign('https://idp.zj.gov.cn', 'other');
    expect((await request(t.app).post('/v1/programs').set('Authorization', `Bearer ${wrongAud}`).send(programBody)).status).toBe(401);
    const wrongIss = await sign('https://evil.example', 'voucher-ledger');
    expect((await request(t.app).post('/v1/programs').set('Authorization', `Bearer ${wrongIss}`).send(programBody)).status).toBe(401);
  });

  it('asymmetric tokens verify against a configured public key, and HS256 tokens are then refused', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    t = await buildTestApp({ env: { JWT_SECRET: '', JWT_PUBLIC_KEY: await exportSPKI(publicKey), JWT_PUBLIC_KEY_ALG: 'ES256' } });
    const token = await new SignJWT({ sub: 'p', role: 'provider', org: PROVIDER })
      .setProtectedHeader({ alg: 'ES256' })
      .setExpirationTime('1h')
      .sign(privateKey);
    const body = { number: 'HT', beneficiaryUscc: ENTERPRISE, kind: 'model', amount: '1.00', signedOn: '2025-07-01' };
    expect((await request(t.app).post('/v1/contracts').set('Authorization', `Bearer ${token}`).send(body)).status).toBe(201);
    const hs = await mintToken({ role: 'provider', org: PROVIDER });
    expect((await request(t.app).post('/v1/contracts').set('Authorization', `Bearer ${hs}`).send(body)).status).toBe(401);
  });
  it('tokens verify against a JWKS file, picking the key by kid', async () => {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA');
    const jwksPath = join(mkdtempSync(join(tmpdir(), 'vl-jwks-')), 'jwks.json');
    writeFileSync(jwksPath, JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'EdDSA', use: 'sig' }] }));
    t = await buildTestApp({ env: { JWT_SECRET: '', JWT_JWKS_FILE: jwksPath } });
    const sign = (kid: string) =>
      new SignJWT({ sub: 'a', role: 'auditor', region: '330000' }).setProtectedHeader({ alg: 'EdDSA', kid }).setExpirationTime('1h').sign(privateKey);
    expect(
      (
        await request(t.app)
          .get('/v1/ledger')
          .set('Authorization', `Bearer ${await sign('idp-1')}`)
      ).status,
    ).toBe(200);
    expect(
      (
        await request(t.app)
          .get('/v1/ledger')
          .set('Authorization', `Bearer ${await sign('unknown')}`)
      ).status,
    ).toBe(401);
  });
});

describe('auditor scope', () => {
  it('an auditor reads vouchers within its region only', async () => {
    t = await buildTestApp();
    const program = await t.issuer.post('/v1/programs', programBody);
    const voucher = await t.issuer.post('/v1/vouchers', {
      programId: program.body.id,
      beneficiary: { uscc: ENTERPRISE, name: 'a' },
      amount: '1.00',
      expiresOn: '2026-01-01',
    });
    expect((await (await t.as({ role: 'auditor', region: '330100' })).get(`/v1/vouchers/${voucher.body.id}`)).status).toBe(200);
    expect((await (await t.as({ role: 'auditor', region: '330200' })).get(`/v1/vouchers/${voucher.body.id}`)).status).toBe(403);
    expect((await (await t.as({ role: 'auditor', region: '330106' })).get(`/v1/vouchers/${voucher.body.id}`)).status).toBe(403);
    expect((await t.provider.get(`/v1/vouchers/${voucher.body.id}`)).status).toBe(403);
  });
});
