// An issuer records that the treasury could not pay one line (decision 0019: not a ledger entry, no money moved).
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { assertPayable, pendingLine } from '../rules/batch-lifecycle.js';
import { closeClaims, linesOf, updateLine } from '../settlement.repository.js';
import type { BatchView, MarkFailedInput } from '../settlement.schemas.js';
import type { Issuer, SettlementDeps } from './dependencies.js';
import { issuersBatch } from './issuer-access.js';
import { reloadBatchView } from './read-batches.js';
import { settleBatchStatus } from './record-disbursement.js';

export async function markLineFailed(deps: SettlementDeps, batchId: string, lineId: string, input: MarkFailedInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: (trx) => issuersBatch(trx, batchId, ctx.actor),
    execute: async (trx, batch): Promise<BatchView> => {
      assertPayable(batch);
      const line = pendingLine(await linesOf(trx, [batch.id]), lineId);
      await updateLine(trx, line.id, { status: 'failed', failureReason: input.reason, settledAt: deps.clock.now().toISOString() });
      // Its claims return to unpaid: the next batch gathers them again.
      await closeClaims(trx, line.id, 'released');
      await settleBatchStatus(deps, trx, batch);
      return reloadBatchView(trx, batch.id);
    },
  });
}
