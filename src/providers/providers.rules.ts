import { DomainError } from '../shared/errors.js';
import type { RuleViolation } from '../shared/violation.js';
import type { ProviderRegistration, ProviderStatus, RegistrationDraft } from './providers.model.js';

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
  if (!registration) return violation('provider_not_registered', `provider ${contract.providerUscc} is not registered in a region covering ${programRegion}`);
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

/** The registration a change leaves: the next version, created as before (or now, if it is the first), updated now by `by`. */
export function registrationAfter(before: ProviderRegistration | undefined, draft: RegistrationDraft, by: string, at: string): ProviderRegistration {
  return {
    ...draft,
    version: (before?.version ?? 0) + 1,
    createdAt: before?.createdAt ?? at,
    createdBy: before?.createdBy ?? by,
    updatedAt: at,
    updatedBy: by,
  };
}

/** What a registration says, less its version and who made and changed it (the status stays in its place). */
export function draftOf(registration: ProviderRegistration): RegistrationDraft {
  const { version: _version, createdAt: _createdAt, createdBy: _createdBy, updatedAt: _updatedAt, updatedBy: _updatedBy, ...draft } = registration;
  return draft;
}

/** Whether a replacement changes the name, bank account or services: one that changes nothing records nothing. */
export const replacementChanges = (current: ProviderRegistration, next: RegistrationDraft): boolean =>
  JSON.stringify([current.name, current.bankAccount, current.services]) !== JSON.stringify([next.name, next.bankAccount, next.services]);

/** Refuses to suspend a suspended registration, and to reinstate one that is not suspended. */
export function assertStatusChange(current: ProviderRegistration, to: ProviderStatus): void {
  if (current.status !== to) return;
  throw to === 'suspended'
    ? new DomainError('registration_already_suspended', `provider ${current.uscc}'s registration in region ${current.region} is already suspended`)
    : new DomainError('registration_not_suspended', `provider ${current.uscc}'s registration in region ${current.region} is not suspended`);
}
