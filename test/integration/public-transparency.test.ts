// Transparency without permission (decision 0045): an anonymous client verifies the public checkpoint with the
// published key, proves an entry by its leaf hash and proves consistency between two public checkpoints; a provider
// proves its own redemption with only its token and public routes; nothing public carries an entry.
import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedHash, type Entry } from '../../src/verifier/entry.js';
import { leafOfEntryHash, verifyConsistency, verifyInclusion } from '../../src/verifier/merkle.js';
import { readCheckpointBody, readNote, readVerifierKey, signedBy } from '../../src/verifier/note.js';
import { ENTERPRISE, OTHER_PROVIDER, PROVIDER } from '../helpers/fixtures.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
const anonymous = () => request(t.app);
/** Every public answer read in this file, to check that none of them carries an entry. */
const publicBodies: string[] = [];

async function publicGet(path: string, accept = '*/*') {
  const res = await anonymous().get(path).set('Accept', accept);
  publicBodies.push(res.text);
  return res;
}

async function publicCheckpoint() {
  const res = await publicGet('/v1/public/checkpoint');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  expect(res.headers['cache-control']).toBe('public, max-age=5');
  expect(res.headers['access-control-allow-origin']).toBe('*');
  return res.text;
}

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('the public log', () => {
  let receipt: { seq: number; hash: string; treeSize: number; rootHash: string; inclusionPath: string[]; leafIndex: number; newer: Record<string, string> };
  let redemptionSeq: number;

  it('lets a provider prove its own redemption with its token and the public routes alone', async () => {
    const s = scenario(t);
    const { voucher, contract } = await s.ready();
    const redeemed = await s.redeem(voucher.id, contract.id, '1000.00');
    expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(201);
    receipt = redeemed.body.receipt;
    redemptionSeq = receipt.seq;
    expect(receipt.leafIndex).toBe(receipt.seq - 1);
    expect(receipt.newer).toEqual({
      checkpoint: '/v1/public/checkpoint',
      consistency: `/v1/public/proofs/consistency?from=${receipt.treeSize}&to={treeSize}`,
    });

    // The provider reads its entry exactly as hashed and recomputes its hash and its leaf.
    const entry = await t.provider.get(`/v1/ledger/entries/${receipt.seq}`);
    expect(entry.status).toBe(200);
    expect(entry.body.type).toBe('redemption.recorded');
    expect(expectedHash(entry.body as Entry)).toBe(receipt.hash);
    const leaf = createHash('sha256')
      .update(Buffer.concat([Buffer.from([0]), Buffer.from(receipt.hash, 'hex')]))
      .digest('hex');
    expect(leaf).toBe(leafOfEntryHash(receipt.hash).toString('hex'));

    // The public checkpoint, checked with the public key; the inclusion of that leaf in its tree.
    const keyText = (await publicGet('/v1/public/log-key')).text.trim();
    const note = readNote(await publicCheckpoint());
    const body = readCheckpointBody(note.text);
    expect(signedBy(note, readVerifierKey(keyText))).toBe(true);
    const proof = await publicGet(`/v1/public/proofs/inclusion?leafHash=${leaf}&treeSize=${body.size}`);
    expect(proof.status).toBe(200);
    expect(proof.body).toMatchObject({ leafIndex: receipt.seq - 1, treeSize: Number(body.size), leafHash: leaf, rootHash: body.root.toString('hex') });
    expect(
      verifyInclusion(
        BigInt(proof.body.leafIndex),
        body.size,
        Buffer.from(leaf, 'hex'),
        (proof.body.path as string[]).map((node) => Buffer.from(node, 'hex')),
        body.root,
      ),
    ).toBe(true);
  });

  it('shows an entry only to those it concerns', async () => {
    const other = await t.as({ role: 'provider', org: OTHER_PROVIDER });
    const enterprise = await t.as({ role: 'enterprise', org: ENTERPRISE });
    const stranger = await t.as({ role: 'enterprise', org: OTHER_PROVIDER });
    expect((await other.get(`/v1/ledger/entries/${redemptionSeq}`)).status).toBe(404);
    expect((await stranger.get(`/v1/ledger/entries/${redemptionSeq}`)).status).toBe(404);
    // The enterprise is the redemption's beneficiary; the issuer covers its region.
    expect((await enterprise.get(`/v1/ledger/entries/${redemptionSeq}`)).status).toBe(200);
    expect((await t.issuer.get(`/v1/ledger/entries/${redemptionSeq}`)).body.hash).toBe(receipt.hash);
    // An issuer reads its own region's entries only, as everywhere in the API: not the cities' below the province.
    const province = await t.as({ role: 'issuer', region: '330000' });
    expect((await province.get(`/v1/ledger/entries/${redemptionSeq}`)).status).toBe(404);
    expect((await t.provider.get('/v1/ledger/entries/1')).status).toBe(404);
    const missing = await t.auditor.get('/v1/ledger/entries/999999');
    expect({ status: missing.status, field: missing.body.field }).toEqual({ status: 404, field: 'seq' });
    expect((await anonymous().get(`/v1/ledger/entries/${redemptionSeq}`)).status).toBe(401);
  });

  it('proves consistency between two public checkpoints, and serves each again by its tree size', async () => {
    const older = readCheckpointBody(readNote(await publicCheckpoint()).text);
    const s = scenario(t);
    await s.program();
    const newer = readCheckpointBody(readNote(await publicCheckpoint()).text);
    expect(newer.size).toBe(older.size + 1n);
    const proof = await publicGet(`/v1/public/proofs/consistency?from=${older.size}&to=${newer.size}`);
    expect(proof.status).toBe(200);
    expect(proof.headers['cache-control']).toBe('public, max-age=86400');
    const path = (proof.body.path as string[]).map((node) => Buffer.from(node, 'hex'));
    expect(verifyConsistency(older.size, newer.size, older.root, newer.root, path)).toBe(true);
    expect(verifyConsistency(older.size, newer.size, newer.root, newer.root, path)).toBe(false);

    const again = await publicGet(`/v1/public/checkpoints/${older.size}`);
    expect(again.status).toBe(200);
    expect(readCheckpointBody(readNote(again.text).text).root.equals(older.root)).toBe(true);
    const json = await publicGet(`/v1/public/checkpoints/${older.size}`, 'application/json');
    expect(json.body).toMatchObject({ treeSize: Number(older.size), rootHash: older.root.toString('hex'), origin: older.origin, note: again.text });
    expect((await publicGet('/v1/public/log-key', 'application/json')).body.verifierKey).toBe(json.body.verifierKey);
  });

  it('refuses a malformed or unknown leaf hash and a tree beyond the head, naming the field', async () => {
    const head = readCheckpointBody(readNote(await publicCheckpoint()).text).size;
    const bad = await publicGet(`/v1/public/proofs/inclusion?leafHash=ABC&treeSize=${head}`);
    expect({ status: bad.status, code: bad.body.code, field: bad.body.field }).toEqual({ status: 400, code: 'validation_failed', field: 'leafHash' });
    const unknown = await publicGet(`/v1/public/proofs/inclusion?leafHash=${'0'.repeat(64)}&treeSize=${head}`);
    expect({ status: unknown.status, code: unknown.body.code, field: unknown.body.field }).toEqual({ status: 404, code: 'not_found', field: 'leafHash' });
    const beyond = await publicGet(`/v1/public/proofs/consistency?from=1&to=${head + 5n}`);
    expect({ status: beyond.status, code: beyond.body.code, field: beyond.body.field }).toEqual({ status: 422, code: 'beyond_tree_head', field: 'to' });
    const unfinished = await publicGet('/v1/public/proofs/consistency?from=1');
    expect(unfinished.body.errors).toEqual([{ field: 'to', message: 'is required' }]);
    // A size not reached yet must not be remembered as refused once the log reaches it.
    expect(beyond.headers['cache-control']).toBe('no-store');
    // A leaf that only entered the tree later is not in an older one.
    const leaf = leafOfEntryHash(receipt.hash).toString('hex');
    const early = await publicGet(`/v1/public/proofs/inclusion?leafHash=${leaf}&treeSize=${receipt.seq - 1}`);
    expect(early.status).toBe(404);
    expect(early.headers['cache-control']).toBe('no-store');
    // A path under /v1/public/ that is no public route is an API path: a token is asked for.
    expect((await anonymous().get('/v1/public/ledger')).status).toBe(401);
    expect((await publicGet('/v1/public/checkpoints/999999')).status).toBe(404);
  });

  it('never answers an entry, nor any of its fields, on a public route', () => {
    expect(publicBodies.length).toBeGreaterThan(10);
    const everything = publicBodies.join('\n');
    for (const secret of [receipt.hash, PROVIDER, ENTERPRISE, '"data"', '"postings"', 'redemption.recorded', '1000.00'])
      expect(everything).not.toContain(secret);
  });
});

describe('the public rate limit', () => {
  it('answers 429 rate_limited with Retry-After once an address has made PUBLIC_RATE_LIMIT requests in a minute', async () => {
    const limited = await buildTestApp({ env: { PUBLIC_RATE_LIMIT: '3' } });
    try {
      for (let i = 0; i < 3; i++) expect((await request(limited.app).get('/v1/public/log-key')).status).toBe(200);
      const refused = await request(limited.app).get('/v1/public/proofs/consistency?from=1&to=1');
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 429, code: 'rate_limited' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      // The routes behind a token are not counted.
      expect((await limited.auditor.get('/v1/ledger?limit=1')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
