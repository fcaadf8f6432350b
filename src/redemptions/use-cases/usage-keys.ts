// Where a redemption's subsidy counts against the caps (decision 0003): the policy-wide total and the program's
// own, each per beneficiary, cap bucket and calendar year.
import type { Kysely } from 'kysely';
import { usedIn, type UsageKey, usageScopes } from '../../beneficiaries/usage.repository.js';
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

/** What counts against each cap so far: granted, and held by open claims (decision 0041). */
export async function usedUnder(db: Kysely<Database>, keys: UsageKeys): Promise<{ policy: Fen; program: Fen }> {
  return { policy: await usedIn(db, keys.policy), program: await usedIn(db, keys.program) };
}
