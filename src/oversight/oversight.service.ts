// Oversight's use cases (decision 0042), one module each under use-cases/; this only wires them to the process's
// dependencies for the routes.
import type { Deps } from '../deps.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type {
  DeclareGroupInput,
  DelistInput,
  DrawSpotCheckInput,
  ListEnterpriseInput,
  ListGroupsQuery,
  ListSpotChecksQuery,
  ListWatchlistQuery,
  SpotCheckResultInput,
} from './oversight.schemas.js';
import type { Checker, Issuer } from './use-cases/dependencies.js';
import { declareGroup, readGroups } from './use-cases/related-parties.js';
import { drawSpotCheck, readSpotCheck, readSpotChecks, recordResult } from './use-cases/spot-checks.js';
import { delistEnterprise, listEnterprise, readWatchlist } from './use-cases/watchlist.js';

export function createOversightService(deps: Deps) {
  return {
    list: (input: ListEnterpriseInput, ctx: CommandContext<Issuer>) => listEnterprise(deps, input, ctx),
    delist: (uscc: string, input: DelistInput, ctx: CommandContext<Issuer>) => delistEnterprise(deps, uscc, input, ctx),
    watchlist: (query: ListWatchlistQuery, actor: Checker) => readWatchlist(deps, query, actor),
    declareGroup: (input: DeclareGroupInput, ctx: CommandContext<Issuer>) => declareGroup(deps, input, ctx),
    groups: (query: ListGroupsQuery) => readGroups(deps, query),
    drawSpotCheck: (programId: string, input: DrawSpotCheckInput, ctx: CommandContext<Checker>) => drawSpotCheck(deps, programId, input, ctx),
    recordResult: (id: string, input: SpotCheckResultInput, ctx: CommandContext<Checker>) => recordResult(deps, id, input, ctx),
    spotCheck: (id: string, actor: Checker) => readSpotCheck(deps, id, actor),
    spotChecks: (query: ListSpotChecksQuery, actor: Checker) => readSpotChecks(deps, query, actor),
  };
}
