import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTERPRISE, PROVIDER } from '../helpers/fixtures.js';
import { expectLedgerInvariants, lastEntry } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let s: ReturnType<typeof scenario>;
beforeEach(async () => {
  t = await buildTestApp();
  s = scenario(t);
});
afterEach(() => t.close());

describe('worked example 1: non-autonomous compute under the 8,000,000.00 annual cap', () => {
  it('grants 3,000,000.00, then stops at the cap, then grants nothing more that year, then starts afresh in 2026', async () => {
    const { voucher, contract } = await s.ready({ voucher: { amount: '9000000.00' } });
    const first = await s.redeem(voucher.id, contract.id, '30000000.00');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ rate: '0.10', entitlement: '3000000.00', subsidy: '3000000.00', limitedBy: null, voucherBalance: '6000000.00' });

    const second = await s.redeem(voucher.id, contract.id, '60000000.00');
    expect(second.body).toMatchObject({ entitlement: '6000000.00', subsidy: '5000000.00', limitedBy: 'annual_cap', voucherBalance: '1000000.00' });

    const third = await s.redeem(voucher.id, contract.id, '1000000.00');
    expect(third.status).toBe(201);
    expect(third.body).toMatchObject({ entitlement: '100000.00', subsidy: '0.00', limitedBy: 'annual_cap', voucherBalance: '1000000.00' });

    t.clock.set('2026-03-02T04:00:00Z');
    const nextYear = await s.redeem(voucher.id, contract.id, '5000000.00', { executedOn: '2026-03-01' });
    expect(nextYear.body).toMatchObject({ entitlement: '500000.00', subsidy: '500000.00', limitedBy: null, voucherBalance: '500000.00' });

    const entry = await lastEntry(t.db);
    expect(entry.type).toBe('redemption.recorded');
    expect(entry.data).toMatchObject({
      year: 2026,
      annualCap: '8000000.00',
      annualUsedBefore: '0.00',
      netExecutedBefore: '91000000.00',
      netExecutedAfter: '96000000.00',
    });
    expect(entry.postings).toEqual([
      { account: `voucher:${voucher.id}`, amount: '-500000.00' },
      { account: `payable:${PROVIDER}`, amount: '500000.00' },
    ]);
    const usage2025 = await t.issuer.get(`/v1/beneficiaries/${ENTERPRISE}/usage?year=2025`);
    expect(usage2025.body.buckets['compute.non_autonomous']).toEqual({ granted: '8000000.00', reserved: '0.00', annualCap: '8000000.00', remaining: '0.00' });
    await expectLedgerInvariants(t.db);
  });
});

describe('worked example 2: cumulative rounding on autonomous compute', () => {
  it('when four executions of 0.01 are redeemed at 30%, the subsidies are 0.00, 0.00, 0.00, 0.01', async () => {
    const { voucher, contract } = await s.ready({ contract: { autonomous: true } });
    const subsidies = [];
    for (let i = 0; i < 4; i++) subsidies.push((await s.redeem(voucher.id, contract.id, '0.01')).body.subsidy);
    expect(subsidies).toEqual(['0.00', '0.00', '0.00', '0.01']);
    expect((await lastEntry(t.db)).data).toMatchObject({ rate: '0.30', netExecutedBefore: '0.03', netExecutedAfter: '0.04', entitlement: '0.01' });
    await expectLedgerInvariants(t.db);
  });
});

describe('worked example 3: corpus and model caps', () => {
  it('when a corpus execution of 10,000,000.00 exceeds the cap, the subsidy stops at 2,000,000.00', async () => {
    const { voucher, contract } = await s.ready({ program: { kind: 'corpus' }, contract: { kind: 'corpus', autonomous: undefined } });
    const res = await s.redeem(voucher.id, contract.id, '10000000.00');
    expect(res.body).toMatchObject({ rate: '0.30', entitlement: '3000000.00', subsidy: '2000000.00', limitedBy: 'annual_cap' });
  });

  it('when a model execution of 20,000,000.00 exceeds the cap, the subsidy stops at 5,000,000.00', async () => {
    const { voucher, contract } = await s.ready({ program: { kind: 'model' }, contract: { kind: 'model', autonomous: undefined } });
    const res = await s.redeem(voucher.id, contract.id, '20000000.00');
    expect(res.body).toMatchObject({ rate: '0.30', entitlement: '6000000.00', subsidy: '5000000.00', limitedBy: 'annual_cap' });
    await expectLedgerInvariants(t.db);
  });
});

describe('worked example 4: partial reversals claw back in proportion, rounding in the government’s favour', () => {
  it('grants 300.00 on 1,000.00, claws back 100.00 for 333.33 reversed and 0.01 for 0.01 more', async () => {
    const { voucher, contract } = await s.ready({ contract: { autonomous: true } });
    const redemption = await s.redeem(voucher.id, contract.id, '1000.00');
    expect(redemption.body.subsidy).toBe('300.00');

    const first = await t.provider.post(`/v1/redemptions/${redemption.body.id}/reversals`, { executedAmount: '333.33', reason: 'credit note CN-1' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ redemptionId: redemption.body.id, executedAmount: '333.33', clawback: '100.00', returnedTo: 'voucher' });
    const second = await t.provider.post(`/v1/redemptions/${redemption.body.id}/reversals`, { executedAmount: '0.01', reason: 'credit note CN-2' });
    expect(second.body.clawback).toBe('0.01');

    const entry = await lastEntry(t.db);
    expect(entry.type).toBe('redemption.reversed');
    expect(entry.data).toMatchObject({
      reversedBefore: '333.33',
      reversedAfter: '333.34',
      clawedBackBefore: '100.00',
      clawback: '0.01',
      netExecutedAfter: '666.66',
    });
    const v = await t.issuer.get(`/v1/vouchers/${voucher.id}`);
    expect(v.body.balance).toBe('49999800.01');
    const c = await t.provider.get(`/v1/contracts/${contract.id}`);
    expect(c.body.netExecuted).toBe('666.66');
    await expectLedgerInvariants(t.db);
  });
});

describe('worked example 5: a contract never keeps more than floor_fen(rate × net executed), whatever is reversed', () => {
  it('0.01 then 0.03 executed at 30% grant 0.00 and 0.01; reversing the first claws back the 0.01 the contract no longer earns', async () => {
    const s = scenario(t);
    const { voucher } = await s.ready();
    const contract = await s.contract({ autonomous: true });
    const a = await s.redeem(voucher.id, contract.id, '0.01');
    const b = await s.redeem(voucher.id, contract.id, '0.03');
    // Cumulative floor: floor(0.3 × 0.01) = 0.00, then floor(0.3 × 0.04) − 0.00 = 0.01.
    expect([a.body.subsidy, b.body.subsidy]).toEqual(['0.00', '0.01']);
    const reversal = await t.provider.post(`/v1/redemptions/${a.body.id}/reversals`, { executedAmount: '0.01', reason: 'credit note' });
    // Pro rata A's 0.00 would come back; but floor(0.3 × 0.03) = 0.00 < 0.01 kept, so 0.01 is clawed back.
    expect(reversal.body).toMatchObject({ clawback: '0.01', returnedTo: 'voucher' });
    expect((await lastEntry(t.db)).data).toMatchObject({
      proRataClawback: '0.00',
      rate: '0.30',
      contractNetSubsidyBefore: '0.01',
      contractCeilingAfter: '0.00',
      clawback: '0.01',
      netExecutedAfter: '0.03',
    });
    expect((await t.provider.get(`/v1/contracts/${contract.id}`)).body).toMatchObject({ netExecuted: '0.03', netSubsidy: '0.00' });
    // Reversing B as well takes nothing more: the contract holds nothing.
    const second = await t.provider.post(`/v1/redemptions/${b.body.id}/reversals`, { executedAmount: '0.03', reason: 'credit note' });
    expect(second.body.clawback).toBe('0.00');
    expect((await t.issuer.get(`/v1/vouchers/${voucher.id}`)).body.balance).toBe(voucher.amount);
    await expectLedgerInvariants(t.db);
  });
});
