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
    expect((await t.issuer.post('/v1/vouchers', body('10.00'), { 'Idempotency-Key': 'v2' })).status).toBe(201);
  });

  it('a malformed key is a 400 naming the header', async () => {
    const res = await t.issuer.post('/v1/programs', { name: 'a', kind: 'model', budget: '1.00' }, { 'Idempotency-Key': 'x'.repeat(256) });
    expect(res.body).toMatchObject({ status: 400, field: 'Idempotency-Key' });
  });
});
