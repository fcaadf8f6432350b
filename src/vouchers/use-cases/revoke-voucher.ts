// An issuer revokes an active voucher of its region, giving a reason; its balance returns to its program.
import { assertRegionAccess } from '../../auth/auth.middleware.js';
import { accountBalance } from '../../ledger/ledger.repository.js';
import { accounts } from '../../ledger/ledger.types.js';
import { DomainError } from '../../shared/errors.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { findVoucher } from '../vouchers.repository.js';
import type { RevokeVoucherInput } from '../vouchers.schemas.js';
import { voucherView } from '../vouchers.views.js';
import { closeAndReturn } from './close-voucher.js';
import type { Issuer, VoucherDeps } from './dependencies.js';

export async function revokeVoucher(deps: VoucherDeps, id: string, input: RevokeVoucherInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: async (trx) => {
      const voucher = await findVoucher(trx, id);
      if (!voucher) throw DomainError.notFound('voucher');
      assertRegionAccess(ctx.actor, voucher.region);
      return voucher;
    },
    execute: async (trx, voucher) => {
      if (voucher.status !== 'active') throw new DomainError('voucher_not_active', `the voucher is already ${voucher.status}`);
      await closeAndReturn(deps, trx, voucher, { how: 'revoked', reason: input.reason }, ctx.actor, deps.clock.now());
      const revoked = (await findVoucher(trx, id))!;
      return voucherView(revoked, await accountBalance(trx, accounts.voucher(revoked.id)));
    },
  });
}
