import type { Actor } from '../auth/actor.js';
import type { Deps } from '../deps.js';
import { settlementOf } from '../settlement/settlement.repository.js';
import type { SettlementView } from '../settlement/settlement.schemas.js';
import { DomainError } from '../shared/errors.js';
import { formatFen } from '../shared/money.js';
import { covers } from '../shared/region.js';
import { findVoucher } from '../vouchers/vouchers.repository.js';
import { findRedemption } from './redemptions.repository.js';

/** A redemption as it stands now: what was granted, what reversals clawed back, and where its payment is. */
export interface RedemptionRecordView {
  id: string;
  voucherId: string;
  contractId: string;
  providerUscc: string;
  programId: string;
  executedAmount: string;
  executedOn: string;
  invoiceNumber: string;
  rate: string;
  entitlement: string;
  subsidy: string;
  limitedBy: string | null;
  reversedAmount: string;
  clawedBack: string;
  netSubsidy: string;
  ledgerSeq: number;
  settlement: SettlementView;
}

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
  return {
    id: redemption.id,
    voucherId: redemption.voucher_id,
    contractId: redemption.contract_id,
    providerUscc: redemption.provider_uscc,
    programId: voucher.program_id,
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
    settlement: await settlementOf(deps.db, redemption.id),
  };
}
