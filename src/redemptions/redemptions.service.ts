import { randomUUID } from 'node:crypto';
import type { ActorOf } from '../auth/actor.js';
import { addGranted, grantedIn, releaseGranted, usageScopes } from '../beneficiaries/usage.repository.js';
import { findContract, recordExecution } from '../contracts/contracts.repository.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type { Deps } from '../deps.js';
import { DomainError, ruleError } from '../shared/errors.js';
import { accountBalance } from '../ledger/ledger.repository.js';
import { accounts, transfer } from '../ledger/ledger.types.js';
import { findProgram } from '../programs/programs.repository.js';
import { limitsOf } from '../programs/programs.repository.js';
import { requirePolicy } from '../rules/policy-loader.js';
import { findRegistrationCovering } from '../providers/providers.repository.js';
import { checkRegisteredProvider } from '../providers/providers.rules.js';
import type { ProviderRegistration } from '../providers/providers.schemas.js';
import { computeClawback, computeContractClawback } from '../rules/clawback.js';
import { checkRedemption } from '../rules/eligibility.js';
import { bucketFor, type VoucherKind } from '../rules/policy.js';
import { computeSubsidy } from '../rules/subsidy.js';
import { isViolation } from '../shared/violation.js';
import { todayIn } from '../shared/clock.js';
import { yearOf } from '../shared/dates.js';
import { formatFen } from '../shared/money.js';
import { findVoucher } from '../vouchers/vouchers.repository.js';
import type { RedeemInput, RedemptionView, ReversalView, ReverseInput } from './redemptions.schemas.js';
import { findRedemption, insertRedemption, invoiceUsed, recordReversal } from './redemptions.repository.js';

const nullableFen = (fen: bigint | null) => (fen === null ? null : formatFen(fen));

export function createRedemptionService(deps: Deps) {
  return {
    async redeem(input: RedeemInput, ctx: CommandContext<ActorOf<'provider'>>) {
      return deps.unitOfWork.run({
        status: 201,
        context: ctx,
        authorize: async (trx) => {
          const contract = await findContract(trx, input.contractId);
          if (!contract) throw DomainError.notFound('contract', 'contractId');
          if (contract.provider_uscc !== ctx.actor.org) throw DomainError.forbidden("only the contract's provider may redeem against it");
          return contract;
        },
        execute: async (trx, contract): Promise<RedemptionView> => {
        const voucher = await findVoucher(trx, input.voucherId);
        if (!voucher) throw DomainError.notFound('voucher', 'voucherId');
        const program = (await findProgram(trx, voucher.program_id))!;
        const policy = requirePolicy(deps.policies, program.policy_id);
        if (await invoiceUsed(trx, ctx.actor.org, input.invoiceNumber))
          throw new DomainError('duplicate_invoice', `invoice ${input.invoiceNumber} was already redeemed by this provider`, { field: 'invoiceNumber' });

        const autonomous = contract.autonomous;
        const violation = checkRedemption({
          policy,
          today: todayIn(deps.clock),
          voucher: { id: voucher.id, kind: voucher.kind, beneficiaryUscc: voucher.beneficiary_uscc, status: voucher.status, expiresOn: voucher.expires_on },
          contract: {
            kind: contract.kind,
            providerUscc: contract.provider_uscc,
            beneficiaryUscc: contract.beneficiary_uscc,
            amount: contract.amount_fen,
            netExecuted: contract.net_executed_fen,
            signedOn: contract.signed_on,
            nationalKeyProject: contract.national_key_project,
            voucherId: contract.voucher_id,
          },
          execution: { amount: input.executedAmount, executedOn: input.executedOn },
        });
        if (violation) throw ruleError(violation);
        // Only a program that requires registered providers reads the register (one indexed read).
        let registration: ProviderRegistration | undefined;
        if (program.require_registered_providers) {
          registration = await findRegistrationCovering(trx, contract.provider_uscc, program.region);
          const unregistered = checkRegisteredProvider({
            programRegion: program.region,
            contract: { providerUscc: contract.provider_uscc, kind: contract.kind, autonomous, serviceCode: contract.service_code },
            registration,
          });
          if (unregistered) throw ruleError(unregistered);
        }

        const bucket = bucketFor(policy, contract.kind as VoucherKind, autonomous);
        const limit = bucket && limitsOf(program)[bucket.name];
        if (!bucket || !limit) throw new Error(`program ${program.id} has no terms for a ${contract.kind} contract`);
        const year = yearOf(input.executedOn);
        const usageKey = { uscc: voucher.beneficiary_uscc, bucket: bucket.name, year };
        const policyScope = { ...usageKey, scope: usageScopes.policy(policy.id) };
        const programScope = { ...usageKey, scope: usageScopes.program(program.id) };
        const annualUsedBefore = await grantedIn(trx, policyScope);
        const programUsedBefore = await grantedIn(trx, programScope);
        const voucherBalanceBefore = await accountBalance(trx, accounts.voucher(voucher.id));
        const result = computeSubsidy({
          rate: limit.rate,
          netExecutedBefore: contract.net_executed_fen,
          executedAmount: input.executedAmount,
          policyCap: { cap: bucket.annualCap, usedBefore: annualUsedBefore },
          programCap: { cap: limit.annualCap, usedBefore: programUsedBefore },
          voucherBalance: voucherBalanceBefore,
        });

        const now = deps.clock.now();
        const id = `rdm_${randomUUID()}`;
        const entry = await deps.ledger.append(
          trx,
          {
            type: 'redemption.recorded',
            actor: ctx.actor,
            // Every input of the computation, so that an auditor can recompute the subsidy from this entry alone.
            data: {
              region: voucher.region,
              programId: program.id,
              kind: voucher.kind,
              redemptionId: id,
              voucherId: voucher.id,
              contract: {
                id: contract.id,
                number: contract.number,
                providerUscc: contract.provider_uscc,
                beneficiaryUscc: contract.beneficiary_uscc,
                amount: formatFen(contract.amount_fen),
                autonomous,
                signedOn: contract.signed_on,
                serviceCode: contract.service_code,
              },
              // The registration (and its version in the register's history) that admitted the provider, when the
              // program requires one.
              providerRegistration: registration ? { region: registration.region, version: registration.version } : null,
              invoiceNumber: input.invoiceNumber,
              executedAmount: formatFen(input.executedAmount),
              executedOn: input.executedOn,
              year,
              policyId: policy.id,
              policySha256: policy.sha256,
              bucket: bucket.name,
              policyRate: bucket.maxRate,
              rate: limit.rate,
              netExecutedBefore: formatFen(contract.net_executed_fen),
              netExecutedAfter: formatFen(result.netExecutedAfter),
              entitlement: formatFen(result.entitlement),
              annualCap: nullableFen(bucket.annualCap),
              annualUsedBefore: formatFen(annualUsedBefore),
              programAnnualCap: nullableFen(limit.annualCap),
              programUsedBefore: formatFen(programUsedBefore),
              voucherBalanceBefore: formatFen(voucherBalanceBefore),
              subsidy: formatFen(result.subsidy),
              limitedBy: result.limitedBy,
            },
            postings: transfer(accounts.voucher(voucher.id), accounts.payable(contract.provider_uscc), result.subsidy),
          },
          now,
        );
        await insertRedemption(trx, {
          id,
          voucher_id: voucher.id,
          contract_id: contract.id,
          provider_uscc: contract.provider_uscc,
          invoice_number: input.invoiceNumber,
          executed_amount_fen: input.executedAmount,
          executed_on: input.executedOn,
          bucket: bucket.name,
          rate: limit.rate,
          entitlement_fen: result.entitlement,
          subsidy_fen: result.subsidy,
          limited_by: result.limitedBy,
          reversed_amount_fen: 0n,
          clawed_back_fen: 0n,
          ledger_seq: BigInt(entry.seq),
          created_at: now.toISOString(),
        });
        await recordExecution(trx, contract.id, { executed: input.executedAmount, subsidy: result.subsidy }, voucher.id);
        await addGranted(trx, policyScope, result.subsidy);
        await addGranted(trx, programScope, result.subsidy);
        return {
          id,
          voucherId: voucher.id,
          contractId: contract.id,
          executedAmount: formatFen(input.executedAmount),
          executedOn: input.executedOn,
          rate: limit.rate,
          entitlement: formatFen(result.entitlement),
          subsidy: formatFen(result.subsidy),
          limitedBy: result.limitedBy,
          voucherBalance: formatFen(voucherBalanceBefore - result.subsidy),
          ledgerSeq: entry.seq,
        };
        },
      });
    },

    async reverse(redemptionId: string, input: ReverseInput, ctx: CommandContext<ActorOf<'provider' | 'issuer'>>) {
      return deps.unitOfWork.run({
        status: 201,
        context: ctx,
        authorize: async (trx) => {
          const redemption = await findRedemption(trx, redemptionId);
          if (!redemption) throw DomainError.notFound('redemption');
          const voucher = (await findVoucher(trx, redemption.voucher_id))!;
          const allowed = ctx.actor.role === 'provider' ? ctx.actor.org === redemption.provider_uscc : ctx.actor.region === voucher.region;
          if (!allowed) throw DomainError.forbidden("only the redemption's provider or the voucher's issuer may reverse it");
          return { redemption, voucher };
        },
        execute: async (trx, { redemption, voucher }): Promise<ReversalView> => {
        const outcome = computeClawback({
          executedAmount: redemption.executed_amount_fen,
          granted: redemption.subsidy_fen,
          reversedBefore: redemption.reversed_amount_fen,
          reversing: input.executedAmount,
        });
        if (isViolation(outcome)) throw ruleError(outcome);

        const program = (await findProgram(trx, voucher.program_id))!;
        const contract = (await findContract(trx, redemption.contract_id))!;
        const netExecutedAfter = contract.net_executed_fen - input.executedAmount;
        const { clawback, ceilingAfter } = computeContractClawback({
          proRata: outcome.clawback,
          rate: redemption.rate,
          netSubsidyBefore: contract.net_subsidy_fen,
          netExecutedAfter,
        });
        // A voucher that is no longer active cannot take money back; its program does.
        const returnedTo = voucher.status === 'active' ? 'voucher' : 'program';
        const year = yearOf(redemption.executed_on);
        const now = deps.clock.now();
        const id = `rev_${randomUUID()}`;
        const entry = await deps.ledger.append(
          trx,
          {
            type: 'redemption.reversed',
            actor: ctx.actor,
            data: {
              region: voucher.region,
              programId: program.id,
              kind: voucher.kind,
              reversalId: id,
              redemptionId: redemption.id,
              voucherId: voucher.id,
              contractId: contract.id,
              providerUscc: redemption.provider_uscc,
              beneficiaryUscc: voucher.beneficiary_uscc,
              reason: input.reason,
              policyId: program.policy_id,
              bucket: redemption.bucket,
              year,
              redemptionExecutedAmount: formatFen(redemption.executed_amount_fen),
              redemptionSubsidy: formatFen(redemption.subsidy_fen),
              reversedBefore: formatFen(redemption.reversed_amount_fen),
              executedAmount: formatFen(input.executedAmount),
              reversedAfter: formatFen(outcome.reversedAfter),
              clawedBackBefore: formatFen(outcome.clawedBackBefore),
              proRataClawback: formatFen(outcome.clawback),
              rate: redemption.rate,
              contractNetSubsidyBefore: formatFen(contract.net_subsidy_fen),
              contractCeilingAfter: formatFen(ceilingAfter),
              clawback: formatFen(clawback),
              netExecutedBefore: formatFen(contract.net_executed_fen),
              netExecutedAfter: formatFen(netExecutedAfter),
              returnedTo,
            },
            postings: transfer(
              accounts.payable(redemption.provider_uscc),
              returnedTo === 'voucher' ? accounts.voucher(voucher.id) : accounts.program(program.id),
              clawback,
            ),
          },
          now,
        );
        await recordReversal(
          trx,
          { id, redemptionId: redemption.id, executedAmount: input.executedAmount, clawback, reason: input.reason, ledgerSeq: BigInt(entry.seq), createdAt: now.toISOString() },
          { reversedAmount: input.executedAmount, clawedBack: clawback },
        );
        await recordExecution(trx, contract.id, { executed: -input.executedAmount, subsidy: -clawback });
        const usageKey = { uscc: voucher.beneficiary_uscc, bucket: redemption.bucket, year };
        await releaseGranted(trx, { ...usageKey, scope: usageScopes.policy(program.policy_id) }, clawback);
        await releaseGranted(trx, { ...usageKey, scope: usageScopes.program(program.id) }, clawback);
        return {
          id,
          redemptionId: redemption.id,
          executedAmount: formatFen(input.executedAmount),
          clawback: formatFen(clawback),
          returnedTo,
          ledgerSeq: entry.seq,
        };
        },
      });
    },
  };
}
