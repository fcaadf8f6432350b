// Settlement's use cases (decisions 0019 and 0020), one module each under use-cases/; this only wires them to the
// process's dependencies for the routes.
import type { Actor, ActorOf } from '../auth/actor.js';
import type { Deps } from '../deps.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type {
  CancelBatchInput,
  CreateBatchInput,
  ListBatchesQuery,
  MarkFailedInput,
  MarkPaidInput,
  RecoveryInput,
  StatementRow,
} from './settlement.schemas.js';
import { approveBatch } from './use-cases/approve-batch.js';
import { cancelBatch } from './use-cases/cancel-batch.js';
import { createBatch } from './use-cases/create-batch.js';
import type { Issuer } from './use-cases/dependencies.js';
import { markLineFailed } from './use-cases/mark-line-failed.js';
import { markLinePaid } from './use-cases/mark-line-paid.js';
import { paymentInstructions } from './use-cases/payment-instructions.js';
import { getBatch, listBatchViews } from './use-cases/read-batches.js';
import { reconcileStatement } from './use-cases/reconcile-statement.js';
import { recordRecovery } from './use-cases/record-recovery.js';

export function createSettlementService(deps: Deps) {
  return {
    create: (input: CreateBatchInput, ctx: CommandContext<Issuer>) => createBatch(deps, input, ctx),
    approve: (id: string, ctx: CommandContext<Issuer>) => approveBatch(deps, id, ctx),
    markPaid: (id: string, lineId: string, input: MarkPaidInput, ctx: CommandContext<Issuer>) => markLinePaid(deps, id, lineId, input, ctx),
    markFailed: (id: string, lineId: string, input: MarkFailedInput, ctx: CommandContext<Issuer>) => markLineFailed(deps, id, lineId, input, ctx),
    cancel: (id: string, input: CancelBatchInput, ctx: CommandContext<Issuer>) => cancelBatch(deps, id, input, ctx),
    /** Marks every line the bank statement shows paid with its amount; everything else is reported, never paid. */
    reconcile: (id: string, rows: StatementRow[], ctx: CommandContext<Issuer>) => reconcileStatement(deps, id, rows, ctx),
    /** Money a provider paid back in a program: it settles its receivable redemptions, oldest execution first. */
    recover: (uscc: string, input: RecoveryInput, ctx: CommandContext<Issuer>) => recordRecovery(deps, uscc, input, ctx),
    get: (id: string, actor: Actor) => getBatch(deps, id, actor),
    list: (query: ListBatchesQuery, actor: ActorOf<'issuer' | 'auditor'>) => listBatchViews(deps, query, actor),
    /** The approved batch's payment instructions for the treasury: one row per line still to be paid or paid. */
    instructions: (id: string, actor: Actor) => paymentInstructions(deps, id, actor),
  };
}
