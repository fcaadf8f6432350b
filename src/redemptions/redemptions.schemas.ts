import { z } from 'zod';
import { requiredText } from '../shared/text.js';
import { calendarDateSchema } from '../shared/dates.js';
import { positiveYuanSchema, yuanText } from '../shared/money.js';
import { usccSchema } from '../shared/uscc.js';
import { pageQueryShape } from '../shared/pagination.js';

export const redeemSchema = z.strictObject({
  voucherId: requiredText(64),
  contractId: requiredText(64),
  executedAmount: positiveYuanSchema,
  executedOn: calendarDateSchema,
  invoiceNumber: requiredText(64),
});
export type RedeemInput = z.infer<typeof redeemSchema>;

export const reverseSchema = z.strictObject({
  executedAmount: positiveYuanSchema,
  reason: requiredText(500),
});
export type ReverseInput = z.infer<typeof reverseSchema>;

export const redemptionIdParams = z.object({ id: z.string() });

export const redemptionViewSchema = z
  .strictObject({
    id: z.string(),
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

/** A redemption as it stands now: what was granted, what reversals clawed back, and where its payment is. */
export const redemptionRecordViewSchema = z
  .strictObject({
    id: z.string(),
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
  })
  .meta({ id: 'Redemption' });
export type RedemptionRecordView = z.infer<typeof redemptionRecordViewSchema>;

export const listRedemptionsQuery = z.strictObject({
  ...pageQueryShape,
  programId: requiredText(64).optional(),
  voucherId: requiredText(64).optional(),
  contractId: requiredText(64).optional(),
  providerUscc: usccSchema.optional(),
});
export type ListRedemptionsQuery = z.infer<typeof listRedemptionsQuery>;
