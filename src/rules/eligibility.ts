import type { RuleViolation } from '../shared/violation.js';
import { type Fen, formatFen } from '../shared/money.js';
import type { Policy } from './policy.js';

export interface RedemptionFacts {
  policy: Policy;
  today: string;
  voucher: { id: string; kind: string; beneficiaryUscc: string; status: string; expiresOn: string };
  contract: {
    kind: string;
    providerUscc: string;
    beneficiaryUscc: string;
    amount: Fen;
    netExecuted: Fen;
    signedOn: string;
    nationalKeyProject: boolean;
    voucherId: string | null;
  };
  execution: { amount: Fen; executedOn: string };
}

const violation = (code: string, detail: string): RuleViolation => ({ code, detail });

const relatedParty = (): RuleViolation => violation('related_party', 'the provider and the beneficiary must be different enterprises');

export function checkRelatedParty(providerUscc: string, beneficiaryUscc: string): RuleViolation | null {
  return providerUscc === beneficiaryUscc ? relatedParty() : null;
}

/** Every reason a contract execution may not be redeemed against a voucher, first one found wins. */
export function checkRedemption(facts: RedemptionFacts): RuleViolation | null {
  const { policy, today, voucher, contract, execution } = facts;
  const checks: [boolean, () => RuleViolation][] = [
    [voucher.status !== 'active', () => violation('voucher_not_active', `the voucher is ${voucher.status}`)],
    [voucher.kind !== contract.kind, () => violation('kind_mismatch', `a ${voucher.kind} voucher cannot subsidise a ${contract.kind} contract`)],
    [voucher.beneficiaryUscc !== contract.beneficiaryUscc, () => violation('beneficiary_mismatch', "the contract's beneficiary is not the voucher's")],
    [contract.providerUscc === contract.beneficiaryUscc, relatedParty],
    [
      contract.voucherId !== null && contract.voucherId !== voucher.id,
      () => violation('contract_already_subsidized', 'this contract is already subsidised through another voucher'),
    ],
    [
      contract.nationalKeyProject && !policy.subsidisesNationalKeyProjects,
      () => violation('national_rules_apply', 'a state-supported key project follows national rules, not this policy'),
    ],
    [execution.executedOn > today, () => violation('future_execution', `executedOn ${execution.executedOn} is after today (${today}, Asia/Shanghai)`)],
    [
      execution.executedOn < policy.effectiveFrom || execution.executedOn > policy.effectiveTo,
      () => violation('outside_policy_window', `policy ${policy.id} covers executions from ${policy.effectiveFrom} to ${policy.effectiveTo}`),
    ],
    [
      execution.executedOn < contract.signedOn,
      () => violation('execution_before_signing', `executedOn is before the contract was signed on ${contract.signedOn}`),
    ],
    [execution.executedOn > voucher.expiresOn, () => violation('voucher_expired', `the voucher expired on ${voucher.expiresOn}`)],
    [
      contract.netExecuted + execution.amount > contract.amount,
      () =>
        violation(
          'exceeds_contract_amount',
          `net executed would reach ${formatFen(contract.netExecuted + execution.amount)}, above the contract amount ${formatFen(contract.amount)}`,
        ),
    ],
  ];
  const failed = checks.find(([fails]) => fails);
  return failed ? failed[1]() : null;
}
