// An issuer records one line of an approved batch as paid, from the treasury's confirmation.
import { todayIn } from '../../shared/clock.js';
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { assertPaidOn, assertPayable, pendingLine } from '../rules/batch-lifecycle.js';
import { linesOf } from '../settlement.repository.js';
import type { BatchView, MarkPaidInput } from '../settlement.schemas.js';
import type { Issuer, SettlementDeps } from './dependencies.js';
import { issuersBatch } from './issuer-access.js';
import { reloadBatchView } from './read-batches.js';
import { recordDisbursement, settleBatchStatus } from './record-disbursement.js';

export async function markLinePaid(deps: SettlementDeps, batchId: string, lineId: string, input: MarkPaidInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: (trx) => issuersBatch(trx, batchId, ctx.actor),
    execute: async (trx, batch): Promise<BatchView> => {
      assertPayable(batch);
      const line = pendingLine(await linesOf(trx, [batch.id]), lineId);
      assertPaidOn(batch, input.paidOn, todayIn(deps.clock), 'paidOn');
      await recordDisbursement(deps, trx, ctx.actor, batch, line, input);
      await settleBatchStatus(deps, trx, batch);
      return reloadBatchView(trx, batch.id);
    },
  });
}
