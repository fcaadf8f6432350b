// Oversight through the real API (decision 0042), for tests that need each of its entry types in a ledger: two
// programs closed at the end of their period, a listing and its delisting, a related-party group, and a spot check
// with a passed and a failed result. Every instant is 10:00 Asia/Shanghai.
import { expect } from 'vitest';
import { at, registerProvider } from './claims-ledger.js';
import { ENTERPRISE, HANGZHOU, OTHER_ENTERPRISE, OTHER_PROVIDER, PROVIDER, ZHEJIANG } from './fixtures.js';
import type { Client, TestApp } from './test-app.js';

export async function ok<T = Record<string, any>>(response: PromiseLike<{ status: number; body: unknown }>, status = 200): Promise<T> {
  const res = await response;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body as T;
}

let counter = 0;

/** Builders on programs at 30% for autonomous compute, issued by Hangzhou. */
export function oversightScenario(t: TestApp) {
  const program = (name: string, terms: Record<string, unknown> = {}) =>
    ok<{ id: string }>(
      t.issuer.post('/v1/programs', {
        name,
        kind: 'compute',
        budget: '200000.00',
        limits: { 'compute.autonomous': { rate: '0.30' } },
        ...terms,
      }),
      201,
    );
  const voucher = (programId: string, amount: string, expiresOn = '2026-03-31', uscc = ENTERPRISE) =>
    ok<{ id: string }>(t.issuer.post('/v1/vouchers', { programId, beneficiary: { uscc, name: '杭州深算科技有限公司' }, amount, expiresOn }), 201);
  const contract = (provider: Client = t.provider, beneficiaryUscc = ENTERPRISE, amount = '5000000.00') =>
    ok<{ id: string }>(
      provider.post('/v1/contracts', {
        number: `HT-OVS-${++counter}`,
        beneficiaryUscc,
        kind: 'compute',
        autonomous: true,
        amount,
        signedOn: '2026-01-10',
      }),
      201,
    );
  const redeem = (voucherId: string, contractId: string, executedAmount: string, provider: Client = t.provider, invoiceNumber = `FP-OVS-${++counter}`) =>
    provider.post('/v1/redemptions', { voucherId, contractId, executedAmount, executedOn: '2026-02-27', invoiceNumber });
  return { program, voucher, contract, redeem };
}

/** Hangzhou and the province funding a program in these ratios, Hangzhou listed first. */
export const hangzhouAndProvince = (own: string, province: string) => [
  { region: HANGZHOU, ratio: own },
  { region: ZHEJIANG, ratio: province },
];

/**
 * A: 100,000.01 co-funded 0.6 by Hangzhou and 0.4 by the province (confirmed), closed on its closesOn 2026-03-31
 * with nothing spent: 60,000.01 and 40,000.00 go back. B: 200,000.00 with a voucher of 5,000.00 of which 1,200.00
 * was redeemed (4,000.00 at 30%), closed the same day: 3,800.00 comes back from the voucher and 198,800.00 goes to
 * Hangzhou; B's 1,200.00 is paid in a batch after the close. C: open-ended, 20 redemptions of 100.00 (30.00 each),
 * sampled at 0.25 with seed "2026-Q1" (5 drawn), one passed and one failed. The province lists OTHER_ENTERPRISE on
 * 2026-03-02 and delists it on 2026-03-20; Hangzhou declares OTHER_PROVIDER and OTHER_ENTERPRISE related. Starts at
 * 2026-03-02 and leaves the clock at 2026-04-01.
 */
export async function buildOversightLedger(t: TestApp) {
  const s = oversightScenario(t);
  const province = await t.as({ sub: 'zj-finance', role: 'issuer', region: ZHEJIANG });
  const auditor = await t.as({ sub: 'zj-audit', role: 'auditor', region: ZHEJIANG });
  t.clock.set(at('2026-03-02'));

  const listing = await ok<{ id: string }>(
    province.post('/v1/watchlist', {
      uscc: OTHER_ENTERPRISE,
      name: '杭州失信示例有限公司',
      reason: '拖欠税款被列入严重失信主体名单',
      source: '信用中国 严重失信主体名单',
      listedOn: '2026-02-15',
    }),
    201,
  );
  const group = await ok<{ id: string }>(
    t.issuer.post('/v1/related-parties', { usccs: [OTHER_PROVIDER, OTHER_ENTERPRISE], relation: 'shareholding', reason: '服务商持有企业 60% 股权' }),
    201,
  );

  const a = await s.program('2026年一季度算力券（省市共担）', {
    budget: '100000.01',
    funding: hangzhouAndProvince('0.6', '0.4'),
    fiscalYear: 2026,
    closesOn: '2026-03-31',
  });
  await ok(province.post(`/v1/programs/${a.id}/funding/${ZHEJIANG}/confirm`, {}));

  const b = await s.program('2026年一季度算力券', { fiscalYear: 2026, closesOn: '2026-03-31' });
  const bVoucher = await s.voucher(b.id, '5000.00');
  const bContract = await s.contract();
  const spent = await ok<{ id: string; subsidy: string }>(s.redeem(bVoucher.id, bContract.id, '4000.00', t.provider, '26330000000000000001'), 201);
  expect(spent.subsidy).toBe('1200.00');

  const c = await s.program('常年算力券');
  const cVoucher = await s.voucher(c.id, '50000.00', '2026-12-31');
  const cContract = await s.contract();
  const redemptions: string[] = [];
  for (let i = 0; i < 20; i++) redemptions.push((await ok<{ id: string }>(s.redeem(cVoucher.id, cContract.id, '100.00'), 201)).id);
  const spotCheck = await ok<{ id: string; items: { redemptionId: string }[] }>(
    auditor.post(`/v1/programs/${c.id}/spot-checks`, { rate: '0.25', seed: '2026-Q1' }),
    201,
  );
  expect(spotCheck.items).toHaveLength(5);
  const [passed, failed] = spotCheck.items.map((item) => item.redemptionId);
  await ok(auditor.post(`/v1/spot-checks/${spotCheck.id}/results`, { redemptionId: passed, outcome: 'passed', reason: '合同、发票、付款凭证一致' }));
  await ok(t.issuer.post(`/v1/spot-checks/${spotCheck.id}/results`, { redemptionId: failed, outcome: 'failed', reason: '发票金额与付款凭证不符' }));

  t.clock.set(at('2026-03-20'));
  await ok(province.post(`/v1/watchlist/${OTHER_ENTERPRISE}/delist`, { reason: '已履行，信用修复' }));

  t.clock.set(at('2026-03-31'));
  const closeA = await ok<Record<string, any>>(t.issuer.post(`/v1/programs/${a.id}/close`, {}));
  const closeB = await ok<Record<string, any>>(t.issuer.post(`/v1/programs/${b.id}/close`, {}));

  t.clock.set(at('2026-04-01'));
  await registerProvider(t);
  const batch = await ok<{ id: string }>(t.issuer.post('/v1/payment-batches', { programId: b.id, cutoff: '2026-03-31' }), 201);
  return {
    programs: { a, b, c },
    closes: { a: closeA, b: closeB },
    voucher: bVoucher,
    redemptions,
    spotCheck: { id: spotCheck.id, drawn: spotCheck.items.map((item) => item.redemptionId), passed: passed!, failed: failed! },
    listing,
    group,
    batch,
    provider: PROVIDER,
  };
}
