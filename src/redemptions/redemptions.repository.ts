import type { Kysely, Selectable } from 'kysely';
import { firstRow, prepared } from '../db/prepared.js';
import type { InvoiceUse } from './rules/decide-redemption.js';
import type { Database, NewRedemption, RedemptionRow, ReversalTable } from '../db/schema.js';
import type { LimitedBy } from '../rules/subsidy.js';
import type { Fen } from '../shared/money.js';
import type { Redemption, RedemptionInProgram, RedemptionStatus, Reversal } from './redemptions.model.js';

export function redemptionToDomain(row: RedemptionRow): Redemption {
  return {
    id: row.id,
    // Written only from REDEMPTION_STATUSES (and checked by the table).
    status: row.status as RedemptionStatus,
    voucherId: row.voucher_id,
    contractId: row.contract_id,
    providerUscc: row.provider_uscc,
    invoiceNumber: row.invoice_number,
    executedAmount: row.executed_amount_fen,
    executedOn: row.executed_on,
    bucket: row.bucket,
    rate: row.rate,
    entitlement: row.entitlement_fen,
    subsidy: row.subsidy_fen,
    // Written only from computeSubsidy's limitedBy.
    limitedBy: row.limited_by as LimitedBy,
    reversedAmount: row.reversed_amount_fen,
    clawedBack: row.clawed_back_fen,
    ledgerSeq: Number(row.ledger_seq),
    createdAt: row.created_at,
  };
}

export function redemptionToRow(redemption: Redemption): RedemptionRow {
  return {
    id: redemption.id,
    status: redemption.status,
    voucher_id: redemption.voucherId,
    contract_id: redemption.contractId,
    provider_uscc: redemption.providerUscc,
    invoice_number: redemption.invoiceNumber,
    executed_amount_fen: redemption.executedAmount,
    executed_on: redemption.executedOn,
    bucket: redemption.bucket,
    rate: redemption.rate,
    entitlement_fen: redemption.entitlement,
    subsidy_fen: redemption.subsidy,
    limited_by: redemption.limitedBy,
    reversed_amount_fen: redemption.reversedAmount,
    clawed_back_fen: redemption.clawedBack,
    ledger_seq: BigInt(redemption.ledgerSeq),
    created_at: redemption.createdAt,
  };
}

export const reversalToRow = (reversal: Reversal): Selectable<ReversalTable> => ({
  id: reversal.id,
  redemption_id: reversal.redemptionId,
  executed_amount_fen: reversal.executedAmount,
  clawback_fen: reversal.clawback,
  reason: reversal.reason,
  ledger_seq: BigInt(reversal.ledgerSeq),
  created_at: reversal.createdAt,
});

const insertRow = prepared<NewRedemption, never>(
  (db, row) => db.insertInto('redemptions').values(row),
  [
    'id',
    'voucher_id',
    'contract_id',
    'provider_uscc',
    'invoice_number',
    'executed_amount_fen',
    'executed_on',
    'bucket',
    'rate',
    'entitlement_fen',
    'subsidy_fen',
    'limited_by',
    'reversed_amount_fen',
    'clawed_back_fen',
    'ledger_seq',
    'created_at',
    'status',
  ],
);
export async function insertRedemption(db: Kysely<Database>, redemption: Redemption): Promise<void> {
  await insertRow(db, redemptionToRow(redemption));
}

const byId = prepared<{ id: string }, RedemptionRow>((db, p) => db.selectFrom('redemptions').selectAll().where('id', '=', p.id));
export async function findRedemption(db: Kysely<Database>, id: string): Promise<Redemption | undefined> {
  const row = firstRow(await byId(db, { id }));
  return row && redemptionToDomain(row);
}

const byInvoice = prepared<{ invoiceNumber: string }, { id: string; program_id: string }>((db, p) =>
  db
    .selectFrom('redemptions')
    .innerJoin('vouchers', 'vouchers.id', 'redemptions.voucher_id')
    .select(['redemptions.id', 'vouchers.program_id'])
    .where('redemptions.invoice_number', '=', p.invoiceNumber),
);
/** Where an invoice number was used, by any provider in any program: it is unique nationwide (decision 0042). */
export async function invoiceUse(db: Kysely<Database>, invoiceNumber: string): Promise<InvoiceUse | undefined> {
  const row = firstRow(await byInvoice(db, { invoiceNumber }));
  return row && { redemptionId: row.id, programId: row.program_id };
}

export async function recordReversal(
  db: Kysely<Database>,
  reversal: Reversal,
  /** What this reversal adds to the redemption's running totals. */
  added: { reversedAmount: Fen; clawedBack: Fen },
): Promise<void> {
  await db.insertInto('reversals').values(reversalToRow(reversal)).execute();
  await db
    .updateTable('redemptions')
    .set((eb) => ({
      reversed_amount_fen: eb('reversed_amount_fen', '+', added.reversedAmount),
      clawed_back_fen: eb('clawed_back_fen', '+', added.clawedBack),
    }))
    .where('id', '=', reversal.redemptionId)
    .execute();
}

/** Who a list of redemptions is for: a provider's own, or the vouchers of a region range (issuers, auditors). */
/** A provider's own redemptions, those against an enterprise's vouchers, or those of the vouchers in a region range. */
export type RedemptionScope = { providerUscc: string } | { beneficiaryUscc: string } | { regions: { from: string; to: string } };

/** A page of redemptions in ledger order after seq `after`, with the voucher's program, one row past `limit` when more follow. */
export async function listRedemptions(
  db: Kysely<Database>,
  scope: RedemptionScope,
  filter: {
    programId?: string | undefined;
    voucherId?: string | undefined;
    contractId?: string | undefined;
    providerUscc?: string | undefined;
    status?: RedemptionStatus | undefined;
  },
  after: number | undefined,
  limit: number,
): Promise<RedemptionInProgram[]> {
  let query = db
    .selectFrom('redemptions')
    .innerJoin('vouchers', 'vouchers.id', 'redemptions.voucher_id')
    .selectAll('redemptions')
    .select('vouchers.program_id');
  if ('providerUscc' in scope) query = query.where('redemptions.provider_uscc', '=', scope.providerUscc);
  else if ('beneficiaryUscc' in scope) query = query.where('vouchers.beneficiary_uscc', '=', scope.beneficiaryUscc);
  else query = query.where('vouchers.region', '>=', scope.regions.from).where('vouchers.region', '<=', scope.regions.to);
  if (filter.programId !== undefined) query = query.where('vouchers.program_id', '=', filter.programId);
  if (filter.voucherId !== undefined) query = query.where('redemptions.voucher_id', '=', filter.voucherId);
  if (filter.contractId !== undefined) query = query.where('redemptions.contract_id', '=', filter.contractId);
  if (filter.providerUscc !== undefined) query = query.where('redemptions.provider_uscc', '=', filter.providerUscc);
  if (filter.status !== undefined) query = query.where('redemptions.status', '=', filter.status);
  if (after !== undefined) query = query.where('redemptions.ledger_seq', '>', BigInt(after));
  const rows = await query
    .orderBy('redemptions.ledger_seq')
    .limit(limit + 1)
    .execute();
  return rows.map(({ program_id, ...row }) => ({ ...redemptionToDomain(row), programId: program_id }));
}
