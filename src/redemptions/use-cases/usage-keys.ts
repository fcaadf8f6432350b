// Where a redemption's subsidy counts against the caps (decision 0003): the policy-wide total and the program's
// own, each per beneficiary, cap bucket and calendar year.
import type { Kysely } from 'kysely';
import { grantedIn, type UsageKey, usageScopes } from '../../beneficiaries/usage.repository.js';
import type { Database } from '../../db/schema.js';
import type { Fen } from '../../shared/money.js';

export interface UsageKeys {
  policy: UsageKey;
  program: UsageKey;
}

export function usageKeys(of: { policyId: string; programId: string; beneficiaryUscc: string; bucket: string; year: number }): UsageKeys {
  const key = { uscc: of.beneficiaryUscc, bucket: of.bucket, year: of.year };
  return { policy: { ...key, scope: usageScopes.policy(of.policyId) }, program: { ...key, scope: usageScopes.program(of.programId) } };
}

/** What the beneficiary has been granted so far under each. */
export async function grantedUnder(db: Kysely<Database>, keys: UsageKeys): Promise<{ policy: Fen; program: Fen }> {
  return { policy: await grantedIn(db, keys.policy), program: await grantedIn(db, keys.program) };
}
