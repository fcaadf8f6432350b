import { z } from 'zod';
import { requiredText } from '../shared/text.js';
import { calendarDateSchema } from '../shared/dates.js';
import { positiveYuanSchema, yuanText } from '../shared/money.js';
import { pageQueryShape } from '../shared/pagination.js';
import { usccSchema } from '../shared/uscc.js';
import { VOUCHER_STATUSES } from './vouchers.model.js';

export const issueVoucherSchema = z.strictObject({
  programId: requiredText(64),
  beneficiary: z.strictObject({ uscc: usccSchema, name: requiredText(200) }, { error: 'must be an object {uscc, name}' }),
  amount: positiveYuanSchema,
  expiresOn: calendarDateSchema,
});
export type IssueVoucherInput = z.infer<typeof issueVoucherSchema>;

export const revokeVoucherSchema = z.strictObject({ reason: requiredText(500) });
export type RevokeVoucherInput = z.infer<typeof revokeVoucherSchema>;

export const expirySweepSchema = z.strictObject({}).optional();

export const voucherIdParams = z.object({ id: z.string() });

export { VOUCHER_STATUSES, type VoucherStatus } from './vouchers.model.js';

export const voucherViewSchema = z
  .strictObject({
    id: z.string(),
    programId: z.string(),
    kind: z.string(),
    region: z.string(),
    beneficiary: z.strictObject({ uscc: z.string(), name: z.string() }),
    amount: yuanText,
    balance: yuanText,
    status: z.enum(VOUCHER_STATUSES),
    expiresOn: z.string(),
    closedAt: z.string().nullable(),
    closeReason: z.string().nullable(),
  })
  .meta({ id: 'Voucher' });
export type VoucherView = z.infer<typeof voucherViewSchema>;

/** What a provider holding a contract against the voucher may read: no beneficiary, program money or history. */
export const providerVoucherViewSchema = z
  .strictObject({
    id: z.string(),
    kind: z.string(),
    status: z.enum(VOUCHER_STATUSES),
    balance: yuanText,
    expiresOn: z.string(),
    // Whether its redemptions are claims, and so need the contract and the invoice (decision 0041).
    claims: z.strictObject({ beneficiaryConfirmation: z.boolean(), review: z.boolean(), confirmationDays: z.number().int() }),
  })
  .meta({
    id: 'VoucherForProvider',
    description: "a voucher as a provider with a contract against it reads it: balance, status, expiry and its program's claim terms only",
  });
export type ProviderVoucherView = z.infer<typeof providerVoucherViewSchema>;

export const listVouchersQuery = z.strictObject({
  ...pageQueryShape,
  programId: requiredText(64).optional(),
  beneficiaryUscc: usccSchema.optional(),
  status: z.enum(VOUCHER_STATUSES, { error: `must be one of ${VOUCHER_STATUSES.join(', ')}` }).optional(),
});
export type ListVouchersQuery = z.infer<typeof listVouchersQuery>;

export const expiredVouchersSchema = z.strictObject({
  expired: z.array(z.strictObject({ voucherId: z.string(), programId: z.string(), returned: yuanText })),
});
