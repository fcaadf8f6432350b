// The provider register's use cases (decision 0018), one module each under use-cases/; this only wires them to the
// process's dependencies for the routes.
import type { ActorOf } from '../auth/actor.js';
import type { Deps } from '../deps.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import type { ListProvidersQuery, RegisterProviderInput, ReplaceProviderInput, StatusChangeInput } from './providers.schemas.js';
import { changeRegistrationStatus } from './use-cases/change-status.js';
import type { Issuer, Reader } from './use-cases/dependencies.js';
import { getProvider, listProviders, providerHistory } from './use-cases/read-providers.js';
import { registerProvider } from './use-cases/register-provider.js';
import { replaceProvider } from './use-cases/replace-provider.js';

export function createProviderService(deps: Deps) {
  return {
    get: (uscc: string, actor: Reader) => getProvider(deps, uscc, actor),
    register: (input: RegisterProviderInput, ctx: CommandContext<Issuer>) => registerProvider(deps, input, ctx),
    /** Replaces name, bank account and services; the status stays. A replacement that changes nothing records nothing. */
    replace: (uscc: string, input: ReplaceProviderInput, ctx: CommandContext<Issuer>) => replaceProvider(deps, uscc, input, ctx),
    suspend: (uscc: string, input: StatusChangeInput, ctx: CommandContext<Issuer>) => changeRegistrationStatus(deps, uscc, input, ctx, 'suspended'),
    reinstate: (uscc: string, input: StatusChangeInput, ctx: CommandContext<Issuer>) => changeRegistrationStatus(deps, uscc, input, ctx, 'active'),
    /** The changes of the registrations the caller may read (or of one region's), oldest first per region. */
    history: (uscc: string, region: string | undefined, actor: Reader) => providerHistory(deps, uscc, region, actor),
    /** The register of a region and the regions below it (default: the caller's). */
    list: (query: ListProvidersQuery, actor: ActorOf<'issuer' | 'auditor'>) => listProviders(deps, query, actor),
  };
}

export type ProviderService = ReturnType<typeof createProviderService>;
