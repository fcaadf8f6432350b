import { DEFAULT_CLAIM_TERMS } from '../../src/programs/programs.model.js';
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../src/contracts/contracts.model.js';
import type { ProviderRegistration } from '../../src/providers/providers.model.js';
import { decideRedemption, type RedemptionRequest } from '../../src/redemptions/rules/decide-redemption.js';
import { decideReversal, type ReversalRequest } from '../../src/redemptions/rules/decide-reversal.js';
import { loadPolicies } from '../../src/rules/policy-loader.js';
import { formatFen } from '../../src/shared/money.js';
import { refusalOf } from '../helpers/settlement-values.js';

const policy = loadPolicies().get('zj-ai-2025')!;
const PROVIDER = 'P-1';
const BENEFICIARY = 'E-1';

const contractOf = (members: Partial<Contract> = {}): Contract => ({
  id: 'ctr_1',
  providerUscc: PROVIDER,
  number: 'HT-1',
  beneficiaryUscc: BENEFICIARY,
  kind: 'compute',
  autonomous: false,
  amount: 9_000_000_000n,
  signedOn: '2025-06-01',
  nationalKeyProject: false,
  netExecuted: 0n,
  netSubsidy: 0n,
  voucherId: null,
  createdAt: '2025-06-01T00:00:00.000Z',
  serviceCode: 'GPU-B',
  ...members,
});

const registrationOf = (members: Partial<ProviderRegistration> = {}): ProviderRegistration => ({
  uscc: PROVIDER,
  region: '330100',
  name: '杭州算力服务有限公司',
  bankAccount: { bankName: '中国工商银行杭州分行', accountName: '杭州算力服务有限公司', accountNumber: '1202020209900012345' },
  services: [{ code: 'GPU-B', name: '通用算力', kind: 'compute', autonomous: false }],
  status: 'active',
  version: 3,
  createdAt: '2025-06-01T00:00:00.000Z',
  createdBy: 'issuer',
  updatedAt: '2025-06-01T00:00:00.000Z',
  updatedBy: 'issuer',
  ...members,
});

/** 1,000.01 executed on 2025-12-01 under a program at 5% (cap 1,000.00) for general compute and 30% uncapped for autonomous. */
const request = (members: Partial<RedemptionRequest> = {}): RedemptionRequest => ({
  today: '2025-12-15',
  policy,
  program: {
    id: 'prg_1',
    region: '330100',
    limits: { 'compute.autonomous': { rate: '0.30', annualCap: null }, 'compute.non_autonomous': { rate: '0.05', annualCap: 100_000n } },
    requireRegisteredProviders: false,
    claims: DEFAULT_CLAIM_TERMS,
  },
  voucher: { id: 'vch_1', region: '330100', kind: 'compute', beneficiary: { uscc: BENEFICIARY, name: '杭州示例' }, status: 'active', expiresOn: '2026-12-31' },
  contract: contractOf(),
  execution: { amount: 100_001n, executedOn: '2025-12-01', invoiceNumber: 'INV-1' },
  invoiceUsed: false,
  registration: undefined,
  usedBefore: { policy: 0n, program: 0n },
  voucherBalance: 50_000_000n,
  ...members,
});

/** The decision in yuan, as the entry records it. */
const inYuan = (members: Partial<RedemptionRequest> = {}) => {
  const { bucket, limit, year, entitlement, subsidy, limitedBy } = decideRedemption(request(members));
  return { bucket: bucket.name, rate: limit.rate, year, entitlement: formatFen(entitlement), subsidy: formatFen(subsidy), limitedBy };
};

describe('decideRedemption', () => {
  it('grants 50.00 on 1,000.01 at the program’s 5%: floor(50.0005), under the general compute bucket of 2025', () => {
    expect(inYuan()).toEqual({ bucket: 'compute.non_autonomous', rate: '0.05', year: 2025, entitlement: '50.00', subsidy: '50.00', limitedBy: null });
    expect(decideRedemption(request()).netExecutedAfter).toBe(100_001n);
  });

  it('cuts 450.00 on 9,000.00 to the 20.00 left of the program’s 1,000.00 cap when 980.00 was granted before', () => {
    const execution = { amount: 900_000n, executedOn: '2025-12-10', invoiceNumber: 'INV-2' };
    expect(inYuan({ execution, usedBefore: { policy: 98_000n, program: 98_000n } })).toMatchObject({
      entitlement: '450.00',
      subsidy: '20.00',
      limitedBy: 'program_cap',
    });
  });

  it('cuts 50.00 to the 10.00 left of the policy’s 8,000,000.00 when other programs granted 7,999,990.00', () => {
    const execution = { amount: 100_000n, executedOn: '2025-12-10', invoiceNumber: 'INV-3' };
    expect(inYuan({ execution, usedBefore: { policy: 799_999_000n, program: 0n } })).toMatchObject({
      entitlement: '50.00',
      subsidy: '10.00',
      limitedBy: 'annual_cap',
    });
  });

  it('an autonomous contract takes the 30% uncapped bucket; 30.00 on 100.00 is cut to the voucher’s 10.00', () => {
    const decided = inYuan({
      contract: contractOf({ autonomous: true }),
      execution: { amount: 10_000n, executedOn: '2025-12-11', invoiceNumber: 'I' },
      voucherBalance: 1_000n,
    });
    expect(decided).toMatchObject({ bucket: 'compute.autonomous', rate: '0.30', entitlement: '30.00', subsidy: '10.00', limitedBy: 'voucher_balance' });
  });

  it('is cumulative over the contract: a fourth 0.01 at 30% after 0.03 grants 0.01 (floor(0.012) − floor(0.009))', () => {
    const decided = inYuan({
      contract: contractOf({ autonomous: true, netExecuted: 3n }),
      execution: { amount: 1n, executedOn: '2025-12-11', invoiceNumber: 'I' },
    });
    expect(decided).toMatchObject({ entitlement: '0.01', subsidy: '0.01' });
  });

  it('refuses an invoice already used by any provider before anything else, naming the field and where it was used', () => {
    const used = { redemptionId: 'rdm_other', programId: 'prg_other' };
    const ineligible = request({ invoiceUsed: used, voucher: { ...request().voucher, status: 'revoked' } });
    expect(refusalOf(() => decideRedemption(ineligible))).toEqual({
      code: 'duplicate_invoice',
      message: 'invoice INV-1 was already used by redemption rdm_other of program prg_other: an invoice number is unique nationwide',
      field: 'invoiceNumber',
    });
  });

  it('refuses an ineligible execution with the policy rule’s code: a corpus contract on a compute voucher', () => {
    const corpus = request({ contract: contractOf({ kind: 'corpus', autonomous: null }) });
    expect(refusalOf(() => decideRedemption(corpus))).toMatchObject({ code: 'kind_mismatch', message: 'a compute voucher cannot subsidise a corpus contract' });
  });

  it('checks the register only when the program requires it, and after the policy’s rules', () => {
    expect(inYuan({ registration: undefined }).subsidy).toBe('50.00');
    const requiring = { ...request().program, requireRegisteredProviders: true };
    expect(refusalOf(() => decideRedemption(request({ program: requiring })))).toMatchObject({ code: 'provider_not_registered' });
    expect(refusalOf(() => decideRedemption(request({ program: requiring, voucher: { ...request().voucher, status: 'expired' } })))).toMatchObject({
      code: 'voucher_not_active',
    });
    expect(inYuan({ program: requiring, registration: registrationOf() }).subsidy).toBe('50.00');
    expect(refusalOf(() => decideRedemption(request({ program: requiring, registration: registrationOf({ status: 'suspended' }) })))).toMatchObject({
      code: 'provider_not_registered',
    });
  });

  it('a program without terms for the contract’s bucket is a fault, not a refusal', () => {
    const program = { ...request().program, limits: { 'compute.autonomous': { rate: '0.30', annualCap: null } } };
    expect(() => decideRedemption(request({ program }))).toThrow('program prg_1 has no terms for a compute contract');
  });
});

/** A redemption of 1,000.01 at 5% that was granted 50.00, on a contract holding only it. */
const reversal = (members: Partial<ReversalRequest> = {}): ReversalRequest => ({
  redemption: { executedAmount: 100_001n, subsidy: 5_000n, reversedAmount: 0n, rate: '0.05', executedOn: '2025-12-01' },
  contract: { netExecuted: 100_001n, netSubsidy: 5_000n },
  voucherStatus: 'active',
  reversing: 50_000n,
  ...members,
});

describe('decideReversal', () => {
  it('reversing 500.00 of 1,000.01 claws back 25.00: 50.00 − floor(50.00 × 500.01 / 1,000.01), back to the voucher', () => {
    const decided = decideReversal(reversal());
    expect([decided.proRata.reversedAfter, decided.proRata.clawedBackBefore, decided.proRata.clawback]).toEqual([50_000n, 0n, 2_500n]);
    expect([decided.netExecutedAfter, decided.contractCeilingAfter, decided.clawback]).toEqual([50_001n, 2_500n, 2_500n]);
    expect([decided.returnedTo, decided.year]).toEqual(['voucher', 2025]);
  });

  it('claws back the contract’s excess over its ceiling: 0.01 then 0.03 at 30% kept 0.01; reversing the first takes it back', () => {
    const first = { executedAmount: 1n, subsidy: 0n, reversedAmount: 0n, rate: '0.30', executedOn: '2025-12-01' };
    const decided = decideReversal(reversal({ redemption: first, contract: { netExecuted: 4n, netSubsidy: 1n }, reversing: 1n }));
    expect([decided.proRata.clawback, decided.contractCeilingAfter, decided.clawback]).toEqual([0n, 0n, 1n]);
  });

  it('returns the clawback to the program once the voucher is revoked or expired', () => {
    expect(decideReversal(reversal({ voucherStatus: 'revoked' })).returnedTo).toBe('program');
    expect(decideReversal(reversal({ voucherStatus: 'expired' })).returnedTo).toBe('program');
  });

  it('refuses to reverse more than is left: 600.00 after 500.00 of 1,000.01', () => {
    const redemption = { ...reversal().redemption, reversedAmount: 50_000n };
    expect(refusalOf(() => decideReversal(reversal({ redemption, reversing: 60_000n })))).toMatchObject({ code: 'reversal_exceeds_redemption' });
  });
});
