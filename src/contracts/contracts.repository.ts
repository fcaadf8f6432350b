import type { Kysely } from 'kysely';
import type { ContractRow, Database } from '../db/schema.js';
import type { Fen } from '../shared/money.js';

export async function insertContract(db: Kysely<Database>, row: ContractRow): Promise<void> {
  await db.insertInto('contracts').values(row).execute();
}

export async function findContract(db: Kysely<Database>, id: string): Promise<ContractRow | undefined> {
  return db.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findContractByNumber(db: Kysely<Database>, providerUscc: string, number: string) {
  return db.selectFrom('contracts').select('id').where('provider_uscc', '=', providerUscc).where('number', '=', number).executeTakeFirst();
}

export async function recordExecution(db: Kysely<Database>, id: string, netExecuted: Fen, voucherId: string): Promise<void> {
  await db.updateTable('contracts').set({ net_executed_fen: netExecuted, voucher_id: voucherId }).where('id', '=', id).execute();
}

export async function setNetExecuted(db: Kysely<Database>, id: string, netExecuted: Fen): Promise<void> {
  await db.updateTable('contracts').set({ net_executed_fen: netExecuted }).where('id', '=', id).execute();
}
