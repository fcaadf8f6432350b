// The applications' use cases, one module each under use-cases/; this only wires them to the process's
// dependencies for the routes.
import type { Deps } from '../deps.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type {
  ApplicationBody,
  GrantInput,
  ListApplicationsQuery,
  ListNoticesQuery,
  ListOpenProgramsQuery,
  ObjectionInput,
  ResolveObjectionInput,
  ReviewInput,
} from './applications.schemas.js';
import type { Enterprise, Issuer, Reader } from './use-cases/dependencies.js';
import { grantVoucher } from './use-cases/grant-voucher.js';
import { recordObjection, resolveObjection } from './use-cases/objections.js';
import { getApplication, listApplicationViews, listCallsForApplications, listPublicNotices } from './use-cases/read-applications.js';
import { reviewApplication } from './use-cases/review-application.js';
import { resubmitApplication, submitApplication } from './use-cases/submit-application.js';

export function createApplicationService(deps: Deps) {
  return {
    submit: (input: ApplicationBody, ctx: CommandContext<Enterprise>) => submitApplication(deps, input, ctx),
    resubmit: (id: string, input: ApplicationBody, ctx: CommandContext<Enterprise>) => resubmitApplication(deps, id, input, ctx),
    review: (id: string, input: ReviewInput, ctx: CommandContext<Issuer>) => reviewApplication(deps, id, input, ctx),
    object: (id: string, input: ObjectionInput, ctx: CommandContext<Issuer>) => recordObjection(deps, id, input, ctx),
    resolve: (id: string, objectionId: string, input: ResolveObjectionInput, ctx: CommandContext<Issuer>) =>
      resolveObjection(deps, id, objectionId, input, ctx),
    grant: (id: string, input: GrantInput, ctx: CommandContext<Issuer>) => grantVoucher(deps, id, input, ctx),
    get: (id: string, actor: Reader) => getApplication(deps.db, id, actor),
    list: (query: ListApplicationsQuery, actor: Reader) => listApplicationViews(deps.db, query, actor),
    notices: (query: ListNoticesQuery) => listPublicNotices(deps.db, deps.clock, query),
    calls: (query: ListOpenProgramsQuery) => listCallsForApplications(deps.db, deps.clock, query),
  };
}
