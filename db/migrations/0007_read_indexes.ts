import type { Kysely } from 'kysely';

// The list endpoints page by keyset (decision 0023): each scope and filter they offer reads an index in the
// order it pages, so a page costs its own size whatever the table holds.
export async function up(db: Kysely<unknown>): Promise<void> {
  const index = (name: string, table: string, columns: string[]) => db.schema.createIndex(name).on(table).columns(columns).execute();
  // programs: by region (auditors' ranges), or all of them; issuers come through program_funders (region, program_id).
  await index('programs_region_page', 'programs', ['region', 'created_at', 'id']);
  await index('programs_page', 'programs', ['created_at', 'id']);
  // vouchers: a region's, a program's, a beneficiary's.
  await index('vouchers_region_page', 'vouchers', ['region', 'created_at', 'id']);
  await index('vouchers_program_page', 'vouchers', ['program_id', 'created_at', 'id']);
  await index('vouchers_beneficiary_page', 'vouchers', ['beneficiary_uscc', 'created_at', 'id']);
  // contracts: a provider's own; and which contracts a provider holds against a voucher.
  await index('contracts_provider_page', 'contracts', ['provider_uscc', 'created_at', 'id']);
  await index('contracts_voucher', 'contracts', ['voucher_id', 'provider_uscc']);
  // redemptions page by their ledger seq (unique and increasing): a provider's, a voucher's, a contract's.
  await index('redemptions_page', 'redemptions', ['ledger_seq']);
  await index('redemptions_provider_page', 'redemptions', ['provider_uscc', 'ledger_seq']);
  await index('redemptions_voucher_page', 'redemptions', ['voucher_id', 'ledger_seq']);
  await index('redemptions_contract_page', 'redemptions', ['contract_id', 'ledger_seq']);
}

export async function down(): Promise<void> {
  throw new Error('the ledger is append-only: its migrations are not reversible');
}
