// Who may read or change which registration (decision 0018).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { DomainError } from '../../shared/errors.js';
import { covers } from '../../shared/region.js';
import type { ProviderRegistration } from '../providers.model.js';
import { findRegistration, findRegistrations } from '../providers.repository.js';
import type { Issuer, Reader } from './dependencies.js';

/**
 * Whether an issuer or auditor may read a registration: its region covers the registration's (the registers
 * below it), or the registration's region covers the caller's (the registers its own programs rely on,
 * decision 0018). A provider reads its own registrations only.
 */
export function mayRead(actor: Reader, registration: ProviderRegistration): boolean {
  if (actor.role === 'provider') return actor.org === registration.uscc;
  return covers(actor.region, registration.region) || covers(registration.region, actor.region);
}

/** The caller's region's registration of `uscc`, for a change: 404 if it has none anywhere, 403 if only elsewhere. */
export async function ownRegistration(trx: Kysely<Database>, uscc: string, actor: Issuer): Promise<ProviderRegistration> {
  const registration = await findRegistration(trx, uscc, actor.region);
  if (registration) return registration;
  const elsewhere = await findRegistrations(trx, uscc);
  if (elsewhere.length === 0) throw DomainError.notFound('provider registration');
  throw DomainError.forbidden(`provider ${uscc} is registered only in other regions' registers, outside the caller's region ${actor.region}`);
}
