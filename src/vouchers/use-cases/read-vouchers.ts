// Reading vouchers: one (an issuer's, an auditor's, or a provider's about to redeem), and a page of a region's.
import type { Actor, ActorOf } from '../../auth/actor.js';
import { assertRegionAccess } from '../../auth/auth.middleware.js';
import { holdsContractAgainst } from '../../contracts/contracts.repository.js';
import { accountBalance } from '../../ledger/ledger.repository.js';
import { accounts } from '../../ledger/ledger.types.js';
import { findProgramById } from '../../programs/programs.repository.js';
import { DomainError } from '../../shared/errors.js';
import { decodeCursor, type Page, pageOf } from '../../shared/pagination.js';
import { coveredRange } from '../../shared/region.js';
import { findVoucher, listVouchers } from '../vouchers.repository.js';
import type { ListVouchersQuery, ProviderVoucherView, VoucherView } from '../vouchers.schemas.js';
import { providerVoucherView, voucherView } from '../vouchers.views.js';
import type { VoucherDeps } from './dependencies.js';

type ReadDeps = Pick<VoucherDeps, 'db'>;

/** Every region code (GB/T 2260 codes start 1–8): an enterprise's vouchers are found by its USCC, wherever issued. */
const ANY_REGION = { from: '100000', to: '899999' };

export async function getVoucher(deps: ReadDeps, id: string, actor: Actor): Promise<VoucherView | ProviderVoucherView> {
  const voucher = await findVoucher(deps.db, id);
  if (!voucher) throw DomainError.notFound('voucher');
  if (actor.role === 'provider') {
    // A provider checks the balance it is about to redeem against; it learns nothing of the holder beyond that.
    if (!(await holdsContractAgainst(deps.db, actor.org, { id: voucher.id, beneficiaryUscc: voucher.beneficiary.uscc, kind: voucher.kind })))
      throw DomainError.forbidden('a provider reads only vouchers it holds a contract against (its beneficiary and kind, not drawing on another voucher)');
    const program = (await findProgramById(deps.db, voucher.programId))!;
    return providerVoucherView(voucher, await accountBalance(deps.db, accounts.voucher(voucher.id)), program.claims);
  }
  // An enterprise reads its own vouchers only, and learns nothing of others'.
  if (actor.role === 'enterprise') {
    if (actor.org !== voucher.beneficiary.uscc) throw DomainError.notFound('voucher');
  } else assertRegionAccess(actor, voucher.region);
  return voucherView(voucher, await accountBalance(deps.db, accounts.voucher(voucher.id)));
}

/** A page of an issuer's region's vouchers, those of the regions an auditor covers, or an enterprise's own (in any region). */
export async function listVoucherViews(
  deps: ReadDeps,
  query: ListVouchersQuery,
  actor: ActorOf<'issuer' | 'auditor' | 'enterprise'>,
): Promise<Page<VoucherView>> {
  const after = decodeCursor<[string, string]>('vouchers', query.cursor, 2);
  const regions = actor.role === 'issuer' ? { from: actor.region, to: actor.region } : actor.role === 'auditor' ? coveredRange(actor.region) : ANY_REGION;
  if (actor.role === 'enterprise' && query.beneficiaryUscc !== undefined && query.beneficiaryUscc !== actor.org)
    throw DomainError.validation([{ field: 'beneficiaryUscc', message: "must be the enterprise's own USCC, or absent" }]);
  const filter = actor.role === 'enterprise' ? { ...query, beneficiaryUscc: actor.org } : query;
  const vouchers = await listVouchers(deps.db, regions, filter, after, query.limit);
  return pageOf(
    vouchers,
    query.limit,
    'vouchers',
    (voucher) => [voucher.createdAt, voucher.id],
    (kept) => Promise.all(kept.map(async (voucher) => voucherView(voucher, await accountBalance(deps.db, accounts.voucher(voucher.id))))),
  );
}
