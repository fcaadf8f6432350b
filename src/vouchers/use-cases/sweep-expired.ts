// Closes every active voucher whose validity has ended and returns its balance to its program (scripts/sweep-expired.ts
// daily, or an issuer for its region).
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { todayIn } from '../../shared/clock.js';
import { formatFen } from '../../shared/money.js';
import { findLapsedVouchers } from '../vouchers.repository.js';
import { closeAndReturn } from './close-voucher.js';
import type { VoucherDeps } from './dependencies.js';

export async function sweepExpiredVouchers(deps: VoucherDeps, ctx: CommandContext, region?: string) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    execute: async (trx) => {
      const now = deps.clock.now();
      const lapsed = await findLapsedVouchers(trx, todayIn(deps.clock), region);
      const expired = [];
      for (const voucher of lapsed) {
        const returned = await closeAndReturn(deps, trx, voucher, { how: 'expired', reason: 'validity ended' }, ctx.actor, now);
        expired.push({ voucherId: voucher.id, programId: voucher.programId, returned: formatFen(returned) });
      }
      return { expired };
    },
  });
}
