// An issuer grants the voucher of an approved application once its public notice has ended with no objection
// open: the same money rule as direct issuance (the program must hold the amount), and the voucher.issued entry
// names the application, both reviewers, the notice and the documents (decision 0038).
import { randomUUID } from 'node:crypto';
import { accountBalance } from '../../ledger/ledger.repository.js';
import { assertNotListed } from '../../oversight/oversight.guards.js';
import { findProgramById } from '../../programs/programs.repository.js';
import { assertProgramOpen, assertWithinPeriod } from '../../programs/rules/close.js';
import { accounts } from '../../ledger/ledger.types.js';
import { todayIn } from '../../shared/clock.js';
import { shanghaiDate } from '../../shared/dates.js';
import { DomainError } from '../../shared/errors.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { voucherIssuedEntry } from '../../vouchers/vouchers.entries.js';
import { decideIssuance } from '../../vouchers/rules/issuance.js';
import { insertVoucher } from '../../vouchers/vouchers.repository.js';
import { voucherView } from '../../vouchers/vouchers.views.js';
import { grantedFrom } from '../applications.entries.js';
import type { Application } from '../applications.model.js';
import { saveApplication } from '../applications.repository.js';
import type { GrantInput } from '../applications.schemas.js';
import { assertGrantable } from '../rules/lifecycle.js';
import { loadApplication, recordDecision } from './application-access.js';
import type { ApplicationDeps, Issuer } from './dependencies.js';

export async function grantVoucher(deps: ApplicationDeps, id: string, input: GrantInput, ctx: CommandContext<Issuer>) {
  const today = todayIn(deps.clock);
  if (input.expiresOn < today) throw DomainError.validation([{ field: 'expiresOn', message: 'must not be in the past (Asia/Shanghai)' }]);
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    authorize: (trx) => loadApplication(trx, id, ctx.actor),
    execute: async (trx, current) => {
      // One instant for the checks and the entry: a grant at midnight is judged by the day it is recorded on.
      const now = deps.clock.now();
      if (input.expiresOn < shanghaiDate(now)) throw DomainError.validation([{ field: 'expiresOn', message: 'must not be in the past (Asia/Shanghai)' }]);
      const { amount } = assertGrantable(current, shanghaiDate(now));
      const program = (await findProgramById(trx, current.programId))!;
      assertProgramOpen(program);
      assertWithinPeriod(program, input.expiresOn);
      await assertNotListed(trx, 'enterprise', current.enterprise.uscc, program.region);
      const available = await accountBalance(trx, accounts.program(current.programId));
      const voucher = decideIssuance(
        {
          id: `vch_${randomUUID()}`,
          programId: current.programId,
          kind: current.kind,
          region: current.region,
          beneficiary: current.enterprise,
          amount,
          expiresOn: input.expiresOn,
        },
        available,
        now,
      );
      const application: Application = { ...current, status: 'granted', voucherId: voucher.id, updatedAt: now.toISOString() };
      await insertVoucher(trx, voucher);
      await saveApplication(trx, application);
      await recordDecision(deps, trx, application, voucherIssuedEntry(voucher, ctx.actor, grantedFrom(current)), 'granted', now, { amount });
      return voucherView(voucher, await accountBalance(trx, accounts.voucher(voucher.id)));
    },
  });
}
