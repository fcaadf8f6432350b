// An issuer gives a beneficiary a voucher from its program's available money.
import { randomUUID } from 'node:crypto';
import { assertRegionAccess } from '../../auth/auth.middleware.js';
import { accountBalance } from '../../ledger/ledger.repository.js';
import { accounts } from '../../ledger/ledger.types.js';
import { findProgramById } from '../../programs/programs.repository.js';
import { assertNotListed } from '../../oversight/oversight.guards.js';
import { assertProgramOpen, assertWithinPeriod } from '../../programs/rules/close.js';
import { todayIn } from '../../shared/clock.js';
import { shanghaiDate } from '../../shared/dates.js';
import { DomainError } from '../../shared/errors.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { voucherIssuedEntry } from '../vouchers.entries.js';
import { insertVoucher } from '../vouchers.repository.js';
import type { IssueVoucherInput } from '../vouchers.schemas.js';
import { voucherView } from '../vouchers.views.js';
import { decideIssuance } from '../rules/issuance.js';
import type { Issuer, VoucherDeps } from './dependencies.js';

export async function issueVoucher(deps: VoucherDeps, input: IssueVoucherInput, ctx: CommandContext<Issuer>) {
  if (input.expiresOn < todayIn(deps.clock)) throw DomainError.validation([{ field: 'expiresOn', message: 'must not be in the past (Asia/Shanghai)' }]);
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    authorize: async (trx) => {
      const program = await findProgramById(trx, input.programId);
      if (!program) throw DomainError.notFound('program', 'programId');
      assertRegionAccess(ctx.actor, program.region);
      // Such a program's vouchers follow an application, two reviews and a public notice (decision 0038).
      if (program.applications)
        throw new DomainError('issuance_by_application', `program ${program.id} issues vouchers by application: grant one from an approved application`, {
          field: 'programId',
        });
      return program;
    },
    execute: async (trx, program) => {
      const available = await accountBalance(trx, accounts.program(program.id));
      const terms = { programId: program.id, kind: program.kind, region: program.region, beneficiary: input.beneficiary, amount: input.amount };
      const now = deps.clock.now();
      // Checked again at the instant the entry records: a request that crossed midnight since the first check.
      if (input.expiresOn < shanghaiDate(now)) throw DomainError.validation([{ field: 'expiresOn', message: 'must not be in the past (Asia/Shanghai)' }]);
      // Business state, checked after an Idempotency-Key's replay would have answered: a retried issuance replays.
      assertProgramOpen(program);
      assertWithinPeriod(program, input.expiresOn);
      await assertNotListed(trx, 'enterprise', input.beneficiary.uscc, program.region, 'beneficiary.uscc');
      const voucher = decideIssuance({ id: `vch_${randomUUID()}`, ...terms, expiresOn: input.expiresOn }, available, now);
      await insertVoucher(trx, voucher);
      await deps.ledger.append(trx, voucherIssuedEntry(voucher, ctx.actor), now);
      return voucherView(voucher, await accountBalance(trx, accounts.voucher(voucher.id)));
    },
  });
}
