import type { Insertable, Kysely } from 'kysely';
import type { ContractRow, ContractTable, Database } from '../db/schema.js';
import type { Fen } from '../shared/money.js';

export async function insertContract(db: Kysely<Database>, row: Insertable<ContractTable>): Promise<void> {
  await db.insertInto('contracts').values(row).execute();
}

export async function findContract(db: Kysely<Database>, id: string): Promise<ContractRow | undefined> {
  return db.selectFrom('contracts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findContractByNumber(db: Kysely<Database>, providerUscc: string, number: string) {
  return db.selectFrom('contracts').select('id').where('provider_uscc', '=', providerUscc).where('number', '=', number).executeTakeFirst();
}

/**
 * Moves the contract's net executed amount and net subsidy by deltas (relative, never overwritten); an execution
 * also binds its voucher.
 */
export async function recordExecution(db: Kysely<Database>, id: string, delta: { executed: Fen; subsidy: Fen }, voucherId?: string): Promise<void> {
  await db
    .updateTable('contracts')
    .set((eb) => ({
      net_executed_fen: eb('net_executed_fen', '+', delta.executed),
      net_subsidy_fen: eb('net_subsidy_fen', '+', delta.subsidy),
      ...(voucherId === undefined ? {} : { voucher_id: voucherId }),
    }))
    .where('id', '=', id)
    .execute();
}
