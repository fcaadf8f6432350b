// The redemption's provider, or an issuer of the voucher's region, reverses part or all of a redemption's
// execution: load, decide (decideReversal), then record the entry, the reversal, the contract's execution and
// the usage it frees.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { releaseGranted } from '../../beneficiaries/usage.repository.js';
import { findContract, recordExecution } from '../../contracts/contracts.repository.js';
import type { Database } from '../../db/schema.js';
import { takesClaims } from '../../programs/programs.model.js';
import { findProgramById } from '../../programs/programs.repository.js';
import { openClaimsOnContract } from '../claims.repository.js';
import { DomainError } from '../../shared/errors.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import type { Voucher } from '../../vouchers/vouchers.model.js';
import { findVoucher } from '../../vouchers/vouchers.repository.js';
import { type ReversalOfEntry, redemptionReversedEntry } from '../redemptions.entries.js';
import type { Redemption, Reversal } from '../redemptions.model.js';
import { findRedemption, recordReversal } from '../redemptions.repository.js';
import type { ReversalView, ReverseInput } from '../redemptions.schemas.js';
import { reversalView } from '../redemptions.views.js';
import { decideReversal, type ReversalDecision } from '../rules/decide-reversal.js';
import type { RedemptionDeps, Reverser } from './dependencies.js';
import { usageKeys } from './usage-keys.js';

export async function reverse(deps: RedemptionDeps, redemptionId: string, input: ReverseInput, ctx: CommandContext<Reverser>) {
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    authorize: (trx) => reversibleRedemption(trx, redemptionId, ctx.actor),
    execute: async (trx, { redemption, voucher }): Promise<ReversalView> => {
      const program = (await findProgramById(trx, voucher.programId))!;
      const contract = (await findContract(trx, redemption.contractId))!;
      if (takesClaims(program.claims)) await assertNoOpenClaims(trx, contract.id);
      const decision = decideReversal({ redemption, contract, voucherStatus: voucher.status, reversing: input.executedAmount });
      const reversal = { id: `rev_${randomUUID()}`, redemption, voucher, program, contract, executedAmount: input.executedAmount, reason: input.reason };
      return recordReversalOf(deps, trx, reversal, decision, ctx.actor);
    },
  });
}

/**
 * A reversal's clawback is bounded by what the contract keeps of floor(rate × net executed); while claims on it
 * are open their reservations are in those sums but not owed, so it waits for their decisions (decision 0041).
 */
async function assertNoOpenClaims(trx: Kysely<Database>, contractId: string): Promise<void> {
  const open = await openClaimsOnContract(trx, contractId);
  if (open.count > 0)
    throw new DomainError(
      'claims_open_on_contract',
      `contract ${contractId} has ${open.count} claim(s) awaiting a decision: reverse once they are decided or withdrawn`,
    );
}

/** The redemption and its voucher, for its provider or an issuer of the voucher's region. */
async function reversibleRedemption(trx: Kysely<Database>, id: string, actor: Reverser): Promise<{ redemption: Redemption; voucher: Voucher }> {
  const redemption = await findRedemption(trx, id);
  if (!redemption) throw DomainError.notFound('redemption');
  const voucher = (await findVoucher(trx, redemption.voucherId))!;
  const allowed = actor.role === 'provider' ? actor.org === redemption.providerUscc : actor.region === voucher.region;
  if (!allowed) throw DomainError.forbidden("only the redemption's provider or the voucher's issuer may reverse it");
  // Nothing is owed on a claim until it is approved; an open one is withdrawn instead (decision 0041).
  if (redemption.status !== 'approved')
    throw new DomainError('claim_not_approved', `redemption ${id} is a claim ${redemption.status}: only an approved one is reversed`);
  return { redemption, voucher };
}

/** Appends the entry, then stores the reversal and moves the redemption's and contract's totals and the usage back. */
async function recordReversalOf(
  deps: RedemptionDeps,
  trx: Kysely<Database>,
  of: ReversalOfEntry,
  decision: ReversalDecision,
  actor: Reverser,
): Promise<ReversalView> {
  const { redemption, voucher, program, contract } = of;
  const { clawback } = decision;
  const now = deps.clock.now();
  const entry = await deps.ledger.append(trx, redemptionReversedEntry(of, decision, actor), now);
  const reversal: Reversal = {
    id: of.id,
    redemptionId: redemption.id,
    executedAmount: of.executedAmount,
    clawback,
    reason: of.reason,
    ledgerSeq: entry.seq,
    createdAt: now.toISOString(),
  };
  await recordReversal(trx, reversal, { reversedAmount: of.executedAmount, clawedBack: clawback });
  await recordExecution(trx, contract.id, { executed: -of.executedAmount, subsidy: -clawback });
  const keys = usageKeys({
    policyId: program.policyId,
    programId: program.id,
    beneficiaryUscc: voucher.beneficiary.uscc,
    bucket: redemption.bucket,
    year: decision.year,
  });
  await releaseGranted(trx, keys.policy, clawback);
  await releaseGranted(trx, keys.program, clawback);
  return reversalView(reversal, decision.returnedTo);
}
