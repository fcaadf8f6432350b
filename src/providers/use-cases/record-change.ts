// Every change of the register is stored with its history row, in the same transaction.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { HistoryAction, ProviderRegistration, RegistrationDraft } from '../providers.model.js';
import { appendChange, insertRegistration, updateRegistration } from '../providers.repository.js';
import { registrationAfter } from '../providers.rules.js';
import type { Issuer } from './dependencies.js';

/** Stores the changed registration (or the first one) and appends the change with who made it and when. */
export async function recordChange(
  trx: Kysely<Database>,
  change: { action: HistoryAction; before: ProviderRegistration | undefined; draft: RegistrationDraft; reason: string | null },
  actor: Issuer,
  now: Date,
): Promise<ProviderRegistration> {
  const at = now.toISOString();
  const registration = registrationAfter(change.before, change.draft, actor.sub, at);
  if (change.before) await updateRegistration(trx, registration);
  else await insertRegistration(trx, registration);
  await appendChange(trx, {
    uscc: registration.uscc,
    region: registration.region,
    version: registration.version,
    action: change.action,
    // The actor's claims as ledger entries record them (auth/actor.ts).
    actor: { sub: actor.sub, role: actor.role, region: actor.region },
    recordedAt: at,
    reason: change.reason,
    registration,
  });
  return registration;
}
