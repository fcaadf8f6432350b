import { calculateJwkThumbprint, compactVerify, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { lastEntry } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp | undefined;
afterEach(() => t?.close());

describe('signed checkpoints', () => {
  it('signs the head with Ed25519, verifiable against /.well-known/jwks.json, and records it', async () => {
    t = await buildTestApp();
    await scenario(t).ready();
    const res = await t.auditor.get('/v1/ledger/checkpoint');
    expect(res.status).toBe(200);
    const head = await lastEntry(t.db);
    expect(res.body.checkpoint).toEqual({
      ledgerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      seq: head.seq,
      hash: head.hash,
      issuedAt: '2025-12-15T04:00:00.000Z',
      treeSize: head.seq,
      rootHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const jwks = await request(t.app).get('/.well-known/jwks.json');
    expect(jwks.body.keys).toEqual([expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid: res.body.kid })]);
    const { payload, protectedHeader } = await compactVerify(res.body.jws, createLocalJWKSet(jwks.body));
    expect(protectedHeader).toEqual({ alg: 'EdDSA', kid: res.body.kid, typ: 'voucher-ledger-checkpoint+jws' });
    expect(JSON.parse(new TextDecoder().decode(payload))).toEqual(res.body.checkpoint);

    await scenario(t).program();
    const recorded = await t.auditor.get(`/v1/ledger/checkpoints/${head.seq}`);
    expect(recorded.body).toEqual(res.body);
    expect((await t.auditor.get('/v1/ledger/checkpoints/999')).status).toBe(404);
    expect((await t.provider.get('/v1/ledger/checkpoint')).status).toBe(403);
  });

  it('stores one checkpoint per head: asking again returns it and writes nothing', async () => {
    t = await buildTestApp();
    await scenario(t).program();
    const first = await t.auditor.get('/v1/ledger/checkpoint');
    t.clock.set('2025-12-15T05:00:00Z');
    const again = await Promise.all(Array.from({ length: 5 }, () => t!.auditor.get('/v1/ledger/checkpoint')));
    for (const res of again) expect(res.body).toEqual(first.body);
    expect(await t.db.selectFrom('checkpoints').select('seq').execute()).toEqual([{ seq: 1n }]);
    await scenario(t).program();
    const next = await t.auditor.get('/v1/ledger/checkpoint');
    expect(next.body.checkpoint).toMatchObject({ seq: 2, issuedAt: '2025-12-15T05:00:00.000Z' });
    expect((await t.db.selectFrom('checkpoints').select('seq').orderBy('id').execute()).map((row) => row.seq)).toEqual([1n, 2n]);
  });

  it('on an empty ledger the checkpoint is seq 0 with the genesis hash', async () => {
    t = await buildTestApp();
    expect((await t.auditor.get('/v1/ledger/checkpoint')).body.checkpoint).toMatchObject({ seq: 0, hash: '0'.repeat(64) });
  });

  it('loads LEDGER_SIGNING_KEY from a PKCS#8 PEM or a JWK file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vl-key-'));
    // Each key file's public half is what the server publishes, under its RFC 7638 thumbprint, and signs with.
    const expectServedAndSigning = async (publicJwk: JWK) => {
      const jwks = (await request(t!.app).get('/.well-known/jwks.json')).body;
      const { x, crv, kty } = publicJwk;
      expect(jwks.keys).toEqual([{ kty, crv, x, kid: await calculateJwkThumbprint(publicJwk), alg: 'EdDSA', use: 'sig' }]);
      const res = await t!.auditor.get('/v1/ledger/checkpoint');
      await expect(compactVerify(res.body.jws, await importJWK({ kty, crv, x }, 'EdDSA'))).resolves.toBeTruthy();
    };

    const pemPair = generateKeyPairSync('ed25519');
    const pem = join(dir, 'key.pem');
    writeFileSync(pem, pemPair.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    t = await buildTestApp({ env: { LEDGER_SIGNING_KEY: pem } });
    await expectServedAndSigning(pemPair.publicKey.export({ format: 'jwk' }) as JWK);
    await t.close();

    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    const jwkPath = join(dir, 'key.jwk');
    writeFileSync(jwkPath, JSON.stringify(await exportJWK(privateKey)));
    t = await buildTestApp({ env: { LEDGER_SIGNING_KEY: jwkPath } });
    await expectServedAndSigning(await exportJWK(publicKey));
  });
});
