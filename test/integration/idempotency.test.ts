import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEntries } from '../../src/ledger/ledger.reader.js';
import { snapshot } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

describe('Idempotency-Key', () => {
  it('the same key and body replays the original status and body and writes nothing', async () => {
    const { voucher, contract } = await scenario(t).ready();
    const body = { voucherId: voucher.id, contractId: contract.id, executedAmount: '1000.00', executedOn: '2025-12-01', invoiceNumber: 'INV-1' };
    const first = await t.provider.post('/v1/redemptions', body, { 'Idempotency-Key': 'redeem-1' });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const before = await snapshot(t.db);
    const replay = await t.provider.post('/v1/redemptions', body, { 'Idempotency-Key': 'redeem-1' });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await snapshot(t.db)).toBe(before);
  });

  it('the same key with a different body is idempotency_conflict', async () => {
    await t.issuer.post('/v1/programs', { name: 'a', kind: 'model', budget: '1.00' }, { 'Idempotency-Key': 'k' });
    const res = await t.issuer.post('/v1/programs', { name: 'b', kind: 'model', budget: '1.00' }, { 'Idempotency-Key': 'k' });
    expect(res).toMatchObject({ status: 409, body: { code: 'idempotency_conflict' } });
    expect(await readEntries(t.db, {}, 10)).toHaveLength(1);
  });

  it('keys are scoped to the caller: another subject may use the same key', async () => {
    const other = await t.as({ sub: 'someone-else', role: 'issuer', region: '330100' });
    await t.issuer.post('/v1/programs', { name: 'a', kind: 'model', budget: '1.00' }, { 'Idempotency-Key': 'shared' });
    const res = await other.post('/v1/programs', { name: 'a', kind: 'model', budget: '1.00' }, { 'Idempotency-Key': 'shared' });
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(await readEntries(t.db, {}, 10)).toHaveLength(2);
  });

  it('a failed request is not remembered, so a corrected retry with the same key succeeds', async () => {
    const program = await t.issuer.post('/v1/programs', { name: 'a', kind: 'model', budget: '10.00' });
    const body = (amount: string) => ({ programId: program.body.id, beneficiary: { uscc: '91330100799655058B', name: 'a' }, amount, expiresOn: '2026-01-01' });
    expect((await t.issuer.post('/v1/vouchers', body('11.00'), { 'Idempotency-Key': 'v' })).status).toBe(422);
    expect((await t.issuer.post('/v1/vouchers', body('11.00'), { 'Idempotency-Key': 'v' })).status).toBe(422);
    const corrected = await t.issuer.post('/v1/vouchers', body('10.00'), { 'Idempotency-Key': 'v' });
    expect(corrected.status).toBe(201);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
    expect(await readEntries(t.db, {}, 10)).toHaveLength(2);
  });

  it('keys belong to the whole identity: an issuer of another region with the same sub gets no replay of 330100', async () => {
    const hangzhou = await t.as({ sub: 'shared-sub', role: 'issuer', region: '330100' });
    const ningbo = await t.as({ sub: 'shared-sub', role: 'issuer', region: '330200' });
    const body = { name: 'same', kind: 'model', budget: '1.00' };
    const first = await hangzhou.post('/v1/programs', body, { 'Idempotency-Key': 'k' });
    const second = await ningbo.post('/v1/programs', body, { 'Idempotency-Key': 'k' });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.body).toMatchObject({ region: '330200' });
    expect(second.body.id).not.toBe(first.body.id);
  });

  it('a replay is only for a caller authorised for the request: another region is refused, not replayed', async () => {
    const program = await t.issuer.post('/v1/programs', { name: 'p', kind: 'model', budget: '10.00' });
    const body = { programId: program.body.id, beneficiary: { uscc: '91330100799655058B', name: 'a' }, amount: '1.00', expiresOn: '2026-01-01' };
    expect((await t.issuer.post('/v1/vouchers', body, { 'Idempotency-Key': 'v' })).status).toBe(201);
    const ningbo = await t.as({ sub: 'issuer-330100', role: 'issuer', region: '330200' });
    expect((await ningbo.post('/v1/vouchers', body, { 'Idempotency-Key': 'v' })).body).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('the same key sent several times at the same moment writes once; the others replay it', async () => {
    const body = { name: 'once', kind: 'model', budget: '1.00' };
    const responses = await Promise.all(Array.from({ length: 6 }, () => t.issuer.post('/v1/programs', body, { 'Idempotency-Key': 'burst' })));
    expect(responses.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(responses.filter((r) => r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await readEntries(t.db, {}, 10)).toHaveLength(1);
  });

  it('a key is kept for the retention (30 days by default) and then removed by the sweep', async () => {
    const body = (name: string) => ({ name, kind: 'model', budget: '1.00' });
    expect((await t.issuer.post('/v1/programs', body('a'), { 'Idempotency-Key': 'old' })).status).toBe(201);
    t.clock.set('2026-01-13T04:00:00Z'); // 29 days later: still replayed, still a conflict with another body
    expect((await t.issuer.post('/v1/programs', body('b'), { 'Idempotency-Key': 'old' })).body.code).toBe('idempotency_conflict');
    t.clock.set('2026-01-14T04:00:01Z'); // past 30 days: the key is free again
    const reused = await t.issuer.post('/v1/programs', body('b'), { 'Idempotency-Key': 'old' });
    expect(reused.status).toBe(201);
    expect(reused.headers['idempotent-replayed']).toBeUndefined();
    t.clock.set('2026-01-20T04:00:00Z');
    expect((await t.issuer.post('/v1/programs', body('c'), { 'Idempotency-Key': 'other' })).status).toBe(201);
    t.clock.set('2026-02-14T00:00:00Z'); // over 30 days after 'old' was reused, under 30 after 'other'
    expect(await t.unitOfWork.purgeExpiredKeys()).toBe(1);
    expect((await t.db.selectFrom('idempotency_keys').select('key').execute()).map((row) => row.key)).toEqual(['other']);
  });

  it('a malformed key is a 400 naming the header', async () => {
    const res = await t.issuer.post('/v1/programs', { name: 'a', kind: 'model', budget: '1.00' }, { 'Idempotency-Key': 'x'.repeat(256) });
    expect(res.body).toMatchObject({ status: 400, field: 'Idempotency-Key' });
  });
});
