import type { Kysely } from 'kysely';
import type { Database, VoucherRow } from '../db/schema.js';
import { firstRow, prepared } from '../db/prepared.js';

export async function insertVoucher(db: Kysely<Database>, row: VoucherRow): Promise<void> {
  await db.insertInto('vouchers').values(row).execute();
}

const byId = prepared<{ id: string }, VoucherRow>((db, p) => db.selectFrom('vouchers').selectAll().where('id', '=', p.id));
export async function findVoucher(db: Kysely<Database>, id: string): Promise<VoucherRow | undefined> {
  return firstRow(await byId(db, { id }));
}

export async function closeVoucher(db: Kysely<Database>, id: string, status: 'revoked' | 'expired', at: string, reason: string): Promise<void> {
  await db.updateTable('vouchers').set({ status, closed_at: at, close_reason: reason }).where('id', '=', id).execute();
}

/** Active vouchers whose last valid day is before `today`, optionally within one issuer's region. */
export async function findLapsedVouchers(db: Kysely<Database>, today: string, region?: string): Promise<VoucherRow[]> {
  let query = db.selectFrom('vouchers').selectAll().where('status', '=', 'active').where('expires_on', '<', today).orderBy('id');
  if (region !== undefined) query = query.where('region', '=', region);
  return query.execute();
}

/** A page of vouchers in (created_at, id) order after `after`, within a region range, one row past `limit` when more follow. */
export async function listVouchers(
  db: Kysely<Database>,
  regions: { from: string; to: string },
  filter: { programId?: string | undefined; beneficiaryUscc?: string | undefined; status?: string | undefined },
  after: [string, string] | undefined,
  limit: number,
): Promise<VoucherRow[]> {
  let query = db.selectFrom('vouchers').selectAll().where('region', '>=', regions.from).where('region', '<=', regions.to);
  if (filter.programId !== undefined) query = query.where('program_id', '=', filter.programId);
  if (filter.beneficiaryUscc !== undefined) query = query.where('beneficiary_uscc', '=', filter.beneficiaryUscc);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  if (after) query = query.where((eb) => eb.or([eb('created_at', '>', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '>', after[1])])]));
  return query.orderBy('created_at').orderBy('id').limit(limit + 1).execute();
}
