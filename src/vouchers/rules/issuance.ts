// What issuing a voucher decides, whether an issuer keys it in or grants it from an application (decision 0038):
// the program must hold the amount, and the voucher starts active with all of it.
import type { VoucherKind } from '../../rules/policy.js';
import { DomainError } from '../../shared/errors.js';
import { type Fen, formatFen } from '../../shared/money.js';
import type { Voucher } from '../vouchers.model.js';

export interface VoucherTerms {
  id: string;
  programId: string;
  kind: VoucherKind;
  region: string;
  beneficiary: { uscc: string; name: string };
  amount: Fen;
  expiresOn: string;
}

/** The new voucher, once the program's `available` money covers it; refused with insufficient_budget otherwise. */
export function decideIssuance(terms: VoucherTerms, available: Fen, now: Date): Voucher {
  if (available < terms.amount)
    throw new DomainError('insufficient_budget', `the program has ${formatFen(available)} available, less than ${formatFen(terms.amount)}`);
  return {
    ...terms,
    beneficiary: { uscc: terms.beneficiary.uscc, name: terms.beneficiary.name },
    status: 'active',
    createdAt: now.toISOString(),
    closedAt: null,
    closeReason: null,
  };
}
