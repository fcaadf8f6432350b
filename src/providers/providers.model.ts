// The provider register's domain values (decision 0018), as the use cases, the rules and settlement see them:
// versions as numbers, services and history snapshots parsed. The repository maps them to and from rows.
// A registration is also what the API answers, member for member: keep the members' order.
import type { VoucherKind } from '../rules/policy.js';

export const PROVIDER_STATUSES = ['active', 'suspended'] as const;
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];

export interface BankAccount {
  bankName: string;
  accountName: string;
  accountNumber: string;
}

export interface RegisteredService {
  code: string;
  name: string;
  kind: VoucherKind;
  /** Compute services only: whether the computing power is autonomous (domestic); null for corpus and model. */
  autonomous: boolean | null;
}

/** A provider's registration in one region, as the register holds it now (settlement reads it for bank accounts). */
export interface ProviderRegistration {
  uscc: string;
  region: string;
  name: string;
  bankAccount: BankAccount;
  services: RegisteredService[];
  status: ProviderStatus;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/** What a change decides of a registration; its version and who created and updated it are filled when it is recorded. */
export type RegistrationDraft = Omit<ProviderRegistration, 'version' | 'createdAt' | 'createdBy' | 'updatedAt' | 'updatedBy'>;

export const HISTORY_ACTIONS = ['registered', 'replaced', 'suspended', 'reinstated'] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

/** One change of a registration: who made it, when, and the registration as it stood afterwards. */
export interface RegistrationChange {
  uscc: string;
  region: string;
  version: number;
  action: HistoryAction;
  actor: { sub: string; role: string; region: string };
  recordedAt: string;
  reason: string | null;
  registration: ProviderRegistration;
}
