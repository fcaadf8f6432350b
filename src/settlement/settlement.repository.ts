import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { PaymentBatchTable, PaymentClaimTable, PaymentLineTable } from '../db/schema.settlement.js';
import type { Fen } from '../shared/money.js';
import type { BatchStatus, LineStatus, ListBatchesQuery, SettlementView } from './settlement.schemas.js';

type Db = Kysely<Database>;
export type BatchRow = Selectable<PaymentBatchTable>;
export type LineRow = Selectable<PaymentLineTable>;
export type ClaimRow = Selectable<PaymentClaimTable>;

/**
 * A redemption's standing in settlement: its net subsidy (granted − clawed back), what payments paid for it and
 * what recoveries took back. `outstanding` = net − paid + recovered: a claim when positive, owed back when negative.
 */
export interface RedemptionClaim {
  redemptionId: string;
  providerUscc: string;
  executedOn: string;
  net: Fen;
  paid: Fen;
  recovered: Fen;
  outstanding: Fen;
  /** The batch whose pending line holds this redemption, if any. */
  openBatchId: string | null;
}

/** Every redemption of a program with its settlement standing, oldest execution first (optionally one provider's, or some ids). */
export async function redemptionClaims(
  db: Db,
  programId: string,
  filter: { providerUscc?: string; redemptionIds?: string[] } = {},
): Promise<RedemptionClaim[]> {
  if (filter.redemptionIds?.length === 0) return [];
  let query = db
    .selectFrom('redemptions as r')
    .innerJoin('vouchers as v', 'v.id', 'r.voucher_id')
    .where('v.program_id', '=', programId)
    .select(['r.id', 'r.provider_uscc', 'r.executed_on', 'r.subsidy_fen', 'r.clawed_back_fen'])
    .select([
      // sum() of int8 is numeric on PostgreSQL: cast back so that it arrives as a bigint on both engines.
      sql<bigint>`(select cast(coalesce(sum(c.amount_fen), 0) as bigint) from payment_claims c where c.redemption_id = r.id and c.status = 'paid')`.as('paid_fen'),
      sql<bigint>`(select cast(coalesce(sum(i.amount_fen), 0) as bigint) from recovery_items i where i.redemption_id = r.id)`.as('recovered_fen'),
      sql<string | null>`(select c.batch_id from payment_claims c where c.open_redemption_id = r.id)`.as('open_batch_id'),
    ]);
  if (filter.providerUscc !== undefined) query = query.where('r.provider_uscc', '=', filter.providerUscc);
  if (filter.redemptionIds !== undefined) query = query.where('r.id', 'in', filter.redemptionIds);
  const rows = await query.orderBy('r.executed_on').orderBy('r.id').execute();
  return rows.map((row) => {
    const net = row.subsidy_fen - row.clawed_back_fen;
    const paid = BigInt(row.paid_fen);
    const recovered = BigInt(row.recovered_fen);
    return {
      redemptionId: row.id,
      providerUscc: row.provider_uscc,
      executedOn: row.executed_on,
      net,
      paid,
      recovered,
      outstanding: net - paid + recovered,
      openBatchId: row.open_batch_id,
    };
  });
}

export async function insertBatch(db: Db, batch: BatchRow, lines: LineRow[], claims: ClaimRow[]): Promise<void> {
  await db.insertInto('payment_batches').values(batch).execute();
  if (lines.length > 0) await db.insertInto('payment_lines').values(lines).execute();
  if (claims.length > 0) await db.insertInto('payment_claims').values(claims).execute();
}

export async function findBatch(db: Db, id: string): Promise<BatchRow | undefined> {
  return db.selectFrom('payment_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function linesOf(db: Db, batchIds: string[]): Promise<LineRow[]> {
  if (batchIds.length === 0) return [];
  return db.selectFrom('payment_lines').selectAll().where('batch_id', 'in', batchIds).orderBy('batch_id').orderBy('position').execute();
}

export async function claimsOf(db: Db, batchIds: string[]): Promise<ClaimRow[]> {
  if (batchIds.length === 0) return [];
  return db.selectFrom('payment_claims').selectAll().where('batch_id', 'in', batchIds).orderBy('line_id').orderBy('redemption_id').execute();
}

/** Batches of the regions in scope, and (for an issuer) of the programs its region co-funds. */
export async function listBatches(db: Db, scope: { regionFrom: string; regionTo: string; funder?: string }, query: ListBatchesQuery): Promise<BatchRow[]> {
  const inScope = (eb: ExpressionBuilder<Database, 'payment_batches'>) => {
    const own = eb.and([eb('region', '>=', scope.regionFrom), eb('region', '<=', scope.regionTo)]);
    // funders is stored as JSON.stringify([{region, ratio}]): the region appears exactly as "region":"330000".
    return scope.funder === undefined ? own : eb.or([own, eb('funders', 'like', `%"region":"${scope.funder}"%`)]);
  };
  let q = db.selectFrom('payment_batches').selectAll().where(inScope);
  if (query.programId !== undefined) q = q.where('program_id', '=', query.programId);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  return q.orderBy('created_at', 'desc').orderBy('id').limit(500).execute();
}

export async function updateBatch(
  db: Db,
  id: string,
  patch: Partial<Pick<BatchRow, 'status' | 'checker' | 'approved_at' | 'closed_at' | 'approval_seq'>> & { status: BatchStatus },
): Promise<void> {
  await db.updateTable('payment_batches').set(patch).where('id', '=', id).execute();
}

export async function updateLine(
  db: Db,
  id: string,
  patch: Partial<Pick<LineRow, 'paid_on' | 'bank_reference' | 'failure_reason' | 'ledger_seq' | 'settled_at'>> & { status: LineStatus },
): Promise<void> {
  await db.updateTable('payment_lines').set(patch).where('id', '=', id).execute();
}

/** Closes a line's open claims: paid with it, or released back to unpaid. */
export async function closeClaims(db: Db, lineId: string, status: 'paid' | 'released'): Promise<void> {
  await db.updateTable('payment_claims').set({ status, open_redemption_id: null }).where('line_id', '=', lineId).where('status', '=', 'open').execute();
}

export async function insertRecovery(
  db: Db,
  recovery: Selectable<Database['recoveries']>,
  items: { redemptionId: string; amount: Fen }[],
): Promise<void> {
  await db.insertInto('recoveries').values(recovery).execute();
  await db
    .insertInto('recovery_items')
    .values(items.map((item) => ({ recovery_id: recovery.id, redemption_id: item.redemptionId, amount_fen: item.amount })))
    .execute();
}

/**
 * Where each redemption stands: in a pending line, paid by a line (the latest), or unpaid. Two queries for a
 * whole page of redemptions, whatever its size.
 */
export async function settlementsOf(db: Db, redemptionIds: readonly string[]): Promise<Map<string, SettlementView>> {
  const views = new Map<string, SettlementView>(redemptionIds.map((id) => [id, { status: 'unpaid', batchId: null, paidOn: null, bankReference: null }]));
  if (redemptionIds.length === 0) return views;
  const paid = await db
    .selectFrom('payment_claims as c')
    .innerJoin('payment_lines as l', 'l.id', 'c.line_id')
    .select(['c.redemption_id', 'c.batch_id', 'l.paid_on', 'l.bank_reference'])
    .where('c.redemption_id', 'in', redemptionIds)
    .where('c.status', '=', 'paid')
    .orderBy('l.ledger_seq', 'asc')
    .execute();
  // In ledger order, so that the latest payment of a redemption is the one kept.
  for (const row of paid) views.set(row.redemption_id, { status: 'paid', batchId: row.batch_id, paidOn: row.paid_on, bankReference: row.bank_reference });
  const open = await db.selectFrom('payment_claims').select(['open_redemption_id', 'batch_id']).where('open_redemption_id', 'in', redemptionIds).execute();
  // A claim in a pending line stands before any earlier payment (a clawed-back claim paid again).
  for (const row of open) if (row.open_redemption_id) views.set(row.open_redemption_id, { status: 'in_batch', batchId: row.batch_id, paidOn: null, bankReference: null });
  return views;
}
