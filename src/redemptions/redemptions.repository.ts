import type { Kysely } from 'kysely';
import { firstRow, prepared } from '../db/prepared.js';
import type { Database, NewRedemption, RedemptionRow } from '../db/schema.js';
import type { Fen } from '../shared/money.js';

const insertRow = prepared<NewRedemption, never>(
  (db, row) => db.insertInto('redemptions').values(row),
  ['id', 'voucher_id', 'contract_id', 'provider_uscc', 'invoice_number', 'executed_amount_fen', 'executed_on', 'bucket', 'rate', 'entitlement_fen', 'subsidy_fen', 'limited_by', 'reversed_amount_fen', 'clawed_back_fen', 'ledger_seq', 'created_at'],
);
export async function insertRedemption(db: Kysely<Database>, row: NewRedemption): Promise<void> {
  await insertRow(db, row);
}

const byId = prepared<{ id: string }, RedemptionRow>((db, p) => db.selectFrom('redemptions').selectAll().where('id', '=', p.id));
export async function findRedemption(db: Kysely<Database>, id: string): Promise<RedemptionRow | undefined> {
  return firstRow(await byId(db, { id }));
}

const byInvoice = prepared<{ providerUscc: string; invoiceNumber: string }, { id: string }>((db, p) =>
  db.selectFrom('redemptions').select('id').where('provider_uscc', '=', p.providerUscc).where('invoice_number', '=', p.invoiceNumber),
);
export async function invoiceUsed(db: Kysely<Database>, providerUscc: string, invoiceNumber: string): Promise<boolean> {
  return firstRow(await byInvoice(db, { providerUscc, invoiceNumber })) !== undefined;
}

export async function recordReversal(
  db: Kysely<Database>,
  reversal: { id: string; redemptionId: string; executedAmount: Fen; clawback: Fen; reason: string; ledgerSeq: bigint; createdAt: string },
  /** What this reversal adds to the redemption's running totals. */
  added: { reversedAmount: Fen; clawedBack: Fen },
): Promise<void> {
  await db
    .insertInto('reversals')
    .values({
      id: reversal.id,
      redemption_id: reversal.redemptionId,
      executed_amount_fen: reversal.executedAmount,
      clawback_fen: reversal.clawback,
      reason: reversal.reason,
      ledger_seq: reversal.ledgerSeq,
      created_at: reversal.createdAt,
    })
    .execute();
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
export type RedemptionScope = { providerUscc: string } | { regions: { from: string; to: string } };

/** A page of redemptions in ledger order after seq `after`, with the voucher's program, one row past `limit` when more follow. */
export async function listRedemptions(
  db: Kysely<Database>,
  scope: RedemptionScope,
  filter: { programId?: string | undefined; voucherId?: string | undefined; contractId?: string | undefined; providerUscc?: string | undefined },
  after: number | undefined,
  limit: number,
): Promise<(RedemptionRow & { program_id: string })[]> {
  let query = db.selectFrom('redemptions').innerJoin('vouchers', 'vouchers.id', 'redemptions.voucher_id').selectAll('redemptions').select('vouchers.program_id');
  if ('providerUscc' in scope) query = query.where('redemptions.provider_uscc', '=', scope.providerUscc);
  else query = query.where('vouchers.region', '>=', scope.regions.from).where('vouchers.region', '<=', scope.regions.to);
  if (filter.programId !== undefined) query = query.where('vouchers.program_id', '=', filter.programId);
  if (filter.voucherId !== undefined) query = query.where('redemptions.voucher_id', '=', filter.voucherId);
  if (filter.contractId !== undefined) query = query.where('redemptions.contract_id', '=', filter.contractId);
  if (filter.providerUscc !== undefined) query = query.where('redemptions.provider_uscc', '=', filter.providerUscc);
  if (after !== undefined) query = query.where('redemptions.ledger_seq', '>', BigInt(after));
  return query.orderBy('redemptions.ledger_seq').limit(limit + 1).execute();
}
