// The redemptions' use cases, one module each under use-cases/; this only wires them to the process's
// dependencies for the routes and the benchmark (scripts/bench/redemptions.ts).
import type { Deps } from '../deps.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type { RedeemInput, ReverseInput } from './redemptions.schemas.js';
import type { Provider, Reverser } from './use-cases/dependencies.js';
import { redeem } from './use-cases/redeem.js';
import { reverse } from './use-cases/reverse.js';

export function createRedemptionService(deps: Deps) {
  return {
    redeem: (input: RedeemInput, ctx: CommandContext<Provider>) => redeem(deps, input, ctx),
    reverse: (redemptionId: string, input: ReverseInput, ctx: CommandContext<Reverser>) => reverse(deps, redemptionId, input, ctx),
  };
}
