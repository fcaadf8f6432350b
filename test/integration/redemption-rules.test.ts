import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTERPRISE, OTHER_ENTERPRISE, PROVIDER, uscc } from '../helpers/fixtures.js';
import { expectLedgerInvariants, lastEntry, snapshot } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let s: ReturnType<typeof scenario>;
beforeEach(async () => {
  t = await buildTestApp();
  s = scenario(t);
});
afterEach(() => t.close());

/** Sends a request that must be refused, and proves that the database did not move. */
async function expectRejected(
  send: () => PromiseLike<{ status: number; body: Record<string, unknown>; headers: Record<string, string> }>,
  status: number,
  code: string,
) {
  const before = await snapshot(t.db);
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: `urn:voucher-ledger:problem:${code}` });
  expect(await snapshot(t.db)).toBe(before);
  return res;
}

describe('redemption rejections', () => {
  it('when the voucher is of another kind, kind_mismatch', async () => {
    const { voucher } = await s.ready({ program: { kind: 'model' } });
    const contract = await s.contract();
    await expectRejected(() => s.redeem(voucher.id, contract.id, '100.00'), 422, 'kind_mismatch');
  });

  it('when the contract is for another enterprise, beneficiary_mismatch', async () => {
    const { voucher } = await s.ready();
    const contract = await s.contract({ beneficiaryUscc: OTHER_ENTERPRISE });
    await expectRejected(() => s.redeem(voucher.id, contract.id, '100.00'), 422, 'beneficiary_mismatch');
  });

  it('when the voucher was revoked, voucher_not_active', async () => {
    const { voucher, contract } = await s.ready();
    expect((await t.issuer.post(`/v1/vouchers/${voucher.id}/revoke`, { reason: 'enterprise withdrew' })).status).toBe(200);
    await expectRejected(() => s.redeem(voucher.id, contract.id, '100.00'), 422, 'voucher_not_active');
  });

  it('when the execution is after the voucher expired, voucher_expired', async () => {
    const { voucher, contract } = await s.ready({ voucher: { expiresOn: '2025-12-31' } });
    t.clock.set('2026-01-10T04:00:00Z');
    await expectRejected(() => s.redeem(voucher.id, contract.id, '100.00', { executedOn: '2026-01-05' }), 422, 'voucher_expired');
    const inTime = await s.redeem(voucher.id, contract.id, '100.00', { executedOn: '2025-12-31' });
    expect(inTime.status).toBe(201);
  });

  it('when the execution is before 2025-05-31 or after 2027-12-31, outside_policy_window', async () => {
    const { voucher, contract } = await s.ready({ contract: { signedOn: '2025-01-02' } });
    await expectRejected(() => s.redeem(voucher.id, contract.id, '100.00', { executedOn: '2025-05-30' }), 422, 'outside_policy_window');
    t.clock.set('2028-01-03T04:00:00Z');
    await expectRejected(() => s.redeem(voucher.id, contract.id, '100.00', { executedOn: '2028-01-01' }), 422, 'outside_policy_window');
  });

  it('when the execution is after today in Asia/Shanghai, future_execution', async () => {
    const { voucher, contract } = await s.ready();
    // 2025-12-15T16:30Z is already 2025-12-16 00:30 in Shanghai.
    t.clock.set('2025-12-15T16:30:00Z');
    expect((await s.redeem(voucher.id, contract.id, '100.00', { executedOn: '2025-12-16' })).status).toBe(201);
    await expectRejected(() => s.redeem(voucher.id, contract.id, '100.00', { executedOn: '2025-12-17' }), 422, 'future_execution');
  });

  it('when net executed would pass the contract amount, exceeds_contract_amount', async () => {
    const { voucher, contract } = await s.ready({ contract: { amount: '1000.00' } });
    expect((await s.redeem(voucher.id, contract.id, '999.99')).status).toBe(201);
    await expectRejected(() => s.redeem(voucher.id, contract.id, '0.02'), 422, 'exceeds_contract_amount');
    expect((await s.redeem(voucher.id, contract.id, '0.01')).status).toBe(201);
  });

  it('when the contract is a state-supported key project, national_rules_apply', async () => {
    const { voucher } = await s.ready();
    const contract = await s.contract({ nationalKeyProject: true });
    await expectRejected(() => s.redeem(voucher.id, contract.id, '100.00'), 422, 'national_rules_apply');
  });

  it('when the provider reuses an invoice number, duplicate_invoice', async () => {
    const { voucher, contract } = await s.ready();
    expect((await s.redeem(voucher.id, contract.id, '100.00', { invoiceNumber: 'INV-7' })).status).toBe(201);
    await expectRejected(() => s.redeem(voucher.id, contract.id, '100.00', { invoiceNumber: 'INV-7' }), 409, 'duplicate_invoice');
  });

  it('when a contract already drew on one voucher, another voucher is contract_already_subsidized', async () => {
    const { program, voucher, contract } = await s.ready();
    const second = await s.voucher(program.id, { amount: '100.00' });
    expect((await s.redeem(voucher.id, contract.id, '100.00')).status).toBe(201);
    await expectRejected(() => s.redeem(second.id, contract.id, '100.00'), 409, 'contract_already_subsidized');
  });

  it('when the execution predates the contract, execution_before_signing', async () => {
    const { voucher, contract } = await s.ready({ contract: { signedOn: '2025-11-01' } });
    await expectRejected(() => s.redeem(voucher.id, contract.id, '100.00', { executedOn: '2025-10-31' }), 422, 'execution_before_signing');
  });

  it('when another provider redeems against the contract, 403 forbidden', async () => {
    const { voucher, contract } = await s.ready();
    const stranger = await t.as({ role: 'provider', org: uscc(3) });
    await expectRejected(() => s.redeem(voucher.id, contract.id, '100.00', {}, stranger), 403, 'forbidden');
  });

  it('when the voucher or contract does not exist, 404 naming the field', async () => {
    const { voucher, contract } = await s.ready();
    const res = await expectRejected(() => s.redeem('vch_missing', contract.id, '100.00'), 404, 'not_found');
    expect(res.body.field).toBe('voucherId');
    expect((await expectRejected(() => s.redeem(voucher.id, 'ctr_missing', '100.00'), 404, 'not_found')).body.field).toBe('contractId');
  });
});

describe('caps and balances', () => {
  it('when Hangzhou caps autonomous compute at 8,000,000.00, the subsidy stops there with program_cap', async () => {
    const { voucher, contract } = await s.ready({
      program: { limits: { 'compute.autonomous': { annualCap: '8000000.00' } } },
      contract: { autonomous: true },
    });
    const res = await s.redeem(voucher.id, contract.id, '30000000.00');
    expect(res.body).toMatchObject({ entitlement: '9000000.00', subsidy: '8000000.00', limitedBy: 'program_cap' });
    expect((await lastEntry(t.db)).data).toMatchObject({ annualCap: null, programAnnualCap: '8000000.00', programUsedBefore: '0.00' });
  });

  it('the policy cap counts grants across programs and issuers; each program cap counts its own', async () => {
    const ningbo = await t.as({ role: 'issuer', region: '330200' });
    const hz = await s.ready({ program: { kind: 'corpus' }, contract: { kind: 'corpus', autonomous: undefined } });
    const nbProgram = await s.program({ kind: 'corpus' }, ningbo);
    const nbVoucher = await s.voucher(nbProgram.id, {}, ningbo);
    const nbContract = await s.contract({ kind: 'corpus', autonomous: undefined });
    expect((await s.redeem(hz.voucher.id, hz.contract.id, '5000000.00')).body.subsidy).toBe('1500000.00');
    expect((await s.redeem(nbVoucher.id, nbContract.id, '5000000.00')).body).toMatchObject({ subsidy: '500000.00', limitedBy: 'annual_cap' });
  });

  it('a program rate below the policy applies: 5% of 1,000.00 is 50.00', async () => {
    const { voucher, contract } = await s.ready({ program: { limits: { 'compute.non_autonomous': { rate: '0.05' } } } });
    expect((await s.redeem(voucher.id, contract.id, '1000.00')).body).toMatchObject({ rate: '0.05', subsidy: '50.00' });
  });

  it('when the voucher holds less than the entitlement, the subsidy is its balance with voucher_balance', async () => {
    const { voucher, contract } = await s.ready({ voucher: { amount: '123.45' } });
    expect((await s.redeem(voucher.id, contract.id, '10000.00')).body).toMatchObject({
      subsidy: '123.45',
      limitedBy: 'voucher_balance',
      voucherBalance: '0.00',
    });
    expect((await s.redeem(voucher.id, contract.id, '10000.00')).body).toMatchObject({ subsidy: '0.00', limitedBy: 'voucher_balance' });
  });

  it('a reversal frees annual cap in the year of the original execution', async () => {
    const { voucher, contract } = await s.ready({ program: { kind: 'corpus' }, contract: { kind: 'corpus', autonomous: undefined } });
    const first = await s.redeem(voucher.id, contract.id, '10000000.00');
    expect(first.body.subsidy).toBe('2000000.00');
    const reversal = await t.provider.post(`/v1/redemptions/${first.body.id}/reversals`, { executedAmount: '5000000.00', reason: 'refund' });
    expect(reversal.body.clawback).toBe('1000000.00');
    const usage = await t.auditor.get(`/v1/beneficiaries/${ENTERPRISE}/usage?year=2025`);
    expect(usage.body.buckets.corpus).toEqual({ granted: '1000000.00', reserved: '0.00', annualCap: '2000000.00', remaining: '1000000.00' });
    // Net executed fell to 5,000,000.00, so floor(30% × 8,000,000.00) − floor(30% × 5,000,000.00) = 900,000.00.
    expect((await s.redeem(voucher.id, contract.id, '3000000.00')).body).toMatchObject({ entitlement: '900000.00', subsidy: '900000.00' });
    await expectLedgerInvariants(t.db);
  });
});

describe('reversals', () => {
  it('when the voucher is no longer active, the clawback returns to the program', async () => {
    const { program, voucher, contract } = await s.ready({ voucher: { amount: '1000.00' } });
    const redemption = await s.redeem(voucher.id, contract.id, '1000.00');
    await t.issuer.post(`/v1/vouchers/${voucher.id}/revoke`, { reason: 'closed' });
    const before = (await t.issuer.get(`/v1/programs/${program.id}`)).body.available;
    expect(before).toBe('99999900.00');
    const res = await t.issuer.post(`/v1/redemptions/${redemption.body.id}/reversals`, { executedAmount: '1000.00', reason: 'fraud finding' });
    expect(res.body).toMatchObject({ clawback: '100.00', returnedTo: 'program' });
    expect((await t.issuer.get(`/v1/programs/${program.id}`)).body.available).toBe('100000000.00');
    expect((await lastEntry(t.db)).postings).toEqual([
      { account: `payable:${PROVIDER}`, amount: '-100.00' },
      { account: `program:${program.id}`, amount: '100.00' },
    ]);
  });

  it('when the reversals would pass the executed amount, reversal_exceeds_redemption', async () => {
    const { voucher, contract } = await s.ready();
    const redemption = await s.redeem(voucher.id, contract.id, '100.00');
    expect((await t.provider.post(`/v1/redemptions/${redemption.body.id}/reversals`, { executedAmount: '60.00', reason: 'a' })).status).toBe(201);
    await expectRejected(
      () => t.provider.post(`/v1/redemptions/${redemption.body.id}/reversals`, { executedAmount: '40.01', reason: 'b' }),
      422,
      'reversal_exceeds_redemption',
    );
  });

  it('an issuer of another region may not reverse', async () => {
    const { voucher, contract } = await s.ready();
    const redemption = await s.redeem(voucher.id, contract.id, '100.00');
    const ningbo = await t.as({ role: 'issuer', region: '330200' });
    await expectRejected(() => ningbo.post(`/v1/redemptions/${redemption.body.id}/reversals`, { executedAmount: '1.00', reason: 'x' }), 403, 'forbidden');
  });
});
