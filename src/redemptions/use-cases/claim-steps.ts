// The steps every decision on a claim shares (decision 0041): load the claim with its voucher and program, record
// a move without money, approve (owe the recomputed subsidy, release the rest) or release the whole reservation.
import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import { moveClaimUsage } from '../../beneficiaries/usage.repository.js';
import { findContract, recordExecution } from '../../contracts/contracts.repository.js';
import type { Database } from '../../db/schema.js';
import type { EntryDraft } from '../../ledger/ledger.types.js';
import { assertPartiesClear } from '../../oversight/oversight.guards.js';
import type { Program } from '../../programs/programs.model.js';
import { findProgramById } from '../../programs/programs.repository.js';
import { DomainError } from '../../shared/errors.js';
import type { Fen } from '../../shared/money.js';
import type { Voucher } from '../../vouchers/vouchers.model.js';
import { findVoucher } from '../../vouchers/vouchers.repository.js';
import { claimApprovedEntry, type ClaimOfEntry, claimReleasedEntry, type ReleaseType } from '../claims.entries.js';
import type { Claim, ClaimAction, ClaimMove } from '../claims.model.js';
import { appendClaimEvent, findClaim, openClaimsOnContract, settleRedemptionFigures, updateClaim } from '../claims.repository.js';
import type { Redemption } from '../redemptions.model.js';
import { findRedemption } from '../redemptions.repository.js';
import { decideApproval } from '../rules/decide-approval.js';
import type { RedemptionDeps } from './dependencies.js';
import { usageKeys } from './usage-keys.js';

export interface LoadedClaim extends ClaimOfEntry {
  redemption: Redemption;
  voucher: Voucher;
  program: Program;
}

/** The claim, its voucher and program, for whoever `mayAct` admits (else 403 naming `who`); a plain redemption is no claim. */
export async function loadClaim(trx: Kysely<Database>, id: string, mayAct: (of: LoadedClaim) => boolean, who: string): Promise<LoadedClaim> {
  const redemption = await findRedemption(trx, id);
  if (!redemption) throw DomainError.notFound('redemption');
  const voucher = (await findVoucher(trx, redemption.voucherId))!;
  const claim = await findClaim(trx, id);
  const program = (await findProgramById(trx, voucher.programId))!;
  const loaded = { redemption, voucher, program, claim: claim! };
  if (!mayAct(loaded)) throw DomainError.forbidden(`only ${who} may do this`);
  if (!claim) throw new DomainError('invalid_transition', `redemption ${id} is not a claim: its program owes redemptions at once`);
  return loaded;
}

/** Appends the decision's entry and its event, and stores the claim's new state. */
export async function recordMove(
  deps: RedemptionDeps,
  trx: Kysely<Database>,
  of: LoadedClaim,
  step: { draft: EntryDraft; move: ClaimMove; claim: Claim; reason: string | null; paidAmount?: Fen; actor: Actor; now: Date },
): Promise<void> {
  const entry = await deps.ledger.append(trx, step.draft, step.now);
  await updateClaim(trx, { ...step.claim, confirmationDueOn: step.move.confirmationDueOn, updatedAt: step.now.toISOString() }, step.move.status);
  await appendEvent(trx, of, step.move.action, { ...step, ledgerSeq: entry.seq });
}

async function appendEvent(
  trx: Kysely<Database>,
  of: LoadedClaim,
  action: ClaimAction,
  event: { reason: string | null; paidAmount?: Fen; actor: Actor; now: Date; ledgerSeq: number },
): Promise<void> {
  await appendClaimEvent(trx, {
    redemptionId: of.redemption.id,
    at: event.now.toISOString(),
    actor: { role: event.actor.role, sub: event.actor.sub },
    action,
    reason: event.reason,
    paidAmount: event.paidAmount ?? null,
    ledgerSeq: event.ledgerSeq,
  });
}

const keysOf = (of: LoadedClaim) =>
  usageKeys({
    policyId: of.claim.inputs.policyId,
    programId: of.program.id,
    beneficiaryUscc: of.voucher.beneficiary.uscc,
    bucket: of.redemption.bucket,
    year: of.claim.inputs.year,
  });

const voucherActive = (voucher: Voucher) => voucher.status === 'active';

/** Approval: the subsidy on min(claimed, paid) becomes owed; the rest of the reservation goes back. */
export async function approveClaim(
  deps: RedemptionDeps,
  trx: Kysely<Database>,
  of: LoadedClaim,
  approval: { by: 'review' | 'confirmation'; reason: string | null },
  actor: Actor,
  now: Date,
): Promise<void> {
  const { claim, redemption } = of;
  const contract = (await findContract(trx, redemption.contractId))!;
  // Nothing is owed to or for a party listed where its listing applies, nor between parties declared related
  // since the submission (decision 0042).
  await assertPartiesClear(trx, { provider: contract.providerUscc, enterprise: contract.beneficiaryUscc, checkEnterprise: true }, of.program.region);
  const openClaims = await openClaimsOnContract(trx, contract.id, redemption.id);
  const decision = decideApproval({
    rate: redemption.rate,
    claimedExecuted: claim.claimedExecuted,
    paidAmount: claim.paidAmount,
    reserved: claim.reserved,
    inputs: claim.inputs,
    contract: { netExecuted: contract.netExecuted, netSubsidy: contract.netSubsidy },
    openClaims,
    voucherActive: voucherActive(of.voucher),
  });
  const draft = claimApprovedEntry(of, { ...approval, contract, openClaims }, decision, actor);
  const settled = { ...claim, reserved: 0n, basis: decision.basis, approved: decision.approved, released: decision.released };
  await recordMove(deps, trx, of, {
    draft,
    move: { status: 'approved', action: 'approved', confirmationDueOn: null },
    claim: settled,
    reason: approval.reason,
    actor,
    now,
  });
  await settleRedemptionFigures(trx, redemption.id, { executed: decision.basis, entitlement: decision.entitlement, subsidy: decision.approved });
  await recordExecution(trx, contract.id, { executed: -(claim.claimedExecuted - decision.basis), subsidy: -decision.released });
  const keys = keysOf(of);
  await moveClaimUsage(trx, keys.policy, { reserved: -claim.reserved, granted: decision.approved });
  await moveClaimUsage(trx, keys.program, { reserved: -claim.reserved, granted: decision.approved });
}

/** A rejection, withdrawal or lapse: the whole reservation and the contract's execution go back. */
export async function releaseClaim(
  deps: RedemptionDeps,
  trx: Kysely<Database>,
  of: LoadedClaim,
  release: { type: ReleaseType; move: ClaimMove; reason: string },
  actor: Actor,
  now: Date,
): Promise<void> {
  const { claim, redemption } = of;
  const contract = (await findContract(trx, redemption.contractId))!;
  const returnedTo = voucherActive(of.voucher) ? 'voucher' : 'program';
  const draft = claimReleasedEntry(release.type, of, { reason: release.reason, contractNetExecuted: contract.netExecuted, returnedTo }, actor);
  await recordMove(deps, trx, of, {
    draft,
    move: release.move,
    claim: { ...claim, reserved: 0n, released: claim.reserved },
    reason: release.reason,
    actor,
    now,
  });
  await settleRedemptionFigures(trx, redemption.id, { executed: redemption.executedAmount, entitlement: redemption.entitlement, subsidy: 0n });
  await recordExecution(trx, contract.id, { executed: -claim.claimedExecuted, subsidy: -claim.reserved });
  const keys = keysOf(of);
  await moveClaimUsage(trx, keys.policy, { reserved: -claim.reserved, granted: 0n });
  await moveClaimUsage(trx, keys.program, { reserved: -claim.reserved, granted: 0n });
}
