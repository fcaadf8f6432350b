// The vouchers' use cases, one module each under use-cases/; this only wires them to the process's dependencies
// for the routes and scripts/sweep-expired.ts.
import type { Actor, ActorOf } from '../auth/actor.js';
import type { Deps } from '../deps.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type { IssueVoucherInput, ListVouchersQuery, RevokeVoucherInput } from './vouchers.schemas.js';
import type { Issuer } from './use-cases/dependencies.js';
import { issueVoucher } from './use-cases/issue-voucher.js';
import { getVoucher, listVoucherViews } from './use-cases/read-vouchers.js';
import { revokeVoucher } from './use-cases/revoke-voucher.js';
import { sweepExpiredVouchers } from './use-cases/sweep-expired.js';

export function createVoucherService(deps: Deps) {
  return {
    issue: (input: IssueVoucherInput, ctx: CommandContext<Issuer>) => issueVoucher(deps, input, ctx),
    get: (id: string, actor: Actor) => getVoucher(deps, id, actor),
    /** A page of an issuer's region's vouchers, those of the regions an auditor covers, or an enterprise's own. */
    list: (query: ListVouchersQuery, actor: ActorOf<'issuer' | 'auditor' | 'enterprise'>) => listVoucherViews(deps, query, actor),
    revoke: (id: string, input: RevokeVoucherInput, ctx: CommandContext<Issuer>) => revokeVoucher(deps, id, input, ctx),
    /** Closes every active voucher whose validity has ended and returns its balance to its program. */
    sweepExpired: (ctx: CommandContext, region?: string) => sweepExpiredVouchers(deps, ctx, region),
  };
}
