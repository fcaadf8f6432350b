// Whether a contract execution may be redeemed against a voucher, and for how much: the policy's eligibility
// rules, the program's register of providers (decision 0018), then the subsidy under the program's rate and the
// caps (decision 0003), rounded down in the government's favour. Pure: the use case loads every fact first.
import type { Contract } from '../../contracts/contracts.model.js';
import type { Program } from '../../programs/programs.model.js';
import type { ProviderRegistration } from '../../providers/providers.model.js';
import { checkRegisteredProvider } from '../../providers/providers.rules.js';
import { checkRedemption } from '../../rules/eligibility.js';
import { type BucketRule, bucketFor, type Policy } from '../../rules/policy.js';
import type { BucketLimit } from '../../rules/program-limits.js';
import { computeSubsidy, type SubsidyResult } from '../../rules/subsidy.js';
import { yearOf } from '../../shared/dates.js';
import { DomainError, ruleError } from '../../shared/errors.js';
import type { Fen } from '../../shared/money.js';
import type { Voucher } from '../../vouchers/vouchers.model.js';

/** Everything a redemption is decided on, as read in the command's transaction. */
/** A redemption that already used an invoice number (decision 0042: the number is unique nationwide). */
export interface InvoiceUse {
  redemptionId: string;
  programId: string;
}

export interface RedemptionRequest {
  /** Asia/Shanghai. */
  today: string;
  policy: Policy;
  program: Pick<Program, 'id' | 'region' | 'limits' | 'requireRegisteredProviders' | 'claims'>;
  voucher: Pick<Voucher, 'id' | 'region' | 'kind' | 'beneficiary' | 'status' | 'expiresOn'>;
  contract: Contract;
  execution: { amount: Fen; executedOn: string; invoiceNumber: string };
  /** Whether the provider has already redeemed an invoice of this number. */
  /** Where the invoice number was already used, by any provider (decision 0042), or false. */
  invoiceUsed: false | InvoiceUse;
  /** The provider's registration nearest the program's region, read only when the program requires one. */
  registration: ProviderRegistration | undefined;
  /** What the beneficiary was granted before in the execution's year under the contract's bucket: policy-wide and in this program. */
  usedBefore: { policy: Fen; program: Fen };
  voucherBalance: Fen;
}

/** The subsidy, with the contract's cap bucket, the program's terms for it and the year whose caps it counts against. */
export interface RedemptionDecision extends SubsidyResult {
  bucket: BucketRule;
  limit: BucketLimit;
  year: number;
}

/** The contract's cap bucket under the policy (its kind and, for compute, its autonomy), if the policy has one. */
export const contractBucket = (policy: Policy, contract: Pick<Contract, 'kind' | 'autonomous'>): BucketRule | undefined =>
  bucketFor(policy, contract.kind, contract.autonomous);

/** Refuses, first failure wins: a used invoice, an ineligible execution, an unregistered provider. Else the subsidy. */
export function decideRedemption(request: RedemptionRequest): RedemptionDecision {
  const { policy, program, voucher, contract, execution } = request;
  if (request.invoiceUsed)
    throw new DomainError(
      'duplicate_invoice',
      `invoice ${execution.invoiceNumber} was already used by redemption ${request.invoiceUsed.redemptionId} of program ${request.invoiceUsed.programId}: an invoice number is unique nationwide`,
      { field: 'invoiceNumber' },
    );
  const violation = checkRedemption({
    policy,
    today: request.today,
    voucher: { id: voucher.id, kind: voucher.kind, beneficiaryUscc: voucher.beneficiary.uscc, status: voucher.status, expiresOn: voucher.expiresOn },
    contract: {
      kind: contract.kind,
      providerUscc: contract.providerUscc,
      beneficiaryUscc: contract.beneficiaryUscc,
      amount: contract.amount,
      netExecuted: contract.netExecuted,
      signedOn: contract.signedOn,
      nationalKeyProject: contract.nationalKeyProject,
      voucherId: contract.voucherId,
    },
    execution: { amount: execution.amount, executedOn: execution.executedOn },
  });
  if (violation) throw ruleError(violation);
  if (program.requireRegisteredProviders) {
    const { providerUscc, kind, autonomous, serviceCode } = contract;
    const unregistered = checkRegisteredProvider({
      programRegion: program.region,
      contract: { providerUscc, kind, autonomous, serviceCode },
      registration: request.registration,
    });
    if (unregistered) throw ruleError(unregistered);
  }

  const bucket = contractBucket(policy, contract);
  const limit = bucket && program.limits[bucket.name];
  // An eligible contract is of the program's kind, whose every bucket the program has terms for.
  if (!bucket || !limit) throw new Error(`program ${program.id} has no terms for a ${contract.kind} contract`);
  const outcome = computeSubsidy({
    rate: limit.rate,
    netExecutedBefore: contract.netExecuted,
    executedAmount: execution.amount,
    policyCap: { cap: bucket.annualCap, usedBefore: request.usedBefore.policy },
    programCap: { cap: limit.annualCap, usedBefore: request.usedBefore.program },
    voucherBalance: request.voucherBalance,
  });
  return { ...outcome, bucket, limit, year: yearOf(execution.executedOn) };
}
