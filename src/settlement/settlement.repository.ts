import { type ExpressionBuilder, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Program } from '../programs/programs.model.js';
import type { PaymentBatchTable, PaymentClaimTable, PaymentLineTable, RecoveryTable } from '../db/schema.settlement.js';
import { findProgramFunders } from '../programs/programs.repository.js';
import type { Funder, Share } from '../rules/split.js';
import { type Fen, formatFen } from '../shared/money.js';
import type {
  BlockedProvider,
  ClaimStatus,
  PaymentBatch,
  PaymentClaim,
  PaymentLine,
  Receivable,
  Recovery,
  RecoveryItem,
  RedemptionClaim,
} from './settlement.model.js';
import type { BatchStatus, BlockedView, LineStatus, ListBatchesQuery, SettlementView } from './settlement.schemas.js';

type Db = Kysely<Database>;
type BatchRow = Selectable<PaymentBatchTable>;
type LineRow = Selectable<PaymentLineTable>;
type ClaimRow = Selectable<PaymentClaimTable>;
type RecoveryRow = Selectable<RecoveryTable>;

// The JSON columns as stored: amounts of shares as fen digits, of receivables and blocked providers as yuan (formatFen).
type StoredFunder = { region: string; ratio: string };
type StoredShare = { region: string; amount: string };
type StoredReceivable = { providerUscc: string; amount: string; redemptionIds: string[] };
type StoredBlocked = { providerUscc: string; amount: string; reason: BlockedView['reason']; redemptionIds: string[] };

/** The inverse of formatFen: exact for any amount it wrote. */
function fenOfFormatted(yuan: string): Fen {
  const negative = yuan.startsWith('-');
  const [whole = '0', cents = '00'] = (negative ? yuan.slice(1) : yuan).split('.');
  const fen = BigInt(whole) * 100n + BigInt(cents);
  return negative ? -fen : fen;
}

const fundersToJson = (funders: readonly Funder[]) => JSON.stringify(funders.map((f): StoredFunder => ({ region: f.region, ratio: f.ratio })));
const fundersOfJson = (json: string): Funder[] => (JSON.parse(json) as StoredFunder[]).map((f) => ({ region: f.region, ratio: f.ratio }));

export function batchToDomain(row: BatchRow): PaymentBatch {
  return {
    id: row.id,
    programId: row.program_id,
    region: row.region,
    kind: row.kind,
    cutoff: row.cutoff,
    status: row.status as BatchStatus,
    maker: row.maker,
    checker: row.checker,
    funders: fundersOfJson(row.funders),
    receivables: (JSON.parse(row.receivables) as StoredReceivable[]).map((r): Receivable => ({
      providerUscc: r.providerUscc,
      amount: fenOfFormatted(r.amount),
      redemptionIds: r.redemptionIds,
    })),
    blocked: (JSON.parse(row.blocked) as StoredBlocked[]).map((b): BlockedProvider => ({
      providerUscc: b.providerUscc,
      amount: fenOfFormatted(b.amount),
      reason: b.reason,
      redemptionIds: b.redemptionIds,
    })),
    total: row.total_fen,
    createdAt: row.created_at,
    approvedAt: row.approved_at,
    closedAt: row.closed_at,
    approvalSeq: row.approval_seq === null ? null : Number(row.approval_seq),
  };
}

export function batchToRow(batch: PaymentBatch): BatchRow {
  return {
    id: batch.id,
    program_id: batch.programId,
    region: batch.region,
    kind: batch.kind,
    cutoff: batch.cutoff,
    status: batch.status,
    maker: batch.maker,
    checker: batch.checker,
    funders: fundersToJson(batch.funders),
    receivables: JSON.stringify(
      batch.receivables.map((r): StoredReceivable => ({ providerUscc: r.providerUscc, amount: formatFen(r.amount), redemptionIds: r.redemptionIds })),
    ),
    blocked: JSON.stringify(
      batch.blocked.map((b): StoredBlocked => ({
        providerUscc: b.providerUscc,
        amount: formatFen(b.amount),
        reason: b.reason,
        redemptionIds: b.redemptionIds,
      })),
    ),
    total_fen: batch.total,
    created_at: batch.createdAt,
    approved_at: batch.approvedAt,
    closed_at: batch.closedAt,
    approval_seq: batch.approvalSeq === null ? null : BigInt(batch.approvalSeq),
  };
}

export function lineToDomain(row: LineRow): PaymentLine {
  return {
    id: row.id,
    batchId: row.batch_id,
    position: Number(row.position),
    providerUscc: row.provider_uscc,
    providerName: row.provider_name,
    bankAccount: { bankName: row.bank_name, accountName: row.account_name, accountNumber: row.account_number },
    amount: row.amount_fen,
    shares: (JSON.parse(row.shares) as StoredShare[]).map((s): Share => ({ region: s.region, amount: BigInt(s.amount) })),
    status: row.status as LineStatus,
    paidOn: row.paid_on,
    bankReference: row.bank_reference,
    failureReason: row.failure_reason,
    ledgerSeq: row.ledger_seq === null ? null : Number(row.ledger_seq),
    settledAt: row.settled_at,
  };
}

export function lineToRow(line: PaymentLine): LineRow {
  return {
    id: line.id,
    batch_id: line.batchId,
    position: BigInt(line.position),
    provider_uscc: line.providerUscc,
    provider_name: line.providerName,
    bank_name: line.bankAccount.bankName,
    account_name: line.bankAccount.accountName,
    account_number: line.bankAccount.accountNumber,
    amount_fen: line.amount,
    shares: JSON.stringify(line.shares.map((s): StoredShare => ({ region: s.region, amount: s.amount.toString() }))),
    status: line.status,
    paid_on: line.paidOn,
    bank_reference: line.bankReference,
    failure_reason: line.failureReason,
    ledger_seq: line.ledgerSeq === null ? null : BigInt(line.ledgerSeq),
    settled_at: line.settledAt,
  };
}

export const claimToDomain = (row: ClaimRow): PaymentClaim => ({
  lineId: row.line_id,
  batchId: row.batch_id,
  redemptionId: row.redemption_id,
  amount: row.amount_fen,
  status: row.status as ClaimStatus,
});

export const claimToRow = (claim: PaymentClaim): ClaimRow => ({
  line_id: claim.lineId,
  batch_id: claim.batchId,
  redemption_id: claim.redemptionId,
  amount_fen: claim.amount,
  status: claim.status,
  // Set exactly while the claim is open: its unique index refuses a second open claim on one redemption (decision 0019).
  open_redemption_id: claim.status === 'open' ? claim.redemptionId : null,
});

const recoveryToRow = (recovery: Recovery): RecoveryRow => ({
  id: recovery.id,
  program_id: recovery.programId,
  provider_uscc: recovery.providerUscc,
  amount_fen: recovery.amount,
  bank_reference: recovery.bankReference,
  received_on: recovery.receivedOn,
  ledger_seq: BigInt(recovery.ledgerSeq),
  created_at: recovery.createdAt,
  created_by: recovery.createdBy,
});

/** The program's funders in their listed order; a program without co-funders is funded by its own region alone. */
export async function fundersOf(db: Db, program: Pick<Program, 'id' | 'region'>): Promise<Funder[]> {
  const funders = await findProgramFunders(db, program.id);
  return funders.length > 0 ? funders : [{ region: program.region, ratio: '1' }];
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
    // Only what is owed: a claim enters settlement once approved (decision 0041).
    .where('r.status', '=', 'approved')
    .select(['r.id', 'r.provider_uscc', 'r.executed_on', 'r.subsidy_fen', 'r.clawed_back_fen'])
    .select([
      // sum() of int8 is numeric on PostgreSQL: cast back so that it arrives as a bigint on both engines.
      sql<bigint>`(select cast(coalesce(sum(c.amount_fen), 0) as bigint) from payment_claims c where c.redemption_id = r.id and c.status = 'paid')`.as(
        'paid_fen',
      ),
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

export async function insertBatch(db: Db, batch: PaymentBatch, lines: readonly PaymentLine[], claims: readonly PaymentClaim[]): Promise<void> {
  await db.insertInto('payment_batches').values(batchToRow(batch)).execute();
  if (lines.length > 0) await db.insertInto('payment_lines').values(lines.map(lineToRow)).execute();
  if (claims.length > 0) await db.insertInto('payment_claims').values(claims.map(claimToRow)).execute();
}

export async function findBatch(db: Db, id: string): Promise<PaymentBatch | undefined> {
  const row = await db.selectFrom('payment_batches').selectAll().where('id', '=', id).executeTakeFirst();
  return row && batchToDomain(row);
}

export async function linesOf(db: Db, batchIds: readonly string[]): Promise<PaymentLine[]> {
  if (batchIds.length === 0) return [];
  const rows = await db.selectFrom('payment_lines').selectAll().where('batch_id', 'in', batchIds).orderBy('batch_id').orderBy('position').execute();
  return rows.map(lineToDomain);
}

export async function claimsOf(db: Db, batchIds: readonly string[]): Promise<PaymentClaim[]> {
  if (batchIds.length === 0) return [];
  const rows = await db.selectFrom('payment_claims').selectAll().where('batch_id', 'in', batchIds).orderBy('line_id').orderBy('redemption_id').execute();
  return rows.map(claimToDomain);
}

/** Batches of the regions in scope, and (for an issuer) of the programs its region co-funds. */
export async function listBatches(db: Db, scope: { regionFrom: string; regionTo: string; funder?: string }, query: ListBatchesQuery): Promise<PaymentBatch[]> {
  const inScope = (eb: ExpressionBuilder<Database, 'payment_batches'>) => {
    const own = eb.and([eb('region', '>=', scope.regionFrom), eb('region', '<=', scope.regionTo)]);
    // funders is stored as JSON.stringify([{region, ratio}]): the region appears exactly as "region":"330000".
    return scope.funder === undefined ? own : eb.or([own, eb('funders', 'like', `%"region":"${scope.funder}"%`)]);
  };
  let q = db.selectFrom('payment_batches').selectAll().where(inScope);
  if (query.programId !== undefined) q = q.where('program_id', '=', query.programId);
  if (query.status !== undefined) q = q.where('status', '=', query.status);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(500).execute();
  return rows.map(batchToDomain);
}

/** What a use case changes of a batch: always its status, and some of the members that move with it. */
export type BatchChange = { status: BatchStatus } & Partial<Pick<PaymentBatch, 'checker' | 'approvedAt' | 'closedAt' | 'approvalSeq'>>;

/** What a use case changes of a line: always its status, and some of the members that record how it was settled. */
export type LineChange = { status: LineStatus } & Partial<Pick<PaymentLine, 'paidOn' | 'bankReference' | 'failureReason' | 'ledgerSeq' | 'settledAt'>>;

/** Only the members present are set (a null is set, an absent member left as it is). */
export function batchChangeToRow(change: BatchChange): Updateable<PaymentBatchTable> {
  return {
    status: change.status,
    ...(change.checker === undefined ? {} : { checker: change.checker }),
    ...(change.approvedAt === undefined ? {} : { approved_at: change.approvedAt }),
    ...(change.closedAt === undefined ? {} : { closed_at: change.closedAt }),
    ...(change.approvalSeq === undefined ? {} : { approval_seq: change.approvalSeq === null ? null : BigInt(change.approvalSeq) }),
  };
}

/** Only the members present are set (a null is set, an absent member left as it is). */
export function lineChangeToRow(change: LineChange): Updateable<PaymentLineTable> {
  return {
    status: change.status,
    ...(change.paidOn === undefined ? {} : { paid_on: change.paidOn }),
    ...(change.bankReference === undefined ? {} : { bank_reference: change.bankReference }),
    ...(change.failureReason === undefined ? {} : { failure_reason: change.failureReason }),
    ...(change.ledgerSeq === undefined ? {} : { ledger_seq: change.ledgerSeq === null ? null : BigInt(change.ledgerSeq) }),
    ...(change.settledAt === undefined ? {} : { settled_at: change.settledAt }),
  };
}

export async function updateBatch(db: Db, id: string, change: BatchChange): Promise<void> {
  await db.updateTable('payment_batches').set(batchChangeToRow(change)).where('id', '=', id).execute();
}

export async function updateLine(db: Db, id: string, change: LineChange): Promise<void> {
  await db.updateTable('payment_lines').set(lineChangeToRow(change)).where('id', '=', id).execute();
}

/** Closes a line's open claims: paid with it, or released back to unpaid. */
export async function closeClaims(db: Db, lineId: string, status: 'paid' | 'released'): Promise<void> {
  await db.updateTable('payment_claims').set({ status, open_redemption_id: null }).where('line_id', '=', lineId).where('status', '=', 'open').execute();
}

export async function insertRecovery(db: Db, recovery: Recovery, items: readonly RecoveryItem[]): Promise<void> {
  await db.insertInto('recoveries').values(recoveryToRow(recovery)).execute();
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
  for (const row of open)
    if (row.open_redemption_id) views.set(row.open_redemption_id, { status: 'in_batch', batchId: row.batch_id, paidOn: null, bankReference: null });
  return views;
}
