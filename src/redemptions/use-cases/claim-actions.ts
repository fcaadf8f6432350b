// The decisions on a claim (decision 0041), each load → decide (claim-lifecycle, decide-approval) → record, and
// each answering with the claim as it now stands: the enterprise confirms or disputes, the provider resubmits or
// withdraws, an issuer of the voucher's region reviews, the sweep lapses what was not answered in time.
import { assertPartiesClear } from '../../oversight/oversight.guards.js';
import type { Kysely } from 'kysely';
import type { ActorOf } from '../../auth/actor.js';
import type { Database } from '../../db/schema.js';
import { shanghaiDate } from '../../shared/dates.js';
import { formatFen } from '../../shared/money.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { claimConfirmedEntry, claimDisputedEntry, claimResubmittedEntry, claimReturnedEntry } from '../claims.entries.js';
import { overdueClaims as overdueClaimIds, replaceClaimDocuments } from '../claims.repository.js';
import { OPEN_CLAIM_STATUSES } from '../redemptions.model.js';
import type { ClaimReasonInput, ConfirmClaimInput, RedemptionRecordView, ResubmitClaimInput, ReviewClaimInput } from '../redemptions.schemas.js';
import { assertClaimIn, assertInTime, confirmationMove, isOverdue, reviewMove, submissionMove } from '../rules/claim-lifecycle.js';
import { approveClaim, type LoadedClaim, loadClaim, recordMove, releaseClaim } from './claim-steps.js';
import type { Enterprise, Issuer, Provider, RedemptionDeps } from './dependencies.js';
import { getRedemption } from './read-redemptions.js';
import { assertOwnDocuments, citeClaimDocuments } from './submit-claim.js';

const holder = (actor: Enterprise) => (of: LoadedClaim) => of.voucher.beneficiary.uscc === actor.org;
const claimant = (actor: Provider) => (of: LoadedClaim) => of.redemption.providerUscc === actor.org;
const regionIssuer = (actor: Issuer) => (of: LoadedClaim) => of.voucher.region === actor.region;

const partiesOf = (of: LoadedClaim) => ({
  redemptionId: of.redemption.id,
  region: of.voucher.region,
  providerUscc: of.redemption.providerUscc,
  beneficiaryUscc: of.voucher.beneficiary.uscc,
});

/** Each decision runs in the unit of work and answers with the claim as the caller may now read it. */
function decideOn<A extends ActorOf<'enterprise' | 'provider' | 'issuer'>>(
  deps: RedemptionDeps,
  id: string,
  ctx: CommandContext<A>,
  access: { mayAct: (of: LoadedClaim) => boolean; who: string },
  decide: (trx: Kysely<Database>, of: LoadedClaim, now: Date) => Promise<void>,
) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: (trx) => loadClaim(trx, id, access.mayAct, access.who),
    execute: async (trx, of): Promise<RedemptionRecordView> => {
      await decide(trx, of, deps.clock.now());
      return getRedemption({ db: trx }, id, ctx.actor);
    },
  });
}

export function confirmClaim(deps: RedemptionDeps, id: string, input: ConfirmClaimInput, ctx: CommandContext<Enterprise>) {
  return decideOn(deps, id, ctx, { mayAct: holder(ctx.actor), who: "the voucher's enterprise" }, async (trx, of, now) => {
    const move = confirmationMove(of.redemption, of.claim, shanghaiDate(now));
    await assertOwnDocuments(trx, input.documents, { role: 'enterprise', scope: ctx.actor.org });
    const claim = { ...of.claim, paidAmount: input.paidAmount };
    const draft = claimConfirmedEntry(of, input, move, ctx.actor);
    await recordMove(deps, trx, of, { draft, move, claim, reason: null, paidAmount: input.paidAmount, actor: ctx.actor, now });
    await replaceClaimDocuments(trx, of.redemption.id, 'enterprise', input.documents);
    await citeClaimDocuments(trx, input.documents, partiesOf(of));
    // Without review the enterprise's confirmation approves it, in the same command (decision 0041).
    if (move.status === 'approved') await approveClaim(deps, trx, { ...of, claim }, { by: 'confirmation', reason: null }, ctx.actor, now);
  });
}

export function disputeClaim(deps: RedemptionDeps, id: string, input: ClaimReasonInput, ctx: CommandContext<Enterprise>) {
  return decideOn(deps, id, ctx, { mayAct: holder(ctx.actor), who: "the voucher's enterprise" }, async (trx, of, now) => {
    assertClaimIn(of.redemption, ['awaiting_confirmation'], 'be disputed');
    assertInTime(of.redemption, of.claim, shanghaiDate(now), 'be disputed');
    const move = { status: 'disputed', action: 'disputed', confirmationDueOn: of.claim.confirmationDueOn } as const;
    await recordMove(deps, trx, of, {
      draft: claimDisputedEntry(of, input.reason, ctx.actor),
      move,
      claim: of.claim,
      reason: input.reason,
      actor: ctx.actor,
      now,
    });
  });
}

export function resubmitClaim(deps: RedemptionDeps, id: string, input: ResubmitClaimInput, ctx: CommandContext<Provider>) {
  return decideOn(deps, id, ctx, { mayAct: claimant(ctx.actor), who: "the claim's provider" }, async (trx, of, now) => {
    assertClaimIn(of.redemption, ['disputed', 'returned'], 'be resubmitted');
    assertInTime(of.redemption, of.claim, shanghaiDate(now), 'be resubmitted');
    // A resubmission is a submission: a listed provider or related parties are refused as at the first (decision 0042).
    const parties = { provider: of.redemption.providerUscc, enterprise: of.voucher.beneficiary.uscc, checkEnterprise: false };
    await assertPartiesClear(trx, parties, of.program.region);
    await assertOwnDocuments(trx, input.documents, { role: 'provider', scope: ctx.actor.org });
    const move = submissionMove(of.program.claims, shanghaiDate(now), 'resubmitted');
    // A resubmission starts the checks again: an earlier confirmation no longer counts.
    const claim = { ...of.claim, paidAmount: null };
    await recordMove(deps, trx, of, { draft: claimResubmittedEntry(of, input, move, ctx.actor), move, claim, reason: input.note, actor: ctx.actor, now });
    await replaceClaimDocuments(trx, of.redemption.id, 'provider', input.documents);
    await replaceClaimDocuments(trx, of.redemption.id, 'enterprise', []);
    await citeClaimDocuments(trx, input.documents, partiesOf(of));
  });
}

export function withdrawClaim(deps: RedemptionDeps, id: string, input: ClaimReasonInput, ctx: CommandContext<Provider>) {
  return decideOn(deps, id, ctx, { mayAct: claimant(ctx.actor), who: "the claim's provider" }, async (trx, of, now) => {
    assertClaimIn(of.redemption, OPEN_CLAIM_STATUSES, 'be withdrawn');
    const move = { status: 'withdrawn', action: 'withdrawn', confirmationDueOn: null } as const;
    await releaseClaim(deps, trx, of, { type: 'claim.withdrawn', move, reason: input.reason }, ctx.actor, now);
  });
}

export function reviewClaim(deps: RedemptionDeps, id: string, input: ReviewClaimInput, ctx: CommandContext<Issuer>) {
  return decideOn(deps, id, ctx, { mayAct: regionIssuer(ctx.actor), who: "an issuer of the voucher's region" }, async (trx, of, now) => {
    const move = reviewMove(of.redemption, input.decision, of.program.claims, shanghaiDate(now));
    if (input.decision === 'approve') await approveClaim(deps, trx, of, { by: 'review', reason: input.reason }, ctx.actor, now);
    else if (input.decision === 'reject') await releaseClaim(deps, trx, of, { type: 'claim.rejected', move, reason: input.reason }, ctx.actor, now);
    else
      await recordMove(deps, trx, of, {
        draft: claimReturnedEntry(of, input.reason, move, ctx.actor),
        move,
        claim: of.claim,
        reason: input.reason,
        actor: ctx.actor,
        now,
      });
  });
}

/** Lapses every open claim past its day (the daily sweep, or an issuer for its region's vouchers), releasing each. */
export function lapseOverdueClaims(deps: RedemptionDeps, ctx: CommandContext, region?: string) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    execute: async (trx) => {
      const now = deps.clock.now();
      const today = shanghaiDate(now);
      const lapsed = [];
      for (const id of await overdueClaimIds(trx, today, region)) {
        const of = await loadClaim(trx, id, () => true, 'the sweep');
        if (!isOverdue(of.redemption, of.claim, today)) continue;
        const move = { status: 'lapsed', action: 'lapsed', confirmationDueOn: of.claim.confirmationDueOn } as const;
        await releaseClaim(deps, trx, of, { type: 'claim.lapsed', move, reason: `not answered by ${of.claim.confirmationDueOn}` }, ctx.actor, now);
        lapsed.push({ redemptionId: id, voucherId: of.voucher.id, dueOn: of.claim.confirmationDueOn!, released: formatFen(of.claim.reserved) });
      }
      return { lapsed };
    },
  });
}
