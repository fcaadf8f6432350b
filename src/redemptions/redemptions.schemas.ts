import { z } from 'zod';
import { calendarDateSchema } from '../shared/dates.js';
import { positiveYuanSchema } from '../shared/money.js';

const text = (max: number) =>
  z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const redeemSchema = z.strictObject({
  voucherId: text(64),
  contractId: text(64),
  executedAmount: positiveYuanSchema,
  executedOn: calendarDateSchema,
  invoiceNumber: text(64),
});
export type RedeemInput = z.infer<typeof redeemSchema>;

export const reverseSchema = z.strictObject({
  executedAmount: positiveYuanSchema,
  reason: text(500),
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
