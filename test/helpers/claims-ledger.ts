import { expect } from 'vitest';
import { minimalPdf } from './documents.js';
import { ENTERPRISE, HANGZHOU, PROVIDER } from './fixtures.js';
import type { Client, TestApp } from './test-app.js';

/** Every instant below is 10:00 Asia/Shanghai on the day. */
export const at = (date: string) => `${date}T02:00:00.000Z`;

async function ok<T = Record<string, any>>(response: PromiseLike<{ status: number; body: unknown }>, status = 200): Promise<T> {
  const res = await response;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body as T;
}

let counter = 0;

/** Uploads a small PDF of its own as `client`: its SHA-256. */
export async function uploadPdf(client: Client, label: string): Promise<string> {
  const res = await client.post(`/v1/documents?name=${encodeURIComponent(`${label}.pdf`)}`, minimalPdf(`${label} ${++counter}`), {
    'Content-Type': 'application/pdf',
  });
  expect([200, 201], JSON.stringify(res.body)).toContain(res.status);
  return res.body.sha256 as string;
}

export interface ClaimParties {
  enterprise: Client;
  reviewer: Client;
}

/**
 * Claims through the real API (decision 0041), on programs at 30% for autonomous compute: a program whose claims
 * the enterprise confirms and the bureau reviews, one reviewed only, one confirmed only. Builders for a voucher
 * with its own contract, and for a claim with its two documents.
 */
export function claimsScenario(t: TestApp, parties: ClaimParties) {
  const program = (name: string, claims: Record<string, unknown>) =>
    ok<{ id: string }>(
      t.issuer.post('/v1/programs', {
        name,
        kind: 'compute',
        budget: '10000000.00',
        limits: { 'compute.autonomous': { rate: '0.30', annualCap: '5000000.00' } },
        claims,
      }),
      201,
    );
  return {
    program,
    /** A voucher of `amount` on the program and a contract of 5,000,000.00 for it, signed 2026-01-10. */
    async voucherWithContract(programId: string, amount = '500000.00') {
      const voucher = await ok<{ id: string }>(
        t.issuer.post('/v1/vouchers', {
          programId,
          beneficiary: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
          amount,
          expiresOn: '2026-12-31',
        }),
        201,
      );
      const contract = await ok<{ id: string }>(
        t.provider.post('/v1/contracts', {
          number: `HT-CLAIM-${++counter}`,
          beneficiaryUscc: ENTERPRISE,
          kind: 'compute',
          autonomous: true,
          amount: '5000000.00',
          signedOn: '2026-01-10',
        }),
        201,
      );
      return { voucher, contract };
    },
    /** The provider's claim with the contract and the invoice uploaded first. */
    async submit(voucherId: string, contractId: string, executedAmount: string, executedOn = '2026-02-27') {
      const documents = [await uploadPdf(t.provider, '合同'), await uploadPdf(t.provider, '发票')];
      return t.provider.post('/v1/redemptions', { voucherId, contractId, executedAmount, executedOn, invoiceNumber: `FP-${++counter}`, documents });
    },
    async confirm(id: string, paidAmount: string) {
      const proof = await uploadPdf(parties.enterprise, '付款凭证');
      return parties.enterprise.post(`/v1/redemptions/${id}/confirm`, { paidAmount, documents: [proof] });
    },
    review: (id: string, decision: 'approve' | 'reject' | 'return', reason = '材料齐全，核定') =>
      parties.reviewer.post(`/v1/redemptions/${id}/review`, { decision, reason }),
  };
}

/** The provider in Hangzhou's register with its bank account, as a payment batch needs it. */
export async function registerProvider(t: TestApp): Promise<void> {
  if ((await t.issuer.get(`/v1/providers/${PROVIDER}`)).status !== 404) return;
  await ok(
    t.issuer.post('/v1/providers', {
      uscc: PROVIDER,
      name: '杭州算力服务有限公司',
      bankAccount: { bankName: '中国工商银行杭州分行', accountName: '杭州算力服务有限公司', accountNumber: '1202020209900012345' },
      services: [{ code: 'GPU-A', name: '智算集群', kind: 'compute', autonomous: true }],
    }),
    201,
  );
}

/**
 * A ledger holding every kind of claim entry, for the verifier: approved after confirmation (800,000.00 paid of
 * 1,000,000.00 executed), rejected, disputed then resubmitted then withdrawn, returned then resubmitted and
 * approved, lapsed, and approved by confirmation alone on a program without review; the approved claims are put in
 * a payment batch. Starts at 2026-03-02 and leaves the clock at 2026-03-20.
 */
export async function buildClaimsLedger(t: TestApp) {
  const enterprise = await t.as({ sub: 'ent-finance', role: 'enterprise', org: ENTERPRISE });
  const reviewer = await t.as({ sub: 'hz-claims-officer', role: 'issuer', region: HANGZHOU });
  const s = claimsScenario(t, { enterprise, reviewer });
  t.clock.set(at('2026-03-02'));
  const reviewed = await s.program('核销审核算力券', { beneficiaryConfirmation: true, review: true });
  const confirmedOnly = await s.program('企业确认算力券', { beneficiaryConfirmation: true, review: false, confirmationDays: 5 });

  const a = await s.voucherWithContract(reviewed.id);
  const approved = await ok<{ id: string }>(s.submit(a.voucher.id, a.contract.id, '1000000.00'), 201);
  await ok(s.confirm(approved.id, '800000.00'));
  await ok(s.review(approved.id, 'approve'));

  const b = await s.voucherWithContract(reviewed.id);
  const rejected = await ok<{ id: string }>(s.submit(b.voucher.id, b.contract.id, '100000.00'), 201);
  await ok(s.confirm(rejected.id, '100000.00'));
  await ok(s.review(rejected.id, 'reject', '发票与合同不符'));

  const withdrawn = await ok<{ id: string }>(s.submit(b.voucher.id, b.contract.id, '20000.00'), 201);
  await ok(enterprise.post(`/v1/redemptions/${withdrawn.id}/dispute`, { reason: '未收到该批算力服务' }));
  await ok(
    t.provider.post(`/v1/redemptions/${withdrawn.id}/resubmit`, {
      documents: [await uploadPdf(t.provider, '补充合同'), await uploadPdf(t.provider, '更正发票')],
      note: '补充交付记录',
    }),
  );
  await ok(t.provider.post(`/v1/redemptions/${withdrawn.id}/withdraw`, { reason: '与企业协商后撤回' }));

  const c = await s.voucherWithContract(reviewed.id);
  const returned = await ok<{ id: string }>(s.submit(c.voucher.id, c.contract.id, '50000.00'), 201);
  await ok(s.confirm(returned.id, '50000.00'));
  await ok(s.review(returned.id, 'return', '缺少验收单'));
  await ok(
    t.provider.post(`/v1/redemptions/${returned.id}/resubmit`, {
      documents: [await uploadPdf(t.provider, '验收单'), await uploadPdf(t.provider, '发票')],
      note: '补验收单',
    }),
  );
  await ok(s.confirm(returned.id, '49999.99'));
  await ok(s.review(returned.id, 'approve'));

  const lapsed = await ok<{ id: string }>(s.submit(c.voucher.id, c.contract.id, '10000.00'), 201);

  const d = await s.voucherWithContract(confirmedOnly.id);
  const autoApproved = await ok<{ id: string }>(s.submit(d.voucher.id, d.contract.id, '30000.00'), 201);
  await ok(s.confirm(autoApproved.id, '30000.00'));

  // Past the lapsed claim's day (2026-03-12): the sweep releases it.
  t.clock.set(at('2026-03-20'));
  const sweep = await ok<{ lapsed: { redemptionId: string }[] }>(reviewer.post('/v1/redemptions/lapse-sweep', {}));
  expect(sweep.lapsed.map((claim) => claim.redemptionId)).toEqual([lapsed.id]);

  await registerProvider(t);
  const batch = await ok<{ id: string }>(t.issuer.post('/v1/payment-batches', { programId: reviewed.id, cutoff: '2026-03-20' }), 201);
  return {
    programs: { reviewed, confirmedOnly },
    claims: { approved, rejected, withdrawn, returned, lapsed, autoApproved },
    batch,
    enterprise,
    reviewer,
    provider: PROVIDER,
  };
}
