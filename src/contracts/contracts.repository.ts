import type { Insertable, Kysely } from 'kysely';
import { firstRow, prepared } from '../db/prepared.js';
import type { ContractRow, ContractTable, Database } from '../db/schema.js';
import type { VoucherKind } from '../rules/policy.js';
import type { Fen } from '../shared/money.js';
import type { Contract } from './contracts.model.js';

export function contractToDomain(row: ContractRow): Contract {
  return {
    id: row.id,
    providerUscc: row.provider_uscc,
    number: row.number,
    beneficiaryUscc: row.beneficiary_uscc,
    // Only the kinds the API accepts are ever stored.
    kind: row.kind as VoucherKind,
    autonomous: row.autonomous,
    amount: row.amount_fen,
    signedOn: row.signed_on,
    nationalKeyProject: row.national_key_project,
    netExecuted: row.net_executed_fen,
    netSubsidy: row.net_subsidy_fen,
    voucherId: row.voucher_id,
    createdAt: row.created_at,
    serviceCode: row.service_code,
  };
}

export function contractToRow(contract: Contract): ContractRow {
  return {
    id: contract.id,
    provider_uscc: contract.providerUscc,
    number: contract.number,
    beneficiary_uscc: contract.beneficiaryUscc,
    kind: contract.kind,
    autonomous: contract.autonomous,
    amount_fen: contract.amount,
    signed_on: contract.signedOn,
    national_key_project: contract.nationalKeyProject,
    net_executed_fen: contract.netExecuted,
    net_subsidy_fen: contract.netSubsidy,
    voucher_id: contract.voucherId,
    created_at: contract.createdAt,
    service_code: contract.serviceCode,
  };
}

export async function insertContract(db: Kysely<Database>, contract: Contract): Promise<void> {
  await insertContractRow(db, contractToRow(contract));
}

/** A row exactly as given: for tests that write the table below the use cases (the unit of work's). */
export async function insertContractRow(db: Kysely<Database>, row: Insertable<ContractTable>): Promise<void> {
  await db.insertInto('contracts').values(row).execute();
}

const byId = prepared<{ id: string }, ContractRow>((db, p) => db.selectFrom('contracts').selectAll().where('id', '=', p.id));
export async function findContract(db: Kysely<Database>, id: string): Promise<Contract | undefined> {
  const row = firstRow(await byId(db, { id }));
  return row && contractToDomain(row);
}

/** Whether the provider already registered a contract with this number. */
export async function contractNumberTaken(db: Kysely<Database>, providerUscc: string, number: string): Promise<boolean> {
  const row = await db.selectFrom('contracts').select('id').where('provider_uscc', '=', providerUscc).where('number', '=', number).executeTakeFirst();
  return row !== undefined;
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
    .set((eb) => ({
      net_executed_fen: eb('net_executed_fen', '+', p.executed),
      net_subsidy_fen: eb('net_subsidy_fen', '+', p.subsidy),
      voucher_id: p.voucherId,
    }))
    .where('id', '=', p.id),
);

/** A page of one provider's contracts in (created_at, id) order after `after`, one row past `limit` when more follow. */
export async function listContracts(
  db: Kysely<Database>,
  providerUscc: string,
  filter: { beneficiaryUscc?: string | undefined; voucherId?: string | undefined },
  after: [string, string] | undefined,
  limit: number,
): Promise<Contract[]> {
  let query = db.selectFrom('contracts').selectAll().where('provider_uscc', '=', providerUscc);
  if (filter.beneficiaryUscc !== undefined) query = query.where('beneficiary_uscc', '=', filter.beneficiaryUscc);
  if (filter.voucherId !== undefined) query = query.where('voucher_id', '=', filter.voucherId);
  if (after) query = query.where((eb) => eb.or([eb('created_at', '>', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '>', after[1])])]));
  const rows = await query
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  return rows.map(contractToDomain);
}

/**
 * Whether a provider holds a contract against a voucher: one that drew on it, or one not yet drawing on any voucher
 * with the voucher's beneficiary and kind (the contract it is about to redeem).
 */
export async function holdsContractAgainst(
  db: Kysely<Database>,
  providerUscc: string,
  voucher: { id: string; beneficiaryUscc: string; kind: string },
): Promise<boolean> {
  const row = await db
    .selectFrom('contracts')
    .select('id')
    .where('provider_uscc', '=', providerUscc)
    .where((eb) =>
      eb.or([
        eb('voucher_id', '=', voucher.id),
        eb.and([eb('voucher_id', 'is', null), eb('beneficiary_uscc', '=', voucher.beneficiaryUscc), eb('kind', '=', voucher.kind)]),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
