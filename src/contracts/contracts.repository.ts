import type { Insertable, Kysely } from 'kysely';
import type { ContractRow, ContractTable, Database } from '../db/schema.js';
import type { Fen } from '../shared/money.js';
import { firstRow, prepared } from '../db/prepared.js';

export async function insertContract(db: Kysely<Database>, row: Insertable<ContractTable>): Promise<void> {
  await db.insertInto('contracts').values(row).execute();
}

const byId = prepared<{ id: string }, ContractRow>((db, p) => db.selectFrom('contracts').selectAll().where('id', '=', p.id));
export async function findContract(db: Kysely<Database>, id: string): Promise<ContractRow | undefined> {
  return firstRow(await byId(db, { id }));
}

export async function findContractByNumber(db: Kysely<Database>, providerUscc: string, number: string) {
  return db.selectFrom('contracts').select('id').where('provider_uscc', '=', providerUscc).where('number', '=', number).executeTakeFirst();
}

/**
 * Moves the contract's net executed amount and net subsidy by deltas (relative, never overwritten); an execution
 * also binds its voucher.
 */
export async function recordExecution(db: Kysely<Database>, id: string, delta: { executed: Fen; subsidy: Fen }, voucherId?: string): Promise<void> {
  if (voucherId === undefined) await moveExecution(db, { id, ...delta });
  else await moveExecutionOnVoucher(db, { id, ...delta, voucherId });
}

type ExecutionDelta = { id: string; executed: Fen; subsidy: Fen };
const moveExecution = prepared<ExecutionDelta, never>((db, p) =>
  db
    .updateTable('contracts')
    .set((eb) => ({ net_executed_fen: eb('net_executed_fen', '+', p.executed), net_subsidy_fen: eb('net_subsidy_fen', '+', p.subsidy) }))
    .where('id', '=', p.id),
);
const moveExecutionOnVoucher = prepared<ExecutionDelta & { voucherId: string }, never>((db, p) =>
  db
    .updateTable('contracts')
    .set((eb) => ({ net_executed_fen: eb('net_executed_fen', '+', p.executed), net_subsidy_fen: eb('net_subsidy_fen', '+', p.subsidy), voucher_id: p.voucherId }))
    .where('id', '=', p.id),
);

/** A page of one provider's contracts in (created_at, id) order after `after`, one row past `limit` when more follow. */
export async function listContracts(
  db: Kysely<Database>,
  providerUscc: string,
  filter: { beneficiaryUscc?: string | undefined; voucherId?: string | undefined },
  after: [string, string] | undefined,
  limit: number,
): Promise<ContractRow[]> {
  let query = db.selectFrom('contracts').selectAll().where('provider_uscc', '=', providerUscc);
  if (filter.beneficiaryUscc !== undefined) query = query.where('beneficiary_uscc', '=', filter.beneficiaryUscc);
  if (filter.voucherId !== undefined) query = query.where('voucher_id', '=', filter.voucherId);
  if (after) query = query.where((eb) => eb.or([eb('created_at', '>', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '>', after[1])])]));
  return query.orderBy('created_at').orderBy('id').limit(limit + 1).execute();
}

/**
 * Whether a provider holds a contract against a voucher: one that drew on it, or one not yet drawing on any voucher
 * with the voucher's beneficiary and kind (the contract it is about to redeem).
 */
export async function holdsContractAgainst(db: Kysely<Database>, providerUscc: string, voucher: { id: string; beneficiary_uscc: string; kind: string }): Promise<boolean> {
  const row = await db
    .selectFrom('contracts')
    .select('id')
    .where('provider_uscc', '=', providerUscc)
    .where((eb) =>
      eb.or([
        eb('voucher_id', '=', voucher.id),
        eb.and([eb('voucher_id', 'is', null), eb('beneficiary_uscc', '=', voucher.beneficiary_uscc), eb('kind', '=', voucher.kind)]),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
