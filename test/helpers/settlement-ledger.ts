import { expect } from 'vitest';
import { HANGZHOU, PROVIDER, ZHEJIANG } from './fixtures.js';
import { scenario } from './scenario.js';
import type { TestApp } from './test-app.js';

async function ok<T = Record<string, unknown>>(response: PromiseLike<{ status: number; body: unknown }>, status = 200): Promise<T> {
  const res = await response;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body as T;
}

/**
 * Settlement through the real API, after whatever the ledger already holds: a program co-funded 0.6 by Hangzhou and
 * 0.4 by the province with a budget increase, a redemption of 1,000.10 (subsidy 100.01), a batch approved by a second issuer and paid
 * (60.01 / 40.00), a reversal of 500.00 after payment (clawback 50.00, a receivable) and a recovery of 20.01.
 */
export async function buildSettlementLedger(t: TestApp) {
  const s = scenario(t);
  const province = await t.as({ role: 'issuer', region: ZHEJIANG });
  const checker = await t.as({ role: 'issuer', region: HANGZHOU, sub: 'checker-hz' });
  const program = await s.program({
    name: '杭州·省市共担算力券',
    funding: [
      { region: HANGZHOU, ratio: '0.6' },
      { region: ZHEJIANG, ratio: '0.4' },
    ],
    budget: '1000000.00',
  });
  await ok(province.post(`/v1/programs/${program.id}/funding/${ZHEJIANG}/confirm`));
  // A budget increase split 0.6 / 0.4 (the province's share pending its confirmation).
  await ok(t.issuer.post(`/v1/programs/${program.id}/budget-changes`, { amount: '1000.01', direction: 'increase', reason: '追加预算' }), 201);
  const voucher = await s.voucher(program.id, { amount: '500000.00' });
  if ((await t.issuer.get(`/v1/providers/${PROVIDER}`)).status === 404)
    await ok(
      t.issuer.post('/v1/providers', {
        uscc: PROVIDER,
        name: '杭州算力服务有限公司',
        bankAccount: { bankName: '中国工商银行杭州分行', accountName: '杭州算力服务有限公司', accountNumber: '1202020209900012345' },
        services: [{ code: 'GPU-A', name: '智算集群', kind: 'compute', autonomous: false }],
      }),
      201,
    );
  const contract = await s.contract();
  const redemption = await ok<{ id: string }>(s.redeem(voucher.id, contract.id, '1000.10', { executedOn: t.clock.now().toISOString().slice(0, 10) }), 201);
  const batch = await ok<{ id: string; lines: { id: string }[] }>(
    t.issuer.post('/v1/payment-batches', { programId: program.id, cutoff: t.clock.now().toISOString().slice(0, 10) }),
    201,
  );
  await ok(checker.post(`/v1/payment-batches/${batch.id}/approve`));
  const paidOn = t.clock.now().toISOString().slice(0, 10);
  await ok(t.issuer.post(`/v1/payment-batches/${batch.id}/lines/${batch.lines[0]!.id}/paid`, { bankReference: 'ICBC-0001', paidOn }));
  await ok(t.provider.post(`/v1/redemptions/${redemption.id}/reversals`, { executedAmount: '500.00', reason: '部分未交付' }), 201);
  await ok(
    t.issuer.post(`/v1/providers/${PROVIDER}/recoveries`, { programId: program.id, amount: '20.01', bankReference: 'RET-0001', receivedOn: paidOn }),
    201,
  );
  return { program, voucher, contract, redemption, batch };
}
