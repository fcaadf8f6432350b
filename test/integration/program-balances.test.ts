// GET /v1/programs/:id/balances: where a co-funded program's money is, now and at the end of each
// Asia/Shanghai day, with worked numbers (non-autonomous compute at 10%, funded 0.6 by Hangzhou and 0.4 by the province).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HANGZHOU, NINGBO, PROVIDER, ZHEJIANG } from '../helpers/fixtures.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp({ now: '2025-12-15T04:00:00Z' }); // 12:00 in Shanghai
});
afterEach(() => t.close());

/** No program here takes claims (decision 0041): nothing is ever reserved. */
const position = (funded: string, available: string, onVouchers: string, owedToProviders: string, paid: string) => ({
  funded,
  available,
  onVouchers,
  reserved: '0.00',
  owedToProviders,
  paid,
});

describe("a program's balances over time", () => {
  it('follows funding, issuance, a redemption, payment and a clawback day by day; each figure adds up to funded', async () => {
    const s = scenario(t);
    const province = await t.as({ role: 'issuer', region: ZHEJIANG });
    const checker = await t.as({ role: 'issuer', region: HANGZHOU, sub: 'checker-hz' });
    const program = await s.program({
      budget: '1000000.00',
      funding: [
        { region: HANGZHOU, ratio: '0.6' },
        { region: ZHEJIANG, ratio: '0.4' },
      ],
    });
    // Before the province confirms, only Hangzhou's 600,000.00 is in the program.
    const early = await t.issuer.get(`/v1/programs/${program.id}/balances`);
    expect(early.status, JSON.stringify(early.body)).toBe(200);
    expect(early.body.current).toEqual(position('600000.00', '600000.00', '0.00', '0.00', '0.00'));

    expect((await province.post(`/v1/programs/${program.id}/funding/${ZHEJIANG}/confirm`)).status).toBe(200);
    const voucher = await s.voucher(program.id, { amount: '500000.00' });

    // 23:59 on the 15th in Shanghai (15:59 UTC) is still the 15th ...
    t.clock.set('2025-12-15T15:59:00Z');
    const contract = await s.contract();
    const redemption = await s.redeem(voucher.id, contract.id, '1000.10');
    expect(redemption.body.subsidy).toBe('100.01');

    // ... and 00:30 on the 16th (16:30 UTC on the 15th) is the next day: the batch is approved and paid.
    t.clock.set('2025-12-15T16:30:00Z');
    await t.issuer.post('/v1/providers', {
      uscc: PROVIDER,
      name: '杭州算力服务有限公司',
      bankAccount: { bankName: '中国工商银行杭州分行', accountName: '杭州算力服务有限公司', accountNumber: '1202020209900012345' },
      services: [{ code: 'GPU-A', name: '智算集群', kind: 'compute', autonomous: false }],
    });
    const batch = await t.issuer.post('/v1/payment-batches', { programId: program.id, cutoff: '2025-12-16' });
    expect(batch.status, JSON.stringify(batch.body)).toBe(201);
    expect((await checker.post(`/v1/payment-batches/${batch.body.id}/approve`)).status).toBe(200);
    const paid = await t.issuer.post(`/v1/payment-batches/${batch.body.id}/lines/${batch.body.lines[0].id}/paid`, {
      bankReference: 'ICBC-0001',
      paidOn: '2025-12-16',
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);

    // Two days later the provider reverses half the execution: 50.00 goes back to the voucher and is owed back.
    t.clock.set('2025-12-18T02:00:00Z');
    const reversal = await t.provider.post(`/v1/redemptions/${redemption.body.id}/reversals`, { executedAmount: '500.00', reason: '服务未交付部分' });
    expect(reversal.status, JSON.stringify(reversal.body)).toBe(201);
    expect(reversal.body.clawback).toBe('50.00');

    const res = await t.issuer.get(`/v1/programs/${program.id}/balances`);
    expect(res.status).toBe(200);
    expect(res.body.programId).toBe(program.id);
    expect(res.body.daily).toEqual([
      { date: '2025-12-15', ...position('1000000.00', '500000.00', '499899.99', '100.01', '0.00') },
      { date: '2025-12-16', ...position('1000000.00', '500000.00', '499899.99', '0.00', '100.01') },
      { date: '2025-12-18', ...position('1000000.00', '500000.00', '499949.99', '-50.00', '100.01') },
    ]);
    const { date: _lastDay, ...lastDay } = res.body.daily.at(-1);
    expect(res.body.current).toEqual(lastDay);
    expect(res.body.entryCounts).toEqual([
      { type: 'payment.approved', count: 1 },
      { type: 'payment.disbursed', count: 1 },
      { type: 'program.funded', count: 2 },
      { type: 'redemption.recorded', count: 1 },
      { type: 'redemption.reversed', count: 1 },
      { type: 'voucher.issued', count: 1 },
    ]);
    // The figures are the ledger's: the head it read at, and the program account's materialised balance.
    const head = (await t.auditor.get('/v1/ledger/checkpoint')).body.checkpoint.seq;
    expect(res.body.throughSeq).toBe(head);
    expect((await t.issuer.get(`/v1/programs/${program.id}`)).body.available).toBe(res.body.current.available);

    // The co-funding province and a covering auditor read it too; another city's issuer and providers do not.
    expect((await province.get(`/v1/programs/${program.id}/balances`)).body.current).toEqual(res.body.current);
    expect((await t.auditor.get(`/v1/programs/${program.id}/balances`)).body.daily).toEqual(res.body.daily);
    const ningbo = await t.as({ role: 'issuer', region: NINGBO });
    expect((await ningbo.get(`/v1/programs/${program.id}/balances`)).status).toBe(403);
    expect((await t.provider.get(`/v1/programs/${program.id}/balances`)).status).toBe(403);
  });

  it('answers an empty history for a program without entries of another program, and 404 for an unknown one', async () => {
    const s = scenario(t);
    const first = await s.program({ budget: '300.00' });
    const second = await s.program({ budget: '200.00' });
    const res = await t.issuer.get(`/v1/programs/${second.id}/balances`);
    expect(res.body.current).toEqual(position('200.00', '200.00', '0.00', '0.00', '0.00'));
    expect(res.body.daily).toEqual([{ date: '2025-12-15', ...position('200.00', '200.00', '0.00', '0.00', '0.00') }]);
    expect(res.body.entryCounts).toEqual([{ type: 'program.funded', count: 1 }]);
    expect((await t.issuer.get(`/v1/programs/${first.id}/balances`)).body.current.funded).toBe('300.00');
    const missing = await t.issuer.get('/v1/programs/no-such-program/balances');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
  });
});
