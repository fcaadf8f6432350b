import { z } from 'zod';
import { requiredText } from '../shared/text.js';
import { calendarDateSchema } from '../shared/dates.js';
import { positiveYuanSchema } from '../shared/money.js';
import { usccSchema } from '../shared/uscc.js';

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

export type VoucherStatus = 'active' | 'revoked' | 'expired';

export interface VoucherView {
  id: string;
  programId: string;
  kind: string;
  region: string;
  beneficiary: { uscc: string; name: string };
  amount: string;
  balance: string;
  status: VoucherStatus;
  expiresOn: string;
  closedAt: string | null;
  closeReason: string | null;
}
