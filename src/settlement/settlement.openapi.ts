import { z } from 'zod';
import { type Documents, type Operation } from '../http/openapi.js';
import { yuanText } from '../shared/money.js';
import {
  approveBatchSchema,
  BATCH_STATUSES,
  type BatchView,
  batchParams,
  cancelBatchSchema,
  createBatchSchema,
  lineParams,
  listBatchesQuery,
  markFailedSchema,
  markPaidSchema,
  providerParams,
  type ReconcileView,
  recoverySchema,
  type RecoveryView,
} from './settlement.schemas.js';

const tag = 'Settlement';

const shareSchema = z.strictObject({ region: z.string(), amount: yuanText });

export const batchSchema = z
  .strictObject({
    id: z.string(),
    programId: z.string(),
    region: z.string(),
    cutoff: z.string(),
    status: z.enum(BATCH_STATUSES),
    maker: z.string(),
    checker: z.string().nullable(),
    funders: z.array(z.strictObject({ region: z.string(), ratio: z.string() })),
    lines: z.array(
      z.strictObject({
        id: z.string(),
        providerUscc: z.string(),
        providerName: z.string(),
        bankAccount: z.strictObject({ bankName: z.string(), accountName: z.string(), accountNumber: z.string() }),
        amount: yuanText,
        shares: z.array(shareSchema),
        redemptionIds: z.array(z.string()),
        status: z.enum(['pending', 'paid', 'failed', 'cancelled']),
        paidOn: z.string().nullable(),
        bankReference: z.string().nullable(),
        failureReason: z.string().nullable(),
        ledgerSeq: z.number().int().nullable(),
      }),
    ),
    total: yuanText,
    receivables: z.array(z.strictObject({ providerUscc: z.string(), amount: yuanText, redemptionIds: z.array(z.string()) })),
    blocked: z.array(
      z.strictObject({
        providerUscc: z.string(),
        amount: yuanText,
        reason: z.enum(['not_registered', 'suspended', 'listed']),
        redemptionIds: z.array(z.string()),
      }),
    ),
    createdAt: z.string(),
    approvedAt: z.string().nullable(),
    approvalSeq: z.number().int().nullable(),
  })
  .meta({ id: 'PaymentBatch' });
export type BatchDocumented = Documents<typeof batchSchema, BatchView>;

const reconcileSchema = z.strictObject({
  matched: z.array(
    z.strictObject({
      reference: z.string(),
      amount: yuanText,
      paidOn: z.string(),
      bankReference: z.string(),
      ledgerSeq: z.number().int().nullable(),
      alreadyPaid: z.boolean(),
    }),
  ),
  mismatched: z.array(
    z.strictObject({
      reference: z.string(),
      amount: yuanText,
      expected: yuanText,
      reason: z.enum(['amount_differs', 'already_paid', 'line_failed', 'line_cancelled']),
    }),
  ),
  unknown: z.array(z.strictObject({ reference: z.string(), amount: yuanText })),
  stillPending: z.array(z.strictObject({ id: z.string(), providerUscc: z.string(), amount: yuanText })),
  status: z.enum(BATCH_STATUSES),
});
export type ReconcileDocumented = Documents<typeof reconcileSchema, ReconcileView>;

const recoveryViewSchema = z.strictObject({
  id: z.string(),
  programId: z.string(),
  providerUscc: z.string(),
  amount: yuanText,
  shares: z.array(shareSchema),
  redemptions: z.array(z.strictObject({ redemptionId: z.string(), amount: yuanText })),
  bankReference: z.string(),
  receivedOn: z.string(),
  ledgerSeq: z.number().int(),
  owedAfter: yuanText,
});
export type RecoveryDocumented = Documents<typeof recoveryViewSchema, RecoveryView>;

const ofRegion = { roles: ['issuer'] as 'issuer'[], scope: "the batch's region" };
const batchReaders = {
  roles: ['issuer', 'auditor'] as ('issuer' | 'auditor')[],
  scope: "an issuer of the batch's region or of a co-funding region; an auditor covering it",
};
const batch = (description: string) => ({ 200: { description, schema: batchSchema } });

export const settlementOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/payment-batches',
    tag,
    summary: "Make a payment batch of a program's unpaid claims",
    access: { roles: ['issuer'], scope: "the program's region (the maker)" },
    body: createBatchSchema,
    write: true,
    responses: { 201: { description: 'the batch, a draft', schema: batchSchema } },
    problems: ['not_found', 'future_date'],
  },
  {
    method: 'get',
    path: '/v1/payment-batches',
    tag,
    summary: 'List payment batches',
    description: 'Newest first, at most 500.',
    access: { roles: ['issuer', 'auditor'], scope: "issuers: their region's and those of programs their region co-funds; auditors: the regions they cover" },
    query: listBatchesQuery,
    responses: { 200: { description: 'the batches', schema: z.strictObject({ batches: z.array(batchSchema) }) } },
    problems: [],
  },
  {
    method: 'get',
    path: '/v1/payment-batches/:id',
    tag,
    summary: 'Read a payment batch',
    access: batchReaders,
    params: batchParams,
    responses: batch('the batch'),
    problems: ['not_found'],
  },
  {
    method: 'get',
    path: '/v1/payment-batches/:id/instructions.csv',
    tag,
    summary: "The treasury's payment instruction file",
    description:
      'UTF-8 with a byte-order mark; one row per line pending or paid; columns reference, provider_name, provider_uscc, bank_name, account_name, account_number, amount, share_<region>….',
    access: batchReaders,
    params: batchParams,
    responses: { 200: { description: 'the instruction file', schema: z.string(), contentType: 'text/csv' } },
    problems: ['not_found', 'batch_not_approved'],
  },
  {
    method: 'post',
    path: '/v1/payment-batches/:id/approve',
    tag,
    summary: 'Approve a batch (the checker, never its maker)',
    access: { roles: ['issuer'], scope: "another issuer of the batch's region" },
    params: batchParams,
    body: approveBatchSchema,
    bodyOptional: true,
    write: true,
    responses: batch('the batch, approved; a `payment.approved` entry'),
    problems: ['not_found', 'maker_checker', 'batch_not_draft', 'empty_batch', 'batch_stale'],
  },
  {
    method: 'post',
    path: '/v1/payment-batches/:id/cancel',
    tag,
    summary: 'Cancel a batch',
    access: ofRegion,
    params: batchParams,
    body: cancelBatchSchema,
    bodyOptional: true,
    write: true,
    responses: batch('the batch, cancelled'),
    problems: ['not_found', 'batch_not_cancellable'],
  },
  {
    method: 'post',
    path: '/v1/payment-batches/:id/lines/:lineId/paid',
    tag,
    summary: 'Record a line as paid',
    access: ofRegion,
    params: lineParams,
    body: markPaidSchema,
    write: true,
    responses: batch('the batch; a `payment.disbursed` entry'),
    problems: ['not_found', 'batch_not_approved', 'line_not_pending', 'future_date', 'paid_before_approval'],
  },
  {
    method: 'post',
    path: '/v1/payment-batches/:id/lines/:lineId/failed',
    tag,
    summary: 'Record a line as failed',
    access: ofRegion,
    params: lineParams,
    body: markFailedSchema,
    write: true,
    responses: batch("the batch; the line's claims are unpaid again"),
    problems: ['not_found', 'batch_not_approved', 'line_not_pending'],
  },
  {
    method: 'post',
    path: '/v1/payment-batches/:id/reconcile',
    tag,
    summary: 'Reconcile a bank statement',
    description: 'A `text/csv` body with the header `reference,amount,paidOn,bankReference`.',
    access: ofRegion,
    params: batchParams,
    csvBody: true,
    write: true,
    responses: { 200: { description: 'what matched, what did not, and what is still pending', schema: reconcileSchema } },
    problems: ['not_found', 'batch_not_approved', 'future_date', 'paid_before_approval'],
  },
  {
    method: 'post',
    path: '/v1/providers/:uscc/recoveries',
    tag,
    summary: 'Record money a provider paid back',
    access: { roles: ['issuer'], scope: "the program's region" },
    params: providerParams,
    body: recoverySchema,
    write: true,
    responses: { 201: { description: 'the recovery; a `payment.recovered` entry', schema: recoveryViewSchema } },
    problems: ['not_found', 'future_date', 'exceeds_receivable'],
  },
];
