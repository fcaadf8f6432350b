// Where a batch and its lines may go next, as pure checks on what was loaded (decisions 0019 and 0020).
import { shanghaiDate } from '../../shared/dates.js';
import { DomainError } from '../../shared/errors.js';
import type { PaymentBatch, PaymentLine } from '../settlement.model.js';
import type { BatchStatus, LineStatus } from '../settlement.schemas.js';

/** A batch's status follows from its lines once it is approved: pending lines keep it open. */
export function statusFromLines(lines: readonly LineStatus[]): BatchStatus {
  const pending = lines.includes('pending');
  const paid = lines.includes('paid');
  if (pending) return paid ? 'partially_paid' : 'approved';
  // Every line settled: paid if any money went out, else nothing is left to pay (all failed).
  return paid ? 'paid' : 'cancelled';
}

/** A closed batch is done with: nothing of it is paid, failed or cancelled any more. */
export const isClosed = (status: BatchStatus): boolean => status === 'paid' || status === 'cancelled';

/** Nothing can have happened after today (Asia/Shanghai): a later date is a typing error, refused. */
export function assertNotAfterToday(date: string, today: string, field: string): void {
  if (date > today) throw new DomainError('future_date', `${field} ${date} is after today (Asia/Shanghai)`, { field });
}

/** Segregation of duties: whoever prepared the batch may not approve it. */
export function assertCheckerIsNotMaker(batch: PaymentBatch, checker: string): void {
  if (batch.maker === checker) throw new DomainError('maker_checker', `payment batch ${batch.id} was made by ${batch.maker}: another issuer must approve it`);
}

export function assertDraft(batch: PaymentBatch): void {
  if (batch.status !== 'draft') throw new DomainError('batch_not_draft', `payment batch ${batch.id} is ${batch.status}: only a draft is approved`);
}

export function assertPayable(batch: PaymentBatch): void {
  if (batch.status !== 'approved' && batch.status !== 'partially_paid')
    throw new DomainError('batch_not_approved', `payment batch ${batch.id} is ${batch.status}: only an approved batch's lines are paid or failed`);
}

/** A paid batch may be reconciled again: its rows match (already paid) or not, and nothing is paid twice. */
export function assertReconcilable(batch: PaymentBatch): void {
  if (batch.status !== 'paid') assertPayable(batch);
}

export function assertCancellable(batch: PaymentBatch): void {
  if (batch.status !== 'draft' && batch.status !== 'approved')
    throw new DomainError(
      'batch_not_cancellable',
      `payment batch ${batch.id} is ${batch.status}: only a draft, or an approved batch with no line paid, is cancelled`,
    );
}

/** The line of the batch that is still waiting to be paid or failed. */
export function pendingLine(lines: readonly PaymentLine[], lineId: string): PaymentLine {
  const line = lines.find((l) => l.id === lineId);
  if (!line) throw DomainError.notFound('payment line');
  if (line.status !== 'pending') throw new DomainError('line_not_pending', `line ${lineId} is ${line.status}`);
  return line;
}

/** A line is paid on a day between the batch's approval and today (Asia/Shanghai), both included. */
export function assertPaidOn(batch: PaymentBatch, paidOn: string, today: string, field: string): void {
  assertNotAfterToday(paidOn, today, field);
  const approvedOn = shanghaiDate(new Date(batch.approvedAt!));
  if (paidOn < approvedOn) throw new DomainError('paid_before_approval', `${field} ${paidOn} is before the batch was approved on ${approvedOn}`, { field });
}
