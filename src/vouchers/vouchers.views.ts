// Vouchers as the API answers them.
import type { ClaimTerms } from '../programs/programs.model.js';
import { type Fen, formatFen } from '../shared/money.js';
import type { Voucher } from './vouchers.model.js';
import type { ProviderVoucherView, VoucherView } from './vouchers.schemas.js';

/** The voucher with its `balance`, its account's in the ledger. */
export function voucherView(voucher: Voucher, balance: Fen): VoucherView {
  return {
    id: voucher.id,
    programId: voucher.programId,
    kind: voucher.kind,
    region: voucher.region,
    beneficiary: { uscc: voucher.beneficiary.uscc, name: voucher.beneficiary.name },
    amount: formatFen(voucher.amount),
    balance: formatFen(balance),
    status: voucher.status,
    expiresOn: voucher.expiresOn,
    closedAt: voucher.closedAt,
    closeReason: voucher.closeReason,
  };
}

/** What a provider about to redeem reads: nothing of the holder, the program or the history. */
export const providerVoucherView = (voucher: Voucher, balance: Fen, claims: ClaimTerms): ProviderVoucherView => ({
  id: voucher.id,
  kind: voucher.kind,
  status: voucher.status,
  balance: formatFen(balance),
  expiresOn: voucher.expiresOn,
  claims: { beneficiaryConfirmation: claims.beneficiaryConfirmation, review: claims.review, confirmationDays: claims.confirmationDays },
});
