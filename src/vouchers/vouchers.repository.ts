import type { Kysely } from 'kysely';
import type { Database, VoucherRow } from '../db/schema.js';

export async function insertVoucher(db: Kysely<Database>, row: VoucherRow): Promise<void> {
  await db.insertInto('vouchers').values(row).execute();
}

export async function findVoucher(db: Kysely<Database>, id: string): Promise<VoucherRow | undefined> {
  return db.selectFrom('vouchers').selectAll().where('id', '=', id).executeTakeFirst();
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
