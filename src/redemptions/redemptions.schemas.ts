import { z } from 'zod';
import { requiredText } from '../shared/text.js';
import { calendarDateSchema } from '../shared/dates.js';
import { positiveYuanSchema } from '../shared/money.js';

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

export interface RedemptionView {
  id: string;
  voucherId: string;
  contractId: string;
  executedAmount: string;
  executedOn: string;
  rate: string;
  entitlement: string;
  subsidy: string;
  limitedBy: string | null;
  voucherBalance: string;
  ledgerSeq: number;
}

export interface ReversalView {
  id: string;
  redemptionId: string;
  executedAmount: string;
  clawback: string;
  returnedTo: 'voucher' | 'program';
  ledgerSeq: number;
}
