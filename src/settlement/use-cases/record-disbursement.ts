// Recording a line paid, shared by marking one line paid and reconciling a statement.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { findProgramById } from '../../programs/programs.repository.js';
import { assertFundersUnchanged } from '../rules/approval.js';
import { isClosed, statusFromLines } from '../rules/batch-lifecycle.js';
import { disbursementEntry } from '../settlement.entries.js';
import type { PaymentBatch, PaymentLine } from '../settlement.model.js';
import { claimsOf, closeClaims, fundersOf, linesOf, updateBatch, updateLine } from '../settlement.repository.js';
import type { BatchStatus } from '../settlement.schemas.js';
import type { Issuer, SettlementDeps } from './dependencies.js';

/** Records one pending line as paid: its payment.disbursed entry, the line and its claims. Returns the entry's seq. */
export async function recordDisbursement(
  deps: SettlementDeps,
  trx: Kysely<Database>,
  actor: Issuer,
  batch: PaymentBatch,
  line: PaymentLine,
  payment: { bankReference: string; paidOn: string },
): Promise<number> {
  const program = (await findProgramById(trx, batch.programId))!;
  assertFundersUnchanged(batch, await fundersOf(trx, program));
  const claims = (await claimsOf(trx, [batch.id])).filter((claim) => claim.lineId === line.id);
  const now = deps.clock.now();
  const entry = await deps.ledger.append(trx, disbursementEntry(program, batch, line, claims, payment, actor), now);
  await updateLine(trx, line.id, {
    status: 'paid',
    paidOn: payment.paidOn,
    bankReference: payment.bankReference,
    ledgerSeq: entry.seq,
    settledAt: now.toISOString(),
  });
  await closeClaims(trx, line.id, 'paid');
  return entry.seq;
}

/** Moves the batch (as loaded before its lines changed) to the status its lines now imply; returns that status. */
export async function settleBatchStatus(deps: SettlementDeps, trx: Kysely<Database>, batch: PaymentBatch): Promise<BatchStatus> {
  const status = statusFromLines((await linesOf(trx, [batch.id])).map((line) => line.status));
  if (status !== batch.status) await updateBatch(trx, batch.id, { status, ...(isClosed(status) ? { closedAt: deps.clock.now().toISOString() } : {}) });
  return status;
}
