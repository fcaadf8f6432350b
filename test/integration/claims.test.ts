// Claims (decision 0041): on a program that takes them a redemption reserves its subsidy; the enterprise confirms
// what it paid, the bureau reviews, and only approval makes anything owed. Worked figures at 30% (autonomous
// compute, the program's annual cap 5,000,000.00); every instant is 10:00 Asia/Shanghai.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerification } from '../../src/verifier/run.js';
import { at, claimsScenario, registerProvider, uploadPdf } from '../helpers/claims-ledger.js';
import { ENTERPRISE, HANGZHOU, NINGBO, OTHER_ENTERPRISE, ZHEJIANG } from '../helpers/fixtures.js';
import { expectLedgerInvariants, snapshot } from '../helpers/ledger-checks.js';
import { buildTestApp, type Client, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let enterprise: Client;
let reviewer: Client;
let s: ReturnType<typeof claimsScenario>;
let reviewed: { id: string };
let reviewOnly: { id: string };

const usageOf = async (programId: string) => {
  const res = await enterprise.get(`/v1/beneficiaries/${ENTERPRISE}/usage?year=2026`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.programs as { programId: string; buckets: Record<string, Record<string, string>> }[]).find((p) => p.programId === programId)?.buckets[
    'compute.autonomous'
  ];
};
const balanceOf = async (voucherId: string) => (await t.issuer.get(`/v1/vouchers/${voucherId}`)).body.balance as string;
const owedIn = async (programId: string) => (await t.issuer.get(`/v1/programs/${programId}/balances`)).body.current as Record<string, string>;

beforeAll(async () => {
  t = await buildTestApp({ now: at('2026-03-02') });
  enterprise = await t.as({ sub: 'ent-finance', role: 'enterprise', org: ENTERPRISE });
  reviewer = await t.as({ sub: 'hz-claims-officer', role: 'issuer', region: HANGZHOU });
  s = claimsScenario(t, { enterprise, reviewer });
  reviewed = await s.program('核销审核算力券', { beneficiaryConfirmation: true, review: true });
  reviewOnly = await s.program('仅审核算力券', { review: true });
  await registerProvider(t);
});
afterAll(() => t.close());

describe('a claim of 1,000,000.00 executed at 30%', () => {
  it('reserves 300,000.00 of the voucher and the annual cap, owes nothing, and is due for confirmation in 10 days', async () => {
    t.clock.set(at('2026-03-02'));
    const { voucher, contract } = await s.voucherWithContract(reviewed.id);
    const res = await s.submit(voucher.id, contract.id, '1000000.00');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ status: 'awaiting_confirmation', subsidy: '300000.00', voucherBalance: '200000.00' });
    expect(await balanceOf(voucher.id)).toBe('200000.00');
    expect(await usageOf(reviewed.id)).toEqual({ granted: '0.00', reserved: '300000.00', annualCap: '5000000.00', remaining: '4700000.00' });
    expect(await owedIn(reviewed.id)).toMatchObject({ reserved: '300000.00', owedToProviders: '0.00' });
    const claim = await t.provider.get(`/v1/redemptions/${res.body.id}`);
    expect(claim.body.claim).toMatchObject({
      executedAmount: '1000000.00',
      reserved: '300000.00',
      paidAmount: null,
      confirmationDueOn: '2026-03-12',
      beneficiaryConfirmation: true,
      review: true,
    });
    expect(claim.body.claim.documents.map((d: { from: string }) => d.from)).toEqual(['provider', 'provider']);
  });

  it('rejected, gives the voucher balance and the cap back exactly and owes nothing', async () => {
    t.clock.set(at('2026-03-02'));
    const { voucher, contract } = await s.voucherWithContract(reviewOnly.id);
    const before = await usageOf(reviewOnly.id);
    const claim = await s.submit(voucher.id, contract.id, '1000000.00');
    expect(claim.body).toMatchObject({ status: 'awaiting_review', subsidy: '300000.00', voucherBalance: '200000.00' });
    expect((await usageOf(reviewOnly.id))!.reserved).toBe('300000.00');
    const rejected = await s.review(claim.body.id, 'reject', '执行记录与发票不符');
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', subsidy: '0.00', claim: { reserved: '0.00', released: '300000.00', approved: null } });
    expect(await balanceOf(voucher.id)).toBe('500000.00');
    expect(await usageOf(reviewOnly.id)).toEqual(before ?? { granted: '0.00', reserved: '0.00', annualCap: '5000000.00', remaining: '5000000.00' });
    expect(await owedIn(reviewOnly.id)).toMatchObject({ reserved: '0.00', owedToProviders: '0.00' });
    // A rejected claim is final: it is not reviewed again, and its invoice stays used.
    expect((await s.review(claim.body.id, 'approve')).body.code).toBe('invalid_transition');
  });

  it('confirmed with 800,000.00 paid and approved, owes 240,000.00 and releases 60,000.00; only then does it enter a payment batch', async () => {
    t.clock.set(at('2026-03-02'));
    const { voucher, contract } = await s.voucherWithContract(reviewed.id);
    const claim = await s.submit(voucher.id, contract.id, '1000000.00');
    const id = claim.body.id as string;
    t.clock.set(at('2026-03-12'));
    const confirmed = await s.confirm(id, '800000.00');
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'awaiting_review', claim: { paidAmount: '800000.00', reserved: '300000.00' } });
    expect(confirmed.body.claim.documents.map((d: { from: string }) => d.from)).toEqual(['provider', 'provider', 'enterprise']);

    // In review: the queue shows it, and a payment batch leaves it out.
    const queue = await reviewer.get('/v1/redemptions?status=awaiting_review&limit=200');
    expect(queue.body.items.map((item: { id: string }) => item.id)).toContain(id);
    const early = await t.issuer.post('/v1/payment-batches', { programId: reviewed.id, cutoff: '2026-03-12' });
    expect(JSON.stringify(early.body)).not.toContain(id);
    if (early.status === 201) expect((await t.issuer.post(`/v1/payment-batches/${early.body.id}/cancel`, { reason: '测试' })).status).toBeLessThan(300);

    const approved = await s.review(id, 'approve', '合同、发票、付款凭证一致，按实付金额核定');
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      executedAmount: '800000.00',
      subsidy: '240000.00',
      claim: { executedAmount: '1000000.00', paidAmount: '800000.00', basis: '800000.00', approved: '240000.00', released: '60000.00', reserved: '0.00' },
    });
    expect(approved.body.claim.history.map((event: { action: string }) => event.action)).toEqual(['submitted', 'confirmed', 'approved']);
    expect(await balanceOf(voucher.id)).toBe('260000.00');
    const usage = await usageOf(reviewed.id);
    expect(usage).toMatchObject({ granted: '240000.00' });
    expect(await owedIn(reviewed.id)).toMatchObject({ owedToProviders: '240000.00' });

    const batch = await t.issuer.post('/v1/payment-batches', { programId: reviewed.id, cutoff: '2026-03-12' });
    expect(batch.status, JSON.stringify(batch.body)).toBe(201);
    expect(batch.body.lines.flatMap((line: { redemptionIds: string[] }) => line.redemptionIds)).toContain(id);
    expect(batch.body.lines.find((line: { redemptionIds: string[] }) => line.redemptionIds.includes(id)).amount).toBe('240000.00');
  });

  it('not confirmed within 10 days lapses at the sweep and releases its reservation', async () => {
    t.clock.set(at('2026-04-01'));
    const { voucher, contract } = await s.voucherWithContract(reviewed.id);
    const claim = await s.submit(voucher.id, contract.id, '1000.00', '2026-03-31');
    expect(claim.body).toMatchObject({ subsidy: '300.00', voucherBalance: '499700.00' });
    t.clock.set(at('2026-04-11'));
    // The first claim above, never confirmed, lapses now; this one is still in time.
    const onTime = await reviewer.post('/v1/redemptions/lapse-sweep', {});
    expect(onTime.body.lapsed.map((lapsed: { voucherId: string }) => lapsed.voucherId)).not.toContain(voucher.id);
    t.clock.set(at('2026-04-12'));
    const late = await s.confirm(claim.body.id, '1000.00');
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('claim_overdue');
    const sweep = await reviewer.post('/v1/redemptions/lapse-sweep', {});
    expect(sweep.body.lapsed).toEqual([{ redemptionId: claim.body.id, voucherId: voucher.id, dueOn: '2026-04-11', released: '300.00' }]);
    expect(await balanceOf(voucher.id)).toBe('500000.00');
    expect((await t.provider.get(`/v1/redemptions/${claim.body.id}`)).body).toMatchObject({ status: 'lapsed', claim: { released: '300.00' } });
  });
});

describe('the parties of a claim', () => {
  it('dispute, resubmit and withdraw: the provider answers a dispute, and a withdrawal releases everything', async () => {
    t.clock.set(at('2026-03-02'));
    const { voucher, contract } = await s.voucherWithContract(reviewed.id);
    const claim = await s.submit(voucher.id, contract.id, '20000.00');
    const id = claim.body.id as string;
    const other = await t.as({ role: 'enterprise', org: OTHER_ENTERPRISE });
    expect((await other.post(`/v1/redemptions/${id}/dispute`, { reason: '不是我们的' })).status).toBe(403);
    const disputed = await enterprise.post(`/v1/redemptions/${id}/dispute`, { reason: '未收到该批算力服务' });
    expect(disputed.body).toMatchObject({ status: 'disputed' });
    expect((await s.confirm(id, '20000.00')).body.code).toBe('invalid_transition');
    const resubmitted = await t.provider.post(`/v1/redemptions/${id}/resubmit`, {
      documents: [await uploadPdf(t.provider, '交付记录'), await uploadPdf(t.provider, '发票')],
      note: '补充交付记录',
    });
    expect(resubmitted.body).toMatchObject({ status: 'awaiting_confirmation', claim: { confirmationDueOn: '2026-03-12' } });
    const withdrawn = await t.provider.post(`/v1/redemptions/${id}/withdraw`, { reason: '协商撤回' });
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', claim: { released: '6000.00' } });
    expect(await balanceOf(voucher.id)).toBe('500000.00');
    expect(withdrawn.body.claim.history.map((event: { action: string }) => event.action)).toEqual(['submitted', 'disputed', 'resubmitted', 'withdrawn']);
  });

  it('only an issuer of the voucher’s region reviews, and an open claim cannot be reversed', async () => {
    t.clock.set(at('2026-03-02'));
    const { voucher, contract } = await s.voucherWithContract(reviewOnly.id);
    const claim = await s.submit(voucher.id, contract.id, '1000.00');
    const ningbo = await t.as({ role: 'issuer', region: NINGBO });
    expect((await ningbo.post(`/v1/redemptions/${claim.body.id}/review`, { decision: 'approve', reason: '同意' })).status).toBe(403);
    expect((await t.provider.post(`/v1/redemptions/${claim.body.id}/review`, { decision: 'approve', reason: '同意' })).status).toBe(403);
    const reversal = await t.provider.post(`/v1/redemptions/${claim.body.id}/reversals`, { executedAmount: '100.00', reason: '部分退回' });
    expect(reversal.status).toBe(409);
    expect(reversal.body.code).toBe('claim_not_approved');
  });

  it('refuses bad input with the field named and the database unchanged', async () => {
    t.clock.set(at('2026-03-02'));
    const { voucher, contract } = await s.voucherWithContract(reviewed.id);
    const before = await snapshot(t.db);
    const base = { voucherId: voucher.id, contractId: contract.id, executedAmount: '1000.00', executedOn: '2026-02-27', invoiceNumber: 'FP-BAD' };
    const missing = await t.provider.post('/v1/redemptions', base);
    expect([missing.status, missing.body.field]).toEqual([400, 'documents']);
    const oneDocument = await t.provider.post('/v1/redemptions', { ...base, documents: [await uploadPdf(t.provider, '合同')] });
    expect([oneDocument.status, oneDocument.body.field]).toEqual([400, 'documents']);
    const enterprisesDocument = await uploadPdf(enterprise, '企业文件');
    const notOwn = await t.provider.post('/v1/redemptions', { ...base, documents: [await uploadPdf(t.provider, '合同'), enterprisesDocument] });
    expect([notOwn.status, notOwn.body.code, notOwn.body.field]).toEqual([422, 'unknown_document', 'documents[1]']);
    const claim = await s.submit(voucher.id, contract.id, '1000.00');
    const afterClaim = await snapshot(t.db);
    const badPaid = await enterprise.post(`/v1/redemptions/${claim.body.id}/confirm`, { paidAmount: '1,000', documents: [enterprisesDocument] });
    expect([badPaid.status, badPaid.body.field]).toEqual([400, 'paidAmount']);
    const noReason = await reviewer.post(`/v1/redemptions/${claim.body.id}/review`, { decision: 'approve' });
    expect([noReason.status, noReason.body.field]).toEqual([400, 'reason']);
    expect(await snapshot(t.db)).toBe(afterClaim);
    expect(before).not.toBe(afterClaim);
  });

  it('holds an approval to the contract’s approved part, and waits for open claims before a reversal', async () => {
    t.clock.set(at('2026-03-02'));
    const { voucher, contract } = await s.voucherWithContract(reviewOnly.id);
    // At 30%: A of 1,000.03 reserves floor(300.009) = 300.00; B of 1,000.03 after it floor(600.018) − 300.00 = 300.01.
    const a = await s.submit(voucher.id, contract.id, '1000.03');
    const b = await s.submit(voucher.id, contract.id, '1000.03');
    expect([a.body.subsidy, b.body.subsidy]).toEqual(['300.00', '300.01']);
    // B approved while A is open: A's reservation is not owed, so B keeps floor(0.3 × 1,000.03) = 300.00.
    const approvedB = await s.review(b.body.id, 'approve');
    expect(approvedB.body.claim).toMatchObject({ approved: '300.00', released: '0.01' });
    // A reversal on the contract waits for A's decision: its reservation is in the contract's sums, not owed.
    const early = await t.provider.post(`/v1/redemptions/${b.body.id}/reversals`, { executedAmount: '1000.03', reason: '服务终止' });
    expect([early.status, early.body.code]).toEqual([409, 'claims_open_on_contract']);
    expect((await t.provider.post(`/v1/redemptions/${a.body.id}/withdraw`, { reason: '撤回' })).body).toMatchObject({ status: 'withdrawn' });
    const reversal = await t.provider.post(`/v1/redemptions/${b.body.id}/reversals`, { executedAmount: '1000.03', reason: '服务终止' });
    expect(reversal.status, JSON.stringify(reversal.body)).toBe(201);
    expect(reversal.body.clawback).toBe('300.00');
    expect(await balanceOf(voucher.id)).toBe('500000.00');
  });

  it('refuses a document listed twice, and an answer after the claim’s day', async () => {
    t.clock.set(at('2026-03-02'));
    const { voucher, contract } = await s.voucherWithContract(reviewed.id);
    const contractPdf = await uploadPdf(t.provider, '合同');
    const twice = await t.provider.post('/v1/redemptions', {
      voucherId: voucher.id,
      contractId: contract.id,
      executedAmount: '1000.00',
      executedOn: '2026-02-27',
      invoiceNumber: 'FP-TWICE',
      documents: [contractPdf, contractPdf],
    });
    expect([twice.status, twice.body.field]).toEqual([400, 'documents']);
    const claim = await s.submit(voucher.id, contract.id, '1000.00');
    expect((await enterprise.post(`/v1/redemptions/${claim.body.id}/dispute`, { reason: '金额不符' })).body.status).toBe('disputed');
    t.clock.set(at('2026-03-13'));
    const late = await t.provider.post(`/v1/redemptions/${claim.body.id}/resubmit`, {
      documents: [await uploadPdf(t.provider, '合同'), await uploadPdf(t.provider, '发票')],
      note: '补充',
    });
    expect([late.status, late.body.code]).toEqual([409, 'claim_overdue']);
  });

  it('leaves a ledger the verifier accepts and the database’s invariants hold', async () => {
    await expectLedgerInvariants(t.db);
    const dir = mkdtempSync(join(tmpdir(), 'vl-claims-'));
    try {
      const auditor = await t.as({ role: 'auditor', region: ZHEJIANG });
      const path = join(dir, 'ledger.ndjson');
      writeFileSync(path, (await auditor.get('/v1/ledger/export')).text);
      const report = await runVerification({ file: path });
      expect(report.firstFailure).toBeNull();
      expect(report.ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
