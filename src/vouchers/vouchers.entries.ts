// The ledger entries of a voucher's life, as pure drafts: issued from its program's money, and closed (revoked or
// expired) with its whole balance returned to the program. Members and their order are the entries' format:
// the verifier re-derives them and every hash covers them.
import type { Actor } from '../auth/actor.js';
import { accounts, type EntryDraft, type JsonValue, transfer } from '../ledger/ledger.types.js';
import { type Fen, formatFen } from '../shared/money.js';
import type { Voucher, VoucherClosing } from './vouchers.model.js';

/**
 * A voucher issued directly, or granted from an application (decision 0038): then `application` says which,
 * who reviewed it and when its notice ran; a directly issued voucher's entry has no such member.
 */
export function voucherIssuedEntry(voucher: Voucher, actor: Actor, application?: { [key: string]: JsonValue }): EntryDraft {
  return {
    type: 'voucher.issued',
    actor,
    data: {
      region: voucher.region,
      programId: voucher.programId,
      kind: voucher.kind,
      voucherId: voucher.id,
      beneficiary: { uscc: voucher.beneficiary.uscc, name: voucher.beneficiary.name },
      amount: formatFen(voucher.amount),
      expiresOn: voucher.expiresOn,
      ...(application ? { application } : {}),
    },
    postings: transfer(accounts.program(voucher.programId), accounts.voucher(voucher.id), voucher.amount),
  };
}

/** A revocation records its reason, an expiry the last valid day; both return the voucher's `balance` to its program. */
export function voucherClosedEntry(voucher: Voucher, closing: { how: VoucherClosing; reason: string; balance: Fen }, actor: Actor): EntryDraft {
  return {
    type: closing.how === 'revoked' ? 'voucher.revoked' : 'voucher.expired',
    actor,
    data: {
      region: voucher.region,
      programId: voucher.programId,
      kind: voucher.kind,
      voucherId: voucher.id,
      ...(closing.how === 'revoked' ? { reason: closing.reason } : { expiresOn: voucher.expiresOn }),
      returned: formatFen(closing.balance),
    },
    postings: transfer(accounts.voucher(voucher.id), accounts.program(voucher.programId), closing.balance),
  };
}
