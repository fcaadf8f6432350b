// The approved batch's payment instructions for the treasury: one row per line still to be paid or paid.
import type { Actor } from '../../auth/actor.js';
import { inert } from '../../ledger/export/spreadsheet.js';
import { DomainError } from '../../shared/errors.js';
import type { BatchView } from '../settlement.schemas.js';
import type { SettlementDeps } from './dependencies.js';
import { getBatch } from './read-batches.js';

export async function paymentInstructions(deps: Pick<SettlementDeps, 'db'>, id: string, actor: Actor): Promise<{ batch: BatchView; rows: string[][] }> {
  const view = await getBatch(deps, id, actor);
  if (view.status === 'draft' || view.status === 'cancelled')
    throw new DomainError('batch_not_approved', `payment batch ${id} is ${view.status}: instructions are issued for approved batches only`);
  return { batch: view, rows: instructionRows(view) };
}

/** The header, then one row per pending or paid line with each funder's share in the funders' order. */
export function instructionRows(view: BatchView): string[][] {
  const header = [
    'reference',
    'provider_name',
    'provider_uscc',
    'bank_name',
    'account_name',
    'account_number',
    'amount',
    ...view.funders.map((f) => `share_${f.region}`),
  ];
  const rows = view.lines
    .filter((line) => line.status === 'pending' || line.status === 'paid')
    // Identifiers and amounts stay exactly as the treasury's system reads them; free text a spreadsheet would run
    // as a formula gets a leading apostrophe (as the ledger's spreadsheet export does).
    .map((line) => [
      line.id,
      inert(line.providerName)!,
      line.providerUscc,
      inert(line.bankAccount.bankName)!,
      inert(line.bankAccount.accountName)!,
      line.bankAccount.accountNumber,
      line.amount,
      ...view.funders.map((f) => line.shares.find((s) => s.region === f.region)?.amount ?? '0.00'),
    ]);
  return [header, ...rows];
}
