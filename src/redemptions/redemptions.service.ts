// The redemptions' use cases, one module each under use-cases/; this only wires them to the process's
// dependencies for the routes, scripts/sweep-expired.ts and the benchmark (scripts/bench/redemptions.ts).
import type { Deps } from '../deps.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type { ClaimReasonInput, ConfirmClaimInput, RedeemInput, ResubmitClaimInput, ReverseInput, ReviewClaimInput } from './redemptions.schemas.js';
import { confirmClaim, disputeClaim, lapseOverdueClaims, resubmitClaim, reviewClaim, withdrawClaim } from './use-cases/claim-actions.js';
import type { Enterprise, Issuer, Provider, Reverser } from './use-cases/dependencies.js';
import { redeem } from './use-cases/redeem.js';
import { reverse } from './use-cases/reverse.js';

export function createRedemptionService(deps: Deps) {
  return {
    redeem: (input: RedeemInput, ctx: CommandContext<Provider>) => redeem(deps, input, ctx),
    reverse: (redemptionId: string, input: ReverseInput, ctx: CommandContext<Reverser>) => reverse(deps, redemptionId, input, ctx),
    // Claims (decision 0041).
    confirm: (id: string, input: ConfirmClaimInput, ctx: CommandContext<Enterprise>) => confirmClaim(deps, id, input, ctx),
    dispute: (id: string, input: ClaimReasonInput, ctx: CommandContext<Enterprise>) => disputeClaim(deps, id, input, ctx),
    resubmit: (id: string, input: ResubmitClaimInput, ctx: CommandContext<Provider>) => resubmitClaim(deps, id, input, ctx),
    withdraw: (id: string, input: ClaimReasonInput, ctx: CommandContext<Provider>) => withdrawClaim(deps, id, input, ctx),
    review: (id: string, input: ReviewClaimInput, ctx: CommandContext<Issuer>) => reviewClaim(deps, id, input, ctx),
    lapseOverdue: (ctx: CommandContext, region?: string) => lapseOverdueClaims(deps, ctx, region),
  };
}
