// The typed client (src/client): its generated types are those of the current document, it sends the bearer
// token, an Idempotency-Key on every write unless the call sets one, and throws problems as ProblemError.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateClientTypes, SCHEMA_FILE } from '../../src/client/generate.js';
import { createVoucherLedgerClient, ok, ProblemError } from '../../src/client/index.js';
import { ENTERPRISE, HANGZHOU, PROVIDER } from '../helpers/fixtures.js';
import { buildTestApp, mintToken, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let server: Server;
let baseUrl: string;
beforeEach(async () => {
  t = await buildTestApp();
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

/** A fetch that records the headers of every request it sends. */
function recordingFetch() {
  const sent: { method: string; url: string; headers: Headers }[] = [];
  const fetchAndRecord: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    sent.push({ method: request.method, url: request.url, headers: request.headers });
    return fetch(request);
  };
  return { sent, fetch: fetchAndRecord };
}

describe('the generated client types', () => {
  it('are those of the current OpenAPI document (npm run client:generate after changing an API schema)', async () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8'), 'src/client/schema.d.ts is stale: run npm run client:generate').toBe(await generateClientTypes());
  });
});

describe('the client', () => {
  it('sends the token, a fresh Idempotency-Key on each write and none on reads; a key the call sets replays the first answer', async () => {
    const recorder = recordingFetch();
    const issuer = createVoucherLedgerClient({ baseUrl, token: await mintToken({ role: 'issuer', region: HANGZHOU }), fetch: recorder.fetch });
    const first = ok(await issuer.POST('/v1/programs', { body: { name: '杭州算力券', kind: 'compute', budget: '1000.00' } }));
    const second = ok(await issuer.POST('/v1/programs', { body: { name: '杭州算力券', kind: 'compute', budget: '1000.00' } }));
    expect(first.id).not.toBe(second.id);
    const [a, b] = recorder.sent.map((r) => r.headers.get('idempotency-key'));
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(b).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
    expect(recorder.sent[0]!.headers.get('authorization')).toMatch(/^Bearer ey/);

    const body = { programId: first.id, beneficiary: { uscc: ENTERPRISE, name: '示例' }, amount: '600.00', expiresOn: '2026-12-31' };
    const issued = await issuer.POST('/v1/vouchers', { params: { header: { 'Idempotency-Key': 'voucher-2025-001' } }, body });
    const again = await issuer.POST('/v1/vouchers', { params: { header: { 'Idempotency-Key': 'voucher-2025-001' } }, body });
    expect(ok(again).id).toBe(ok(issued).id);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(recorder.sent.at(-1)!.headers.get('idempotency-key')).toBe('voucher-2025-001');

    const read = ok(await issuer.GET('/v1/programs/{id}', { params: { path: { id: first.id } } }));
    expect(read).toMatchObject({ id: first.id, budget: '1000.00', available: '400.00' });
    expect(recorder.sent.at(-1)!.headers.get('idempotency-key')).toBeNull();
    const page = ok(await issuer.GET('/v1/vouchers', { params: { query: { programId: first.id, limit: 10 } } }));
    expect(page.items.map((v) => v.id)).toEqual([ok(issued).id]);
  });

  it('throws problems as ProblemError with status, code and field, in Chinese when asked', async () => {
    const provider = createVoucherLedgerClient({ baseUrl, token: await mintToken({ role: 'provider', org: PROVIDER }) });
    const refused = provider.POST('/v1/programs', { body: { name: 'x', kind: 'compute', budget: '1.00' } });
    await expect(refused).rejects.toBeInstanceOf(ProblemError);
    await expect(refused).rejects.toMatchObject({ status: 403, code: 'forbidden' });

    const chinese = createVoucherLedgerClient({ baseUrl, token: await mintToken({ role: 'issuer', region: HANGZHOU }), acceptLanguage: 'zh' });
    const invalid = await chinese.POST('/v1/programs', { body: { name: '', kind: 'compute', budget: '1.00' } }).catch((err: unknown) => err);
    expect(invalid).toMatchObject({ status: 400, code: 'validation_failed', field: 'name', problem: { title: '请求参数无效' } });

    const anonymous = createVoucherLedgerClient({ baseUrl, token: 'not-a-jwt' });
    await expect(anonymous.GET('/v1/redemptions', {})).rejects.toMatchObject({ status: 401, code: 'invalid_token' });
  });
});
