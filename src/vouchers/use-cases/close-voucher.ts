// Closing a voucher, shared by revoking one and sweeping the expired.
import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.js';
import type { Database } from '../../db/schema.js';
import { accountBalance } from '../../ledger/ledger.repository.js';
import { accounts } from '../../ledger/ledger.types.js';
import type { Fen } from '../../shared/money.js';
import { voucherClosedEntry } from '../vouchers.entries.js';
import type { Voucher, VoucherClosing } from '../vouchers.model.js';
import { closeVoucher } from '../vouchers.repository.js';
import type { VoucherDeps } from './dependencies.js';

/** Returns a closing voucher's whole balance to its program, as one `voucher.revoked` or `voucher.expired` entry; returns that balance. */
export async function closeAndReturn(
  deps: Pick<VoucherDeps, 'ledger'>,
  trx: Kysely<Database>,
  voucher: Voucher,
  closing: { how: VoucherClosing; reason: string },
  actor: Actor,
  now: Date,
): Promise<Fen> {
  const balance = await accountBalance(trx, accounts.voucher(voucher.id));
  await deps.ledger.append(trx, voucherClosedEntry(voucher, { ...closing, balance }, actor), now);
  await closeVoucher(trx, voucher.id, { status: closing.how, closedAt: now.toISOString(), closeReason: closing.reason });
  return balance;
}
