// A provider redeems a contract execution against a voucher: load every fact, decide (decideRedemption), then
// record the entry, the redemption, the contract's execution and the beneficiary's usage.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { addGranted } from '../../beneficiaries/usage.repository.js';
import type { Contract } from '../../contracts/contracts.model.js';
import { findContract, recordExecution } from '../../contracts/contracts.repository.js';
import type { Database } from '../../db/schema.js';
import { accountBalance } from '../../ledger/ledger.repository.js';
import { accounts } from '../../ledger/ledger.types.js';
import { takesClaims } from '../../programs/programs.model.js';
import { findProgramById } from '../../programs/programs.repository.js';
import { findRegistrationCovering } from '../../providers/providers.repository.js';
import { requirePolicy } from '../../rules/policy-loader.js';
import { todayIn } from '../../shared/clock.js';
import { shanghaiDate, yearOf } from '../../shared/dates.js';
import { DomainError } from '../../shared/errors.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { findVoucher } from '../../vouchers/vouchers.repository.js';
import { claimSubmittedEntry } from '../claims.entries.js';
import { redemptionRecordedEntry } from '../redemptions.entries.js';
import type { Redemption } from '../redemptions.model.js';
import { insertRedemption, invoiceUse } from '../redemptions.repository.js';
import { invoiceNumberProblem } from '../rules/invoice-number.js';
import { assertPartiesClear } from '../../oversight/oversight.guards.js';
import { assertProgramOpen } from '../../programs/rules/close.js';
import type { RedeemInput, RedemptionView } from '../redemptions.schemas.js';
import { redemptionView } from '../redemptions.views.js';
import { contractBucket, decideRedemption, type RedemptionDecision, type RedemptionRequest } from '../rules/decide-redemption.js';
import type { Provider, RedemptionDeps } from './dependencies.js';
import { submissionMove } from '../rules/claim-lifecycle.js';
import { claimEvidence, reserveClaim } from './submit-claim.js';
import { usedUnder, usageKeys } from './usage-keys.js';

export async function redeem(deps: RedemptionDeps, input: RedeemInput, ctx: CommandContext<Provider>) {
  const invoiceProblem = invoiceNumberProblem(input.invoiceNumber, todayIn(deps.clock));
  if (invoiceProblem) throw DomainError.validation([{ field: 'invoiceNumber', message: invoiceProblem }]);
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    authorize: (trx) => providersContract(trx, input.contractId, ctx.actor),
    execute: async (trx, contract): Promise<RedemptionView> => {
      const request = await loadRedemption(deps, trx, input, contract);
      await assertOversight(trx, request);
      const evidence = takesClaims(request.program.claims) ? await claimEvidence(trx, input.documents, ctx.actor) : noEvidence(input.documents);
      return recordRedemption(deps, trx, request, decideRedemption(request), evidence, ctx.actor);
    },
  });
}

/** The contract redeemed against, for its own provider only. */
async function providersContract(trx: Kysely<Database>, contractId: string, actor: Provider): Promise<Contract> {
  const contract = await findContract(trx, contractId);
  if (!contract) throw DomainError.notFound('contract', 'contractId');
  if (contract.providerUscc !== actor.org) throw DomainError.forbidden("only the contract's provider may redeem against it");
  return contract;
}

/** Every fact the redemption is decided on; refuses only a voucher that does not exist. */
async function loadRedemption(deps: RedemptionDeps, trx: Kysely<Database>, input: RedeemInput, contract: Contract): Promise<RedemptionRequest> {
  const voucher = await findVoucher(trx, input.voucherId);
  if (!voucher) throw DomainError.notFound('voucher', 'voucherId');
  const program = (await findProgramById(trx, voucher.programId))!;
  assertProgramOpen(program);
  const policy = requirePolicy(deps.policies, program.policyId);
  const used = (await invoiceUse(trx, input.invoiceNumber)) ?? false;
  // Only a program that requires registered providers reads the register (one indexed read).
  const registration = program.requireRegisteredProviders ? await findRegistrationCovering(trx, contract.providerUscc, program.region) : undefined;
  // Usage under the contract's bucket; decideRedemption refuses a contract without one before it counts.
  const bucket = contractBucket(policy, contract);
  const usedBefore = bucket
    ? await usedUnder(
        trx,
        usageKeys({
          policyId: policy.id,
          programId: program.id,
          beneficiaryUscc: voucher.beneficiary.uscc,
          bucket: bucket.name,
          year: yearOf(input.executedOn),
        }),
      )
    : { policy: 0n, program: 0n };
  return {
    today: todayIn(deps.clock),
    policy,
    program,
    voucher,
    contract,
    execution: { amount: input.executedAmount, executedOn: input.executedOn, invoiceNumber: input.invoiceNumber },
    invoiceUsed: used,
    registration,
    usedBefore,
    voucherBalance: await accountBalance(trx, accounts.voucher(voucher.id)),
  };
}

/**
 * A listed provider redeems nothing where its listing applies, nor is a
 * listed enterprise's redemption owed at once; related parties' contracts are not subsidised (decision 0042).
 */
async function assertOversight(trx: Kysely<Database>, request: RedemptionRequest): Promise<void> {
  const { program, contract } = request;
  const parties = { provider: contract.providerUscc, enterprise: contract.beneficiaryUscc, checkEnterprise: !takesClaims(program.claims) };
  await assertPartiesClear(trx, parties, program.region, { enterprise: 'voucherId', related: 'contractId' });
}

/** A redemption of a program without claims cites no documents: it is owed at once, on the provider's word. */
function noEvidence(documents: readonly string[] | undefined): undefined {
  if (documents !== undefined)
    throw DomainError.validation([{ field: 'documents', message: 'is only for programs whose redemptions are claims (decision 0041)' }]);
  return undefined;
}

/**
 * Appends the entry, then stores the redemption and moves the contract's execution and the beneficiary's usage:
 * granted when the program owes at once, reserved when it is a claim (`evidence` its documents).
 */
async function recordRedemption(
  deps: RedemptionDeps,
  trx: Kysely<Database>,
  request: RedemptionRequest,
  decision: RedemptionDecision,
  evidence: readonly string[] | undefined,
  actor: Provider,
): Promise<RedemptionView> {
  const { voucher, program, contract, execution } = request;
  const { subsidy } = decision;
  const now = deps.clock.now();
  const id = `rdm_${randomUUID()}`;
  const move = evidence && submissionMove(program.claims, shanghaiDate(now), 'submitted');
  const draft =
    evidence && move
      ? claimSubmittedEntry(id, request, decision, { documents: evidence, terms: program.claims, move }, actor)
      : redemptionRecordedEntry(id, request, decision, actor);
  const entry = await deps.ledger.append(trx, draft, now);
  const redemption: Redemption = {
    id,
    status: move?.status ?? 'approved',
    voucherId: voucher.id,
    contractId: contract.id,
    providerUscc: contract.providerUscc,
    invoiceNumber: execution.invoiceNumber,
    executedAmount: execution.amount,
    executedOn: execution.executedOn,
    bucket: decision.bucket.name,
    rate: decision.limit.rate,
    entitlement: decision.entitlement,
    subsidy,
    limitedBy: decision.limitedBy,
    reversedAmount: 0n,
    clawedBack: 0n,
    ledgerSeq: entry.seq,
    createdAt: now.toISOString(),
  };
  await insertRedemption(trx, redemption);
  await recordExecution(trx, contract.id, { executed: execution.amount, subsidy }, voucher.id);
  const keys = usageKeys({
    policyId: request.policy.id,
    programId: program.id,
    beneficiaryUscc: voucher.beneficiary.uscc,
    bucket: decision.bucket.name,
    year: decision.year,
  });
  if (evidence && move) await reserveClaim(trx, { redemption, request, decision, documents: evidence, move, keys, actor, at: now.toISOString() });
  else {
    await addGranted(trx, keys.policy, subsidy);
    await addGranted(trx, keys.program, subsidy);
  }
  return redemptionView(redemption, request.voucherBalance - subsidy);
}
