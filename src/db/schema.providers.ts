// The provider register's tables (decision 0018).

/**
 * One registration of a provider in one region: its bank account and the services it offers there. The
 * current state only; every change is also appended to `provider_registration_history`.
 */
export interface ProviderRegistrationTable {
  uscc: string;
  region: string;
  name: string;
  bank_name: string;
  bank_account_name: string;
  bank_account_number: string;
  /** JSON array of {code, name, kind, autonomous}: read and replaced as a whole with the registration. */
  services: string;
  status: string;
  /** 1 at registration, +1 with every change: the history's key. */
  version: bigint;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
}

/** Append-only: who changed a registration, when, how, and the registration as it stood afterwards. */
export interface ProviderRegistrationHistoryTable {
  uscc: string;
  region: string;
  version: bigint;
  action: string;
  /** The actor's recorded claims as JSON (sub, role, region). */
  actor: string;
  recorded_at: string;
  reason: string | null;
  /** JSON snapshot of the registration after the change. */
  registration: string;
}

export interface ProviderTables {
  provider_registrations: ProviderRegistrationTable;
  provider_registration_history: ProviderRegistrationHistoryTable;
}
