import { z } from 'zod';
import { calendarDateSchema } from '../shared/dates.js';
import { positiveYuanSchema } from '../shared/money.js';
import { requiredText } from '../shared/text.js';
import { usccSchema } from '../shared/uscc.js';

export const BATCH_STATUSES = ['draft', 'approved', 'partially_paid', 'paid', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export type LineStatus = 'pending' | 'paid' | 'failed' | 'cancelled';

/** A bank's reference for a transfer: visible characters, no separators a statement file could split on. */
const bankReference = requiredText(64).regex(/^[\x21-\x7e]+$/, 'must be 1 to 64 visible ASCII characters');

export const createBatchSchema = z.strictObject({
  programId: requiredText(64),
  cutoff: calendarDateSchema,
});
export type CreateBatchInput = z.infer<typeof createBatchSchema>;

/** An approval carries no fields; an empty body (or none) is accepted, anything else is refused. */
export const approveBatchSchema = z.strictObject({}).optional();

export const markPaidSchema = z.strictObject({ bankReference, paidOn: calendarDateSchema });
export type MarkPaidInput = z.infer<typeof markPaidSchema>;

export const markFailedSchema = z.strictObject({ reason: requiredText(500) });
export type MarkFailedInput = z.infer<typeof markFailedSchema>;

export const cancelBatchSchema = z.strictObject({ reason: requiredText(500).optional() }).default({});
export type CancelBatchInput = z.infer<typeof cancelBatchSchema>;

export const recoverySchema = z.strictObject({
  programId: requiredText(64),
  amount: positiveYuanSchema,
  bankReference,
  receivedOn: calendarDateSchema,
});
export type RecoveryInput = z.infer<typeof recoverySchema>;

/** One row of a bank statement as the treasury's CSV has it: reference (our line id), amount, paidOn, bankReference. */
export const statementRowSchema = z.strictObject({
  reference: requiredText(64),
  amount: positiveYuanSchema,
  paidOn: calendarDateSchema,
  bankReference,
});
export type StatementRow = z.infer<typeof statementRowSchema>;
export const STATEMENT_COLUMNS = ['reference', 'amount', 'paidOn', 'bankReference'] as const;

export const batchParams = z.object({ id: z.string() });
export const lineParams = z.object({ id: z.string(), lineId: z.string() });
export const providerParams = z.object({ uscc: usccSchema });

export const listBatchesQuery = z.strictObject({
  programId: requiredText(64).optional(),
  status: z.enum(BATCH_STATUSES, { error: `must be one of ${BATCH_STATUSES.join(', ')}` }).optional(),
});
export type ListBatchesQuery = z.infer<typeof listBatchesQuery>;

export interface ShareView {
  region: string;
  amount: string;
}

export interface LineView {
  id: string;
  providerUscc: string;
  providerName: string;
  bankAccount: { bankName: string; accountName: string; accountNumber: string };
  amount: string;
  shares: ShareView[];
  redemptionIds: string[];
  status: LineStatus;
  paidOn: string | null;
  bankReference: string | null;
  failureReason: string | null;
  ledgerSeq: number | null;
}

export interface ReceivableView {
  providerUscc: string;
  amount: string;
  redemptionIds: string[];
}

export interface BlockedView {
  providerUscc: string;
  amount: string;
  /** listed: on a watchlist that applies to the program (decision 0042). */
  reason: 'not_registered' | 'suspended' | 'listed';
  redemptionIds: string[];
}

export interface BatchView {
  id: string;
  programId: string;
  region: string;
  cutoff: string;
  status: BatchStatus;
  maker: string;
  checker: string | null;
  funders: { region: string; ratio: string }[];
  lines: LineView[];
  total: string;
  receivables: ReceivableView[];
  blocked: BlockedView[];
  createdAt: string;
  approvedAt: string | null;
  approvalSeq: number | null;
}

export interface ReconcileView {
  matched: { reference: string; amount: string; paidOn: string; bankReference: string; ledgerSeq: number | null; alreadyPaid: boolean }[];
  mismatched: { reference: string; amount: string; expected: string; reason: 'amount_differs' | 'already_paid' | 'line_failed' | 'line_cancelled' }[];
  unknown: { reference: string; amount: string }[];
  stillPending: { id: string; providerUscc: string; amount: string }[];
  status: BatchStatus;
}

export interface RecoveryView {
  id: string;
  programId: string;
  providerUscc: string;
  amount: string;
  shares: ShareView[];
  redemptions: { redemptionId: string; amount: string }[];
  bankReference: string;
  receivedOn: string;
  ledgerSeq: number;
  owedAfter: string;
}

/** A redemption's place in settlement, as GET /v1/redemptions/:id shows it. */
export interface SettlementView {
  status: 'unpaid' | 'in_batch' | 'paid';
  batchId: string | null;
  paidOn: string | null;
  bankReference: string | null;
}
