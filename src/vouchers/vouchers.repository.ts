import { type Kysely, sql } from 'kysely';
import { firstRow, prepared } from '../db/prepared.js';
import type { Database, VoucherRow } from '../db/schema.js';
import type { VoucherKind } from '../rules/policy.js';
import type { Voucher, VoucherClosure, VoucherStatus } from './vouchers.model.js';

export function voucherToDomain(row: VoucherRow): Voucher {
  return {
    id: row.id,
    programId: row.program_id,
    // Copied from its program, whose kind the API checked.
    kind: row.kind as VoucherKind,
    region: row.region,
    beneficiary: { uscc: row.beneficiary_uscc, name: row.beneficiary_name },
    amount: row.amount_fen,
    status: row.status as VoucherStatus,
    expiresOn: row.expires_on,
    createdAt: row.created_at,
    closedAt: row.closed_at,
    closeReason: row.close_reason,
  };
}

export function voucherToRow(voucher: Voucher): VoucherRow {
  return {
    id: voucher.id,
    program_id: voucher.programId,
    kind: voucher.kind,
    region: voucher.region,
    beneficiary_uscc: voucher.beneficiary.uscc,
    beneficiary_name: voucher.beneficiary.name,
    amount_fen: voucher.amount,
    status: voucher.status,
    expires_on: voucher.expiresOn,
    created_at: voucher.createdAt,
    closed_at: voucher.closedAt,
    close_reason: voucher.closeReason,
  };
}

export async function insertVoucher(db: Kysely<Database>, voucher: Voucher): Promise<void> {
  await db.insertInto('vouchers').values(voucherToRow(voucher)).execute();
}

const byId = prepared<{ id: string }, VoucherRow>((db, p) => db.selectFrom('vouchers').selectAll().where('id', '=', p.id));
export async function findVoucher(db: Kysely<Database>, id: string): Promise<Voucher | undefined> {
  const row = firstRow(await byId(db, { id }));
  return row && voucherToDomain(row);
}

export async function closeVoucher(db: Kysely<Database>, id: string, closure: VoucherClosure): Promise<void> {
  await db
    .updateTable('vouchers')
    .set({ status: closure.status, closed_at: closure.closedAt, close_reason: closure.closeReason })
    .where('id', '=', id)
    .execute();
}

/** Active vouchers whose last valid day is before `today`, optionally within one issuer's region. */
export async function findLapsedVouchers(db: Kysely<Database>, today: string, region?: string): Promise<Voucher[]> {
  let query = db.selectFrom('vouchers').selectAll().where('status', '=', 'active').where('expires_on', '<', today).orderBy('id');
  if (region !== undefined) query = query.where('region', '=', region);
  return (await query.execute()).map(voucherToDomain);
}

/** A page of vouchers in (created_at, id) order after `after`, within a region range, one row past `limit` when more follow. */
export async function listVouchers(
  db: Kysely<Database>,
  regions: { from: string; to: string },
  filter: { programId?: string | undefined; beneficiaryUscc?: string | undefined; status?: VoucherStatus | undefined },
  after: [string, string] | undefined,
  limit: number,
): Promise<Voucher[]> {
  let query = db.selectFrom('vouchers').selectAll().where('region', '>=', regions.from).where('region', '<=', regions.to);
  if (filter.programId !== undefined) query = query.where('program_id', '=', filter.programId);
  if (filter.beneficiaryUscc !== undefined) query = query.where('beneficiary_uscc', '=', filter.beneficiaryUscc);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (after) query = query.where((eb) => eb.or([eb('created_at', '>', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '>', after[1])])]));
  const rows = await query
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return rows.map(voucherToDomain);
}

/** A program's active vouchers with their balances, by id: what its close returns (decision 0042). */
export async function activeVoucherBalancesOfProgram(db: Kysely<Database>, programId: string): Promise<{ voucherId: string; balance: bigint }[]> {
  const rows = await db
    .selectFrom('vouchers')
    .leftJoin('account_balances', (join) => join.on('account_balances.account', '=', sql<string>`${sql.lit('voucher:')} || vouchers.id`))
    .select(['vouchers.id', 'account_balances.balance_fen'])
    .where('vouchers.program_id', '=', programId)
    .where('vouchers.status', '=', 'active')
    .execute();
  // Ordered here by UTF-16 code units, as the verifier orders them, whatever the database's collation.
  return rows
    .map((row) => ({ voucherId: row.id, balance: row.balance_fen ?? 0n }))
    .sort((a, b) => (a.voucherId < b.voucherId ? -1 : a.voucherId > b.voucherId ? 1 : 0));
}

/** Closes every active voucher of a program at its close: expired, for the reason given (decision 0042). */
export async function expireVouchersOfProgram(db: Kysely<Database>, programId: string, closure: { closedAt: string; closeReason: string }): Promise<void> {
  await db
    .updateTable('vouchers')
    .set({ status: 'expired', closed_at: closure.closedAt, close_reason: closure.closeReason })
    .where('program_id', '=', programId)
    .where('status', '=', 'active')
    .execute();
}
