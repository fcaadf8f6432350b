// Reading the register: a provider's registrations, their history, and a region's register.
import type { ActorOf } from '../../auth/actor.js';
import { DomainError } from '../../shared/errors.js';
import { covers } from '../../shared/region.js';
import type { ProviderRegistration, RegistrationChange } from '../providers.model.js';
import { findHistory, findRegistration, findRegistrations, listRegistrations } from '../providers.repository.js';
import type { ListProvidersQuery, ProviderView } from '../providers.schemas.js';
import type { ProviderDeps, Reader } from './dependencies.js';
import { mayRead } from './registration-access.js';

/** Every registration of the provider the caller may read: 404 if it has none, 403 if none is in scope. */
export async function getProvider(deps: Pick<ProviderDeps, 'db'>, uscc: string, actor: Reader): Promise<ProviderView> {
  const all = await findRegistrations(deps.db, uscc);
  if (all.length === 0) throw DomainError.notFound('provider registration');
  const registrations = all.filter((registration) => mayRead(actor, registration));
  if (registrations.length === 0) throw DomainError.forbidden(`provider ${uscc}'s registrations are outside the caller's scope`);
  return { uscc, registrations };
}

/** The changes of the registrations the caller may read (or of one region's), oldest first per region. */
export async function providerHistory(
  deps: Pick<ProviderDeps, 'db'>,
  uscc: string,
  region: string | undefined,
  actor: Reader,
): Promise<{ uscc: string; changes: RegistrationChange[] }> {
  const { registrations } = await getProvider(deps, uscc, actor);
  const regions = registrations.map((registration) => registration.region).filter((candidate) => region === undefined || candidate === region);
  if (region !== undefined && regions.length === 0) {
    const exists = (await findRegistration(deps.db, uscc, region)) !== undefined;
    throw exists ? DomainError.forbidden(`region ${region} is outside the caller's scope`) : DomainError.notFound('provider registration');
  }
  return { uscc, changes: await findHistory(deps.db, uscc, regions) };
}

/** The register of a region and the regions below it (default: the caller's). */
export async function listProviders(
  deps: Pick<ProviderDeps, 'db'>,
  query: ListProvidersQuery,
  actor: ActorOf<'issuer' | 'auditor'>,
): Promise<{ region: string; registrations: ProviderRegistration[] }> {
  const region = query.region ?? actor.region;
  if (!covers(actor.region, region)) throw DomainError.forbidden(`region ${region} is outside the caller's scope`);
  return { region, registrations: await listRegistrations(deps.db, region, query.status) };
}
