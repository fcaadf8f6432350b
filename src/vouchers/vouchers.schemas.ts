import { z } from 'zod';
import { calendarDateSchema } from '../shared/dates.js';
import { positiveYuanSchema } from '../shared/money.js';
import { usccSchema } from '../shared/uscc.js';

const text = (max: number) =>
  z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const issueVoucherSchema = z.strictObject({
  programId: text(64),
  beneficiary: z.strictObject({ uscc: usccSchema, name: text(200) }, { error: 'must be an object {uscc, name}' }),
  amount: positiveYuanSchema,
  expiresOn: calendarDateSchema,
});
export type IssueVoucherInput = z.infer<typeof issueVoucherSchema>;

export const revokeVoucherSchema = z.strictObject({ reason: text(500) });
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
