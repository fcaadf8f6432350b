import { expect } from 'vitest';
import { OTHER_ENTERPRISE } from './fixtures.js';
import { scenario } from './scenario.js';
import type { TestApp } from './test-app.js';

/**
 * A small but complete ledger through the real API: two regions, every entry type, caps that bite,
 * a zero subsidy, reversals back to a voucher and to a program, an expiry sweep across days.
 */
export async function buildSampleLedger(t: TestApp) {
  const s = scenario(t);
  const ningbo = await t.as({ role: 'issuer', region: '330200' });
  const hz = await s.ready({ voucher: { amount: '9000000.00' } });
  const r1 = await s.redeem(hz.voucher.id, hz.contract.id, '30000000.00');
  const r2 = await s.redeem(hz.voucher.id, hz.contract.id, '60000000.00');
  await s.redeem(hz.voucher.id, hz.contract.id, '1000000.00');
  await t.provider.post(`/v1/redemptions/${r1.body.id}/reversals`, { executedAmount: '333.33', reason: '红字发票 credit note, "partial"' });
  t.clock.set('2025-12-16T04:00:00Z');
  const corpus = await s.program({ kind: 'corpus', limits: { corpus: { rate: '0.25', annualCap: '1500000.00' } } }, ningbo);
  const corpusVoucher = await s.voucher(
    corpus.id,
    { amount: '3000000.00', beneficiary: { uscc: OTHER_ENTERPRISE, name: '宁波语料数据有限公司' }, expiresOn: '2025-12-20' },
    ningbo,
  );
  const corpusContract = await s.contract({ kind: 'corpus', autonomous: undefined, beneficiaryUscc: OTHER_ENTERPRISE });
  const r3 = await s.redeem(corpusVoucher.id, corpusContract.id, '7000000.00', { executedOn: '2025-12-16' });
  expect(r3.body).toMatchObject({ subsidy: '1500000.00', limitedBy: 'program_cap' });
  const revoked = await s.voucher(hz.program.id, { amount: '100.00' });
  await t.issuer.post(`/v1/vouchers/${revoked.id}/revoke`, { reason: 'duplicate grant' });
  t.clock.set('2025-12-21T04:00:00Z');
  await ningbo.post('/v1/vouchers/expiry-sweep');
  await ningbo.post(`/v1/redemptions/${r3.body.id}/reversals`, { executedAmount: '1000000.00', reason: 'refund after expiry' });
  await t.provider.post(`/v1/redemptions/${r2.body.id}/reversals`, { executedAmount: '60000000.00', reason: 'contract cancelled' });
  return { hz, corpus, corpusVoucher };
}

/**
 * The sample ledger and, after it, what the rewrite tests need besides: a contract redeemed twice through one
 * voucher while another voucher of the same beneficiary is active, and a voucher redeemed on a day after it
 * was issued (2025-12-21, redeemed 2025-12-23 for an execution on 2025-12-22).
 */
export async function buildRewriteLedger(t: TestApp) {
  const sample = await buildSampleLedger(t);
  const s = scenario(t);
  const spare = await s.voucher(sample.hz.program.id, { amount: '1000000.00' });
  const twice = await s.contract({ autonomous: true });
  for (const executed of ['1000.00', '2000.00']) {
    const res = await s.redeem(sample.hz.voucher.id, twice.id, executed, { executedOn: '2025-12-21' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  const later = await s.voucher(sample.hz.program.id, { amount: '1000000.00', expiresOn: '2026-06-30' });
  t.clock.set('2025-12-23T04:00:00Z');
  const laterContract = await s.contract({ autonomous: true });
  const res = await s.redeem(later.id, laterContract.id, '1000.00', { executedOn: '2025-12-22' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { ...sample, spare, twice, later, laterContract };
}
