// A voucher as the use cases and the rules see it: money in fen, its status a union. The repository maps it to
// and from its row.
import type { VoucherKind } from '../rules/policy.js';
import type { Fen } from '../shared/money.js';

export const VOUCHER_STATUSES = ['active', 'revoked', 'expired'] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

/** How a voucher stops being active: revoked by an issuer, or expired when its validity ended. */
export type VoucherClosing = Exclude<VoucherStatus, 'active'>;

export interface Voucher {
  id: string;
  programId: string;
  /** Its program's kind and region. */
  kind: VoucherKind;
  region: string;
  beneficiary: { uscc: string; name: string };
  /** The amount issued; what is left is the voucher account's balance in the ledger. */
  amount: Fen;
  status: VoucherStatus;
  /** The last day it may be redeemed (Asia/Shanghai). */
  expiresOn: string;
  createdAt: string;
  closedAt: string | null;
  closeReason: string | null;
}

/** What closing a voucher sets. */
export interface VoucherClosure {
  status: VoucherClosing;
  closedAt: string;
  closeReason: string;
}
