import type { Kysely } from 'kysely';
import type { Database, NewRedemption, RedemptionRow } from '../db/schema.js';
import type { Fen } from '../shared/money.js';

export async function insertRedemption(db: Kysely<Database>, row: NewRedemption): Promise<void> {
  await db.insertInto('redemptions').values(row).execute();
}

export async function findRedemption(db: Kysely<Database>, id: string): Promise<RedemptionRow | undefined> {
  return db.selectFrom('redemptions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function invoiceUsed(db: Kysely<Database>, providerUscc: string, invoiceNumber: string): Promise<boolean> {
  const row = await db
    .selectFrom('redemptions')
    .select('id')
    .where('provider_uscc', '=', providerUscc)
    .where('invoice_number', '=', invoiceNumber)
    .executeTakeFirst();
  return row !== undefined;
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
