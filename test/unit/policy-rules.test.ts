import { describe, expect, it } from 'vitest';
import { checkRedemption, type RedemptionFacts } from '../../src/rules/eligibility.js';
import { bucketFor } from '../../src/rules/policy.js';
import { loadPolicies } from '../../src/rules/policy-loader.js';
import { resolveProgramLimits } from '../../src/rules/program-limits.js';

const policy = loadPolicies().get('zj-ai-2025')!;

describe('the zj-ai-2025 policy file', () => {
  it('holds the measures’ rates and caps: (15) 30% / 10% up to 8,000,000.00, (18) 30% up to 2,000,000.00, (21) 30% up to 5,000,000.00', () => {
    expect(policy.buckets.map((b) => [b.name, b.maxRate, b.annualCap])).toEqual([
      ['compute.autonomous', '0.30', null],
      ['compute.non_autonomous', '0.10', 800_000_000n],
      ['corpus', '0.30', 200_000_000n],
      ['model', '0.30', 500_000_000n],
    ]);
    expect([policy.effectiveFrom, policy.effectiveTo]).toEqual(['2025-05-31', '2027-12-31']);
    expect(policy.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('maps a contract to its cap bucket by kind and autonomy', () => {
    expect(bucketFor(policy, 'compute', true)?.name).toBe('compute.autonomous');
    expect(bucketFor(policy, 'compute', false)?.name).toBe('compute.non_autonomous');
    expect(bucketFor(policy, 'corpus', null)?.name).toBe('corpus');
  });
});

describe('program limits', () => {
  it('Hangzhou may cap autonomous compute at 8,000,000.00 a year where the policy has no cap', () => {
    const outcome = resolveProgramLimits(policy, 'compute', { 'compute.autonomous': { annualCap: 800_000_000n }, 'compute.non_autonomous': { rate: '0.05' } });
    expect(outcome).toEqual({
      ok: true,
      limits: { 'compute.autonomous': { rate: '0.30', annualCap: 800_000_000n }, 'compute.non_autonomous': { rate: '0.05', annualCap: null } },
    });
  });

  it('a rate above the policy ceiling or a cap above the policy cap is exceeds_policy', () => {
    expect(resolveProgramLimits(policy, 'corpus', { corpus: { rate: '0.31' } })).toMatchObject({ ok: false, violation: { code: 'exceeds_policy' } });
    expect(resolveProgramLimits(policy, 'model', { model: { annualCap: 500_000_001n } })).toMatchObject({ ok: false, violation: { code: 'exceeds_policy' } });
  });

  it('a bucket of another kind is reported as unknown', () => {
    expect(resolveProgramLimits(policy, 'corpus', { model: {} })).toEqual({ ok: false, unknownBucket: 'model' });
  });
});

const facts = (
  over: Partial<{
    voucher: Partial<RedemptionFacts['voucher']>;
    contract: Partial<RedemptionFacts['contract']>;
    execution: Partial<RedemptionFacts['execution']>;
  }> = {},
): RedemptionFacts => ({
  policy,
  today: '2025-12-15',
  voucher: { id: 'v1', kind: 'compute', beneficiaryUscc: 'B', status: 'active', expiresOn: '2026-06-30', ...over.voucher },
  contract: {
    kind: 'compute',
    providerUscc: 'P',
    beneficiaryUscc: 'B',
    amount: 1000n,
    netExecuted: 0n,
    signedOn: '2025-06-01',
    nationalKeyProject: false,
    voucherId: null,
    ...over.contract,
  },
  execution: { amount: 100n, executedOn: '2025-12-01', ...over.execution },
});

describe('checkRedemption', () => {
  it('accepts an eligible execution', () => expect(checkRedemption(facts())).toBeNull());
  it.each([
    ['voucher_not_active', { voucher: { status: 'revoked' } }],
    ['kind_mismatch', { contract: { kind: 'model' } }],
    ['beneficiary_mismatch', { contract: { beneficiaryUscc: 'C' } }],
    ['related_party', { contract: { providerUscc: 'B' } }],
    ['contract_already_subsidized', { contract: { voucherId: 'v2' } }],
    ['national_rules_apply', { contract: { nationalKeyProject: true } }],
    ['future_execution', { execution: { executedOn: '2025-12-16' } }],
    ['outside_policy_window', { execution: { executedOn: '2025-05-30' }, contract: { signedOn: '2025-01-01' } }],
    ['execution_before_signing', { execution: { executedOn: '2025-05-31' } }],
    ['voucher_expired', { voucher: { expiresOn: '2025-11-30' } }],
    ['exceeds_contract_amount', { contract: { netExecuted: 901n } }],
  ] as const)('rejects with %s', (code, over) => {
    expect(checkRedemption(facts(over as never))?.code).toBe(code);
  });

  it('accepts the first and last day of the policy window and an execution on the expiry day', () => {
    expect(checkRedemption(facts({ execution: { executedOn: '2025-05-31' }, contract: { signedOn: '2025-05-01' } }))).toBeNull();
    expect(checkRedemption({ ...facts({ execution: { executedOn: '2027-12-31' }, voucher: { expiresOn: '2027-12-31' } }), today: '2028-01-05' })).toBeNull();
    expect(checkRedemption(facts({ execution: { executedOn: '2025-12-01' }, voucher: { expiresOn: '2025-12-01' } }))).toBeNull();
  });

  it('accepts an execution that brings net executed exactly to the contract amount', () => {
    expect(checkRedemption(facts({ contract: { netExecuted: 900n } }))).toBeNull();
  });
});
