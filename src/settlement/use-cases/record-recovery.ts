// An issuer records money a provider paid back in a program (decision 0020).
import { randomUUID } from 'node:crypto';
import { todayIn } from '../../shared/clock.js';
import { formatFen } from '../../shared/money.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { allocateRecovery } from '../rules/allocate-recovery.js';
import { assertNotAfterToday } from '../rules/batch-lifecycle.js';
import { recoveryEntry } from '../settlement.entries.js';
import { fundersOf, insertRecovery, redemptionClaims } from '../settlement.repository.js';
import type { RecoveryInput, RecoveryView } from '../settlement.schemas.js';
import { sharesView } from '../settlement.views.js';
import type { Issuer, SettlementDeps } from './dependencies.js';
import { issuersProgram } from './issuer-access.js';

export async function recordRecovery(deps: SettlementDeps, providerUscc: string, input: RecoveryInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    authorize: (trx) => issuersProgram(trx, input.programId, ctx.actor),
    execute: async (trx, program): Promise<RecoveryView> => {
      assertNotAfterToday(input.receivedOn, todayIn(deps.clock), 'receivedOn');
      const claims = await redemptionClaims(trx, program.id, { providerUscc });
      const funders = await fundersOf(trx, program);
      const { items, shares, owedAfter } = allocateRecovery({ programId: program.id, providerUscc, amount: input.amount, claims, funders });

      const now = deps.clock.now();
      const id = `rcv_${randomUUID()}`;
      const { amount, bankReference, receivedOn } = input;
      const entry = await deps.ledger.append(
        trx,
        recoveryEntry(program, { id, providerUscc, amount, funders, shares, items, bankReference, receivedOn }, ctx.actor),
        now,
      );
      const recovery = {
        id,
        programId: program.id,
        providerUscc,
        amount,
        bankReference,
        receivedOn,
        ledgerSeq: entry.seq,
        createdAt: now.toISOString(),
        createdBy: ctx.actor.sub,
      };
      await insertRecovery(trx, recovery, items);
      return {
        id,
        programId: program.id,
        providerUscc,
        amount: formatFen(amount),
        shares: sharesView(shares),
        redemptions: items.map((item) => ({ redemptionId: item.redemptionId, amount: formatFen(item.amount) })),
        bankReference,
        receivedOn,
        ledgerSeq: entry.seq,
        owedAfter: formatFen(owedAfter),
      };
    },
  });
}
