import type { Actor, ActorOf } from '../auth/actor.js';
import type { RedemptionRow } from '../db/schema.js';
import { decodeCursor, type Page, pageOf } from '../shared/pagination.js';
import type { Deps } from '../deps.js';
import { settlementsOf } from '../settlement/settlement.repository.js';
import type { SettlementView } from '../settlement/settlement.schemas.js';
import { DomainError } from '../shared/errors.js';
import { formatFen } from '../shared/money.js';
import { coveredRange, covers } from '../shared/region.js';
import { findVoucher } from '../vouchers/vouchers.repository.js';
import { findRedemption, listRedemptions } from './redemptions.repository.js';
import type { ListRedemptionsQuery, RedemptionRecordView } from './redemptions.schemas.js';

export type { RedemptionRecordView };

/** GET /v1/redemptions/:id: its provider, an issuer of the voucher's region, or an auditor covering it. */
export async function getRedemption(deps: Deps, id: string, actor: Actor): Promise<RedemptionRecordView> {
  const redemption = await findRedemption(deps.db, id);
  if (!redemption) throw DomainError.notFound('redemption');
  const voucher = (await findVoucher(deps.db, redemption.voucher_id))!;
  const allowed =
    (actor.role === 'provider' && actor.org === redemption.provider_uscc) ||
    (actor.role === 'issuer' && actor.region === voucher.region) ||
    (actor.role === 'auditor' && covers(actor.region, voucher.region));
  if (!allowed) throw DomainError.forbidden("only the redemption's provider, the voucher's issuer or an auditor covering its region may read it");
  const settlements = await settlementsOf(deps.db, [redemption.id]);
  return recordView(redemption, voucher.program_id, settlements.get(redemption.id)!);
}

/** A redemption row as the API shows it, `programId` being its voucher's program. */
function recordView(redemption: RedemptionRow, programId: string, settlement: SettlementView): RedemptionRecordView {
  return {
    id: redemption.id,
    voucherId: redemption.voucher_id,
    contractId: redemption.contract_id,
    providerUscc: redemption.provider_uscc,
    programId,
    executedAmount: formatFen(redemption.executed_amount_fen),
    executedOn: redemption.executed_on,
    invoiceNumber: redemption.invoice_number,
    rate: redemption.rate,
    entitlement: formatFen(redemption.entitlement_fen),
    subsidy: formatFen(redemption.subsidy_fen),
    limitedBy: redemption.limited_by,
    reversedAmount: formatFen(redemption.reversed_amount_fen),
    clawedBack: formatFen(redemption.clawed_back_fen),
    netSubsidy: formatFen(redemption.subsidy_fen - redemption.clawed_back_fen),
    ledgerSeq: Number(redemption.ledger_seq),
    settlement,
  };
}

/** A page of redemptions in ledger order: a provider's own, or those of the vouchers of an issuer's region or an auditor's. */
export async function listRedemptionViews(deps: Deps, query: ListRedemptionsQuery, actor: ActorOf<'provider' | 'issuer' | 'auditor'>): Promise<Page<RedemptionRecordView>> {
  const after = decodeCursor<[number]>('redemptions', query.cursor, 1);
  const scope =
    actor.role === 'provider' ? { providerUscc: actor.org } : { regions: actor.role === 'issuer' ? { from: actor.region, to: actor.region } : coveredRange(actor.region) };
  const rows = await listRedemptions(deps.db, scope, query, after?.[0], query.limit);
  return pageOf(rows, query.limit, 'redemptions', (row) => [Number(row.ledger_seq)], async (kept) => {
    const settlements = await settlementsOf(deps.db, kept.map((row) => row.id));
    return kept.map((row) => recordView(row, row.program_id, settlements.get(row.id)!));
  });
}
