// Domain values of settlement for the pure rules' unit tests: each builder fills what a test does not care about.
import type { ProviderRegistration } from '../../src/providers/providers.schemas.js';
import type { PaymentBatch, PaymentClaim, PaymentLine, RedemptionClaim } from '../../src/settlement/settlement.model.js';
import { DomainError } from '../../src/shared/errors.js';

export const CITY = '330100';
export const PROVINCE = '330000';
/** Co-funded 0.6 by the city and 0.4 by the province, as the integration tests' programs are. */
export const CO_FUNDERS = [
  { region: CITY, ratio: '0.6' },
  { region: PROVINCE, ratio: '0.4' },
];
export const ACCOUNT = { bankName: '中国工商银行杭州分行', accountName: '杭州算力服务有限公司', accountNumber: '1202020209900012345' };

export function batchOf(members: Partial<PaymentBatch> = {}): PaymentBatch {
  return {
    id: 'pbt_1',
    programId: 'prg_1',
    region: CITY,
    kind: 'compute',
    cutoff: '2025-12-10',
    status: 'approved',
    maker: 'maker',
    checker: 'checker',
    funders: CO_FUNDERS,
    receivables: [],
    blocked: [],
    total: 0n,
    createdAt: '2025-12-14T02:00:00.000Z',
    approvedAt: '2025-12-14T03:00:00.000Z',
    closedAt: null,
    approvalSeq: 5,
    ...members,
  };
}

export function lineOf(id: string, amount: bigint, members: Partial<PaymentLine> = {}): PaymentLine {
  return {
    id,
    batchId: 'pbt_1',
    position: 0,
    providerUscc: `P-${id}`,
    providerName: '杭州算力服务有限公司',
    bankAccount: ACCOUNT,
    amount,
    shares: [],
    status: 'pending',
    paidOn: null,
    bankReference: null,
    failureReason: null,
    ledgerSeq: null,
    settledAt: null,
    ...members,
  };
}

export const claimOf = (lineId: string, redemptionId: string, amount: bigint): PaymentClaim => ({
  lineId,
  batchId: 'pbt_1',
  redemptionId,
  amount,
  status: 'open',
});

export function redemptionOf(redemptionId: string, providerUscc: string, outstanding: bigint, members: Partial<RedemptionClaim> = {}): RedemptionClaim {
  return { redemptionId, providerUscc, executedOn: '2025-12-01', net: outstanding, paid: 0n, recovered: 0n, outstanding, openBatchId: null, ...members };
}

export function registrationOf(uscc: string, members: Partial<ProviderRegistration> = {}): ProviderRegistration {
  return {
    uscc,
    region: CITY,
    name: `服务商 ${uscc}`,
    bankAccount: ACCOUNT,
    services: [],
    status: 'active',
    version: 1,
    createdAt: '2025-06-01T00:00:00.000Z',
    createdBy: 'issuer',
    updatedAt: '2025-06-01T00:00:00.000Z',
    updatedBy: 'issuer',
    ...members,
  };
}

/** The DomainError `decide` throws, as code, message and field; fails the test if it throws nothing or something else. */
export function refusalOf(decide: () => unknown): { code: string; message: string; field: string | undefined } {
  try {
    decide();
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, message: err.message, field: err.extras.field };
    throw err;
  }
  throw new Error('expected a refusal, but the rule accepted');
}
