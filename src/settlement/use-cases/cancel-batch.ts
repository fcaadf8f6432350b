// An issuer cancels a draft, or an approved batch none of whose lines is paid (decision 0019: not a ledger entry).
import type { CommandContext } from '../../unit-of-work/unit-of-work.js';
import { assertCancellable } from '../rules/batch-lifecycle.js';
import { closeClaims, linesOf, updateBatch, updateLine } from '../settlement.repository.js';
import type { BatchView, CancelBatchInput } from '../settlement.schemas.js';
import type { Issuer, SettlementDeps } from './dependencies.js';
import { issuersBatch } from './issuer-access.js';
import { reloadBatchView } from './read-batches.js';

export async function cancelBatch(deps: SettlementDeps, batchId: string, input: CancelBatchInput, ctx: CommandContext<Issuer>) {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    authorize: (trx) => issuersBatch(trx, batchId, ctx.actor),
    execute: async (trx, batch): Promise<BatchView> => {
      assertCancellable(batch);
      const now = deps.clock.now().toISOString();
      const pending = (await linesOf(trx, [batch.id])).filter((line) => line.status === 'pending');
      for (const line of pending) {
        await updateLine(trx, line.id, { status: 'cancelled', failureReason: input.reason ?? null, settledAt: now });
        // Its claims return to unpaid: the next batch gathers them again.
        await closeClaims(trx, line.id, 'released');
      }
      await updateBatch(trx, batch.id, { status: 'cancelled', closedAt: now });
      return reloadBatchView(trx, batch.id);
    },
  });
}
