// The organisations behind the ids an entry names (decision 0045): read from the tables that hold them, so that a
// provider or an enterprise can read the entries that concern it although they do not carry its USCC.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { EntryReferences, PartiesOf } from './entry-visibility.js';

export const partiesOf =
  (db: Kysely<Database>): PartiesOf =>
  async ({ voucherIds, applicationIds, redemptionIds }: EntryReferences) => {
    const parties = new Set<string>();
    if (voucherIds.length > 0)
      for (const row of await db.selectFrom('vouchers').select('beneficiary_uscc').where('id', 'in', voucherIds).execute()) parties.add(row.beneficiary_uscc);
    if (applicationIds.length > 0)
      for (const row of await db.selectFrom('applications').select('enterprise_uscc').where('id', 'in', applicationIds).execute())
        parties.add(row.enterprise_uscc);
    if (redemptionIds.length > 0)
      for (const row of await db
        .selectFrom('redemptions')
        .innerJoin('vouchers', 'vouchers.id', 'redemptions.voucher_id')
        .select(['redemptions.provider_uscc', 'vouchers.beneficiary_uscc'])
        .where('redemptions.id', 'in', redemptionIds)
        .execute()) {
        parties.add(row.provider_uscc);
        parties.add(row.beneficiary_uscc);
      }
    return parties;
  };
