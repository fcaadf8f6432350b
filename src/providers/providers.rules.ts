import type { RuleViolation } from '../shared/violation.js';
import type { ProviderRegistration } from './providers.schemas.js';

export interface RegisteredProviderFacts {
  /** The program's region: the registration must be in a region that covers it. */
  programRegion: string;
  contract: { providerUscc: string; kind: string; autonomous: boolean | null; serviceCode: string | null };
  /** The provider's registration nearest to the program's region (findRegistrationCovering), if any. */
  registration: ProviderRegistration | undefined;
}

const violation = (code: string, detail: string): RuleViolation => ({ code, detail });

/**
 * Whether a program that requires registered providers may subsidise this contract, first failure wins:
 * the provider is registered and active in a region covering the program's; a compute contract names a
 * registered service of its kind (any other contract that names one, likewise) whose autonomy is the
 * contract's.
 */
export function checkRegisteredProvider(facts: RegisteredProviderFacts): RuleViolation | null {
  const { programRegion, contract, registration } = facts;
  if (!registration)
    return violation('provider_not_registered', `provider ${contract.providerUscc} is not registered in a region covering ${programRegion}`);
  if (registration.status !== 'active')
    return violation('provider_not_registered', `provider ${contract.providerUscc}'s registration in region ${registration.region} is ${registration.status}`);
  if (contract.serviceCode === null)
    return contract.kind === 'compute'
      ? violation('service_not_registered', 'a compute contract must name the serviceCode of a compute service registered for its provider')
      : null;
  const service = registration.services.find((candidate) => candidate.code === contract.serviceCode);
  if (!service || service.kind !== contract.kind)
    return violation(
      'service_not_registered',
      `service ${contract.serviceCode} is not a ${contract.kind} service of provider ${contract.providerUscc}'s registration in region ${registration.region}`,
    );
  if (contract.kind === 'compute' && service.autonomous !== contract.autonomous)
    return violation(
      'autonomy_mismatch',
      `the contract says autonomous ${String(contract.autonomous)}, but service ${service.code} is registered with autonomous ${String(service.autonomous)}`,
    );
  return null;
}
