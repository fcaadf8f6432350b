// The features' repositories map rows to the domain and back: each stores exactly what it stored before the
// mappers (the JSON columns byte for byte) and reads back what it stored.
import { describe, expect, it } from 'vitest';
import { contractToDomain, contractToRow } from '../../src/contracts/contracts.repository.js';
import type { Contract } from '../../src/contracts/contracts.model.js';
import type { Program } from '../../src/programs/programs.model.js';
import { programToDomain, programToRow } from '../../src/programs/programs.repository.js';
import type { ProviderRegistration, RegistrationChange } from '../../src/providers/providers.model.js';
import { changeToDomain, changeToRow, registrationToDomain, registrationToRow } from '../../src/providers/providers.repository.js';
import type { Redemption } from '../../src/redemptions/redemptions.model.js';
import { redemptionToDomain, redemptionToRow, reversalToRow } from '../../src/redemptions/redemptions.repository.js';
import type { Voucher } from '../../src/vouchers/vouchers.model.js';
import { voucherToDomain, voucherToRow } from '../../src/vouchers/vouchers.repository.js';

describe('the programs repository’s mappers', () => {
  const program: Program = {
    id: 'prg_1',
    name: '2025年杭州市算力券',
    kind: 'compute',
    region: '330100',
    policyId: 'zj-ai-2025',
    initialBudget: 100_000_001n,
    limits: { 'compute.autonomous': { rate: '0.30', annualCap: null }, 'compute.non_autonomous': { rate: '0.05', annualCap: 9_223_372_036_854_775_807n } },
    createdAt: '2025-12-15T04:00:00.000Z',
    createdBy: 'issuer',
    requireRegisteredProviders: true,
    applications: null,
    claims: { beneficiaryConfirmation: true, review: false, confirmationDays: 7 },
    period: { fiscalYear: 2025, closesOn: '2026-03-31' },
    closed: { on: '2026-04-01', at: '2026-04-01T02:00:00.000Z' },
  };

  it('stores the limits as JSON in the policy’s bucket order, caps as fen digits, and reads them back', () => {
    const row = programToRow(program);
    expect(row).toMatchObject({ policy_id: 'zj-ai-2025', budget_fen: 100_000_001n, require_registered_providers: true });
    expect(row.limits).toBe(
      '{"compute.autonomous":{"rate":"0.30","annualCap":null},"compute.non_autonomous":{"rate":"0.05","annualCap":"9223372036854775807"}}',
    );
    expect(programToDomain(row)).toEqual(program);
    expect(Object.keys(programToDomain(row).limits)).toEqual(['compute.autonomous', 'compute.non_autonomous']);
  });
});

describe('the vouchers repository’s mappers', () => {
  it('keeps the beneficiary together and reads a closed voucher back', () => {
    const voucher: Voucher = {
      id: 'vch_1',
      programId: 'prg_1',
      kind: 'corpus',
      region: '330100',
      beneficiary: { uscc: 'E-1', name: '杭州示例' },
      amount: 50_000n,
      status: 'revoked',
      expiresOn: '2026-12-31',
      createdAt: '2025-12-15T04:00:00.000Z',
      closedAt: '2025-12-16T04:00:00.000Z',
      closeReason: '企业主动放弃',
    };
    const row = voucherToRow(voucher);
    expect(row).toMatchObject({
      program_id: 'prg_1',
      beneficiary_uscc: 'E-1',
      beneficiary_name: '杭州示例',
      amount_fen: 50_000n,
      close_reason: '企业主动放弃',
    });
    expect(voucherToDomain(row)).toEqual(voucher);
  });
});

describe('the contracts repository’s mappers', () => {
  it('keeps an absent autonomy and service code as null', () => {
    const contract: Contract = {
      id: 'ctr_1',
      providerUscc: 'P-1',
      number: 'HT-1',
      beneficiaryUscc: 'E-1',
      kind: 'model',
      autonomous: null,
      amount: 1_000_000n,
      signedOn: '2025-06-01',
      nationalKeyProject: true,
      netExecuted: 3n,
      netSubsidy: 1n,
      voucherId: 'vch_1',
      createdAt: '2025-12-15T04:00:00.000Z',
      serviceCode: null,
    };
    const row = contractToRow(contract);
    expect(row).toMatchObject({ autonomous: null, service_code: null, national_key_project: true, net_executed_fen: 3n, net_subsidy_fen: 1n });
    expect(contractToDomain(row)).toEqual(contract);
  });
});

describe('the redemptions repository’s mappers', () => {
  it('stores the sequence number as a bigint and reads it back as a number', () => {
    const redemption: Redemption = {
      id: 'rdm_1',
      status: 'awaiting_review',
      voucherId: 'vch_1',
      contractId: 'ctr_1',
      providerUscc: 'P-1',
      invoiceNumber: 'INV-1',
      executedAmount: 100_001n,
      executedOn: '2025-12-01',
      bucket: 'compute.non_autonomous',
      rate: '0.05',
      entitlement: 5_000n,
      subsidy: 2_000n,
      limitedBy: 'program_cap',
      reversedAmount: 50_000n,
      clawedBack: 1_000n,
      ledgerSeq: 42,
      createdAt: '2025-12-15T04:00:00.000Z',
    };
    const row = redemptionToRow(redemption);
    expect(row).toMatchObject({ ledger_seq: 42n, limited_by: 'program_cap', subsidy_fen: 2_000n, clawed_back_fen: 1_000n });
    expect(redemptionToDomain(row)).toEqual(redemption);
    expect(
      reversalToRow({ id: 'rev_1', redemptionId: 'rdm_1', executedAmount: 50_000n, clawback: 1_000n, reason: '退款', ledgerSeq: 43, createdAt: 'now' }),
    ).toEqual({
      id: 'rev_1',
      redemption_id: 'rdm_1',
      executed_amount_fen: 50_000n,
      clawback_fen: 1_000n,
      reason: '退款',
      ledger_seq: 43n,
      created_at: 'now',
    });
  });
});

describe('the provider register’s mappers', () => {
  const registration: ProviderRegistration = {
    uscc: 'P-1',
    region: '330100',
    name: '杭州算力服务有限公司',
    bankAccount: { bankName: '中国工商银行杭州分行', accountName: '杭州算力服务有限公司', accountNumber: '1202020209900012345' },
    services: [{ code: 'CORPUS-1', name: '语料', kind: 'corpus', autonomous: null }],
    status: 'suspended',
    version: 4,
    createdAt: '2025-06-01T00:00:00.000Z',
    createdBy: 'issuer-a',
    updatedAt: '2025-12-15T04:00:00.000Z',
    updatedBy: 'issuer-b',
  };

  it('stores the services and the history’s snapshot as JSON in the members’ order, and reads them back', () => {
    const row = registrationToRow(registration);
    expect(row).toMatchObject({
      bank_account_number: '1202020209900012345',
      version: 4n,
      services: '[{"code":"CORPUS-1","name":"语料","kind":"corpus","autonomous":null}]',
    });
    expect(registrationToDomain(row)).toEqual(registration);
    const change: RegistrationChange = {
      uscc: 'P-1',
      region: '330100',
      version: 4,
      action: 'suspended',
      actor: { sub: 'issuer-b', role: 'issuer', region: '330100' },
      recordedAt: '2025-12-15T04:00:00.000Z',
      reason: '暂停',
      registration,
    };
    const history = changeToRow(change);
    expect(history.actor).toBe('{"sub":"issuer-b","role":"issuer","region":"330100"}');
    expect(history.registration).toBe(JSON.stringify(registration));
    expect(changeToDomain(history)).toEqual(change);
  });
});
