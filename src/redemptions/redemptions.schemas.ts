import { z } from 'zod';
import { requiredText, sha256Schema } from '../shared/text.js';
import { calendarDateSchema } from '../shared/dates.js';
import { positiveYuanSchema, yuanText } from '../shared/money.js';
import { usccSchema } from '../shared/uscc.js';
import { CLAIM_ACTIONS, DOCUMENT_PARTIES } from './claims.model.js';
import { REDEMPTION_STATUSES } from './redemptions.model.js';
import { pageQueryShape } from '../shared/pagination.js';

/** A claim's documents: each named once (one file cannot be both the contract and the invoice). */
const claimDocuments = (min: number, tooFew: string) =>
  z
    .array(sha256Schema, { error: 'must be an array of document SHA-256s' })
    .min(min, tooFew)
    .max(20, 'must list at most 20 documents')
    .refine((list) => new Set(list).size === list.length, 'must not list a document twice');

const CONTRACT_AND_INVOICE = 'must list at least two documents: the contract and the invoice (upload them with POST /v1/documents)';

export const redeemSchema = z.strictObject({
  voucherId: requiredText(64),
  contractId: requiredText(64),
  executedAmount: positiveYuanSchema,
  executedOn: calendarDateSchema,
  // NFKC: a number typed in full-width digits is the same number, and is unique nationwide as such (decision 0042).
  invoiceNumber: requiredText(64).transform((text) => text.normalize('NFKC')),
  // A claim's evidence (decision 0041): the contract and the invoice at least, uploaded with POST /v1/documents.
  documents: claimDocuments(2, CONTRACT_AND_INVOICE).optional(),
});
export type RedeemInput = z.infer<typeof redeemSchema>;

export const reverseSchema = z.strictObject({
  executedAmount: positiveYuanSchema,
  reason: requiredText(500),
});
export type ReverseInput = z.infer<typeof reverseSchema>;

export const redemptionIdParams = z.object({ id: z.string() });

const statusSchema = z.enum(REDEMPTION_STATUSES);

export const redemptionViewSchema = z
  .strictObject({
    id: z.string(),
    status: statusSchema,
    voucherId: z.string(),
    contractId: z.string(),
    executedAmount: yuanText,
    executedOn: z.string(),
    rate: z.string(),
    entitlement: yuanText,
    subsidy: yuanText,
    limitedBy: z.string().nullable(),
    voucherBalance: yuanText,
    ledgerSeq: z.number().int(),
  })
  .meta({ id: 'RedemptionRecorded' });
export type RedemptionView = z.infer<typeof redemptionViewSchema>;

export const reversalViewSchema = z
  .strictObject({
    id: z.string(),
    redemptionId: z.string(),
    executedAmount: yuanText,
    clawback: yuanText,
    returnedTo: z.enum(['voucher', 'program']),
    ledgerSeq: z.number().int(),
  })
  .meta({ id: 'Reversal' });
export type ReversalView = z.infer<typeof reversalViewSchema>;

/** Where a redemption's payment stands (settlement's SettlementView, which must stay assignable to it). */
export const redemptionSettlementSchema = z.strictObject({
  status: z.enum(['unpaid', 'in_batch', 'paid']),
  batchId: z.string().nullable(),
  paidOn: z.string().nullable(),
  bankReference: z.string().nullable(),
});

/** A claim's figures, evidence and history (decision 0041); amounts are yuan. */
export const claimViewSchema = z
  .strictObject({
    /** The executed amount the provider claimed. */
    executedAmount: yuanText,
    /** What the claim holds now: its reservation while open, 0.00 once approved or released. */
    reserved: yuanText,
    reservedAtSubmission: yuanText,
    paidAmount: yuanText.nullable(),
    /** Once approved: min(executed, paid), the subsidy owed on it, and what went back. */
    basis: yuanText.nullable(),
    approved: yuanText.nullable(),
    released: yuanText.nullable(),
    beneficiaryConfirmation: z.boolean(),
    review: z.boolean(),
    confirmationDueOn: z.string().nullable(),
    documents: z.array(
      z.strictObject({ sha256: z.string(), name: z.string(), contentType: z.string(), size: z.number().int(), from: z.enum(DOCUMENT_PARTIES) }),
    ),
    history: z.array(
      z.strictObject({
        action: z.enum(CLAIM_ACTIONS),
        at: z.string(),
        actor: z.strictObject({ role: z.string(), sub: z.string() }),
        reason: z.string().nullable(),
        paidAmount: yuanText.nullable(),
        ledgerSeq: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'Claim' });
export type ClaimView = z.infer<typeof claimViewSchema>;

/** A redemption as it stands now: what was granted, what reversals clawed back, and where its payment is. */
export const redemptionRecordViewSchema = z
  .strictObject({
    id: z.string(),
    status: statusSchema,
    voucherId: z.string(),
    contractId: z.string(),
    providerUscc: z.string(),
    programId: z.string(),
    executedAmount: yuanText,
    executedOn: z.string(),
    invoiceNumber: z.string(),
    rate: z.string(),
    entitlement: yuanText,
    subsidy: yuanText,
    limitedBy: z.string().nullable(),
    reversedAmount: yuanText,
    clawedBack: yuanText,
    netSubsidy: yuanText,
    ledgerSeq: z.number().int(),
    settlement: redemptionSettlementSchema,
    /** Null for a redemption of a program without claims. */
    claim: claimViewSchema.nullable(),
  })
  .meta({ id: 'Redemption' });
export type RedemptionRecordView = z.infer<typeof redemptionRecordViewSchema>;

export const listRedemptionsQuery = z.strictObject({
  ...pageQueryShape,
  programId: requiredText(64).optional(),
  voucherId: requiredText(64).optional(),
  contractId: requiredText(64).optional(),
  providerUscc: usccSchema.optional(),
  status: z.enum(REDEMPTION_STATUSES, { error: `must be one of ${REDEMPTION_STATUSES.join(', ')}` }).optional(),
});
export type ListRedemptionsQuery = z.infer<typeof listRedemptionsQuery>;

/** The enterprise confirms what it actually paid the provider for the execution, with its proof (decision 0041). */
export const confirmClaimSchema = z.strictObject({
  paidAmount: positiveYuanSchema,
  documents: claimDocuments(1, 'must list at least one document: the proof of payment (upload it with POST /v1/documents)'),
});
export type ConfirmClaimInput = z.infer<typeof confirmClaimSchema>;

export const claimReasonSchema = z.strictObject({ reason: requiredText(500) });
export type ClaimReasonInput = z.infer<typeof claimReasonSchema>;

export const resubmitClaimSchema = z.strictObject({
  documents: claimDocuments(2, CONTRACT_AND_INVOICE),
  note: requiredText(500),
});
export type ResubmitClaimInput = z.infer<typeof resubmitClaimSchema>;

export const reviewClaimSchema = z.strictObject({
  decision: z.enum(['approve', 'reject', 'return'], { error: 'must be "approve", "reject" or "return"' }),
  reason: requiredText(500),
});
export type ReviewClaimInput = z.infer<typeof reviewClaimSchema>;

export const lapseSweepSchema = z.strictObject({}).optional();

/** What the lapse sweep released: per claim, the day it missed and its reservation. */
export const lapseSweepViewSchema = z
  .strictObject({
    lapsed: z.array(z.strictObject({ redemptionId: z.string(), voucherId: z.string(), dueOn: z.string(), released: yuanText })),
  })
  .meta({ id: 'ClaimLapseSweep' });
