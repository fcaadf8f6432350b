import type { Generated, Insertable, Selectable } from 'kysely';
import type { ApplicationTables } from './schema.applications.js';
import type { ClaimTables } from './schema.claims.js';
import type { OversightTables } from './schema.oversight.js';
import type { DocumentTables } from './schema.documents.js';
import type { FundingTables } from './schema.funding.js';
import type { ProviderTables } from './schema.providers.js';
import type { SettlementTables } from './schema.settlement.js';
import type { TransparencyTables } from './schema.transparency.js';
import type { WebhookTables } from './schema.webhooks.js';

// Integers come back as bigint (better-sqlite3 safe integers; pg int8 with a BigInt parser), so fen
// amounts never pass through a JS number.

export interface LedgerEntryTable {
  seq: bigint;
  type: string;
  recorded_at: string;
  actor: string;
  data: string;
  prev_hash: string;
  hash: string;
  // Copies of data.region / data.programId / data.kind so that auditors' filters use indexes.
  region: string;
  program_id: string | null;
  kind: string | null;
}

export interface LedgerPostingTable {
  entry_seq: bigint;
  idx: bigint;
  account: string;
  amount_fen: bigint;
}

export interface AccountBalanceTable {
  account: string;
  balance_fen: bigint;
  last_seq: bigint;
}

/** The chain head: one row (id 1), seq 0 and the genesis hash on an empty ledger. */
export interface LedgerHeadTable {
  id: bigint;
  seq: bigint;
  hash: string;
}

export interface LedgerMetaTable {
  key: string;
  value: string;
}

export interface ProgramTable {
  id: string;
  name: string;
  kind: string;
  region: string;
  policy_id: string;
  /** The budget at creation; the current budget is the sum of the funders' shares (program_funders). */
  budget_fen: bigint;
  limits: string;
  created_at: string;
  created_by: string;
  /** Redemptions need the contract's provider registered (provider register); migration 0004. */
  require_registered_providers: boolean;
  /** 'direct' or 'application' (migration 0013); the application terms are null for a direct program. */
  issuance: string;
  applications_open_on: string | null;
  applications_close_on: string | null;
  notice_working_days: bigint | null;
  notice_contact_office: string | null;
  notice_contact_telephone: string | null;
  /** Claim terms (migration 0014, decision 0041): with either on, a redemption is a claim until approved. */
  claim_beneficiary_confirmation: boolean;
  claim_review: boolean;
  claim_confirmation_days: bigint;
  /** The program's period (migration 0015, decision 0042): both null for an open-ended program. */
  fiscal_year: bigint | null;
  closes_on: string | null;
  /** Set when the program is closed: the Asia/Shanghai day and the instant. */
  closed_on: string | null;
  closed_at: string | null;
}

export interface VoucherTable {
  id: string;
  program_id: string;
  kind: string;
  region: string;
  beneficiary_uscc: string;
  beneficiary_name: string;
  amount_fen: bigint;
  status: string;
  expires_on: string;
  created_at: string;
  closed_at: string | null;
  close_reason: string | null;
}

export interface ContractTable {
  id: string;
  provider_uscc: string;
  number: string;
  beneficiary_uscc: string;
  kind: string;
  autonomous: boolean | null;
  amount_fen: bigint;
  signed_on: string;
  national_key_project: boolean;
  net_executed_fen: bigint;
  /** Subsidy granted on the contract minus what reversals clawed back. */
  net_subsidy_fen: bigint;
  voucher_id: string | null;
  created_at: string;
  /** The provider's registered service the contract is for (provider register, migration 0005), or null. */
  service_code: string | null;
}

export interface RedemptionTable {
  id: string;
  voucher_id: string;
  contract_id: string;
  provider_uscc: string;
  invoice_number: string;
  executed_amount_fen: bigint;
  executed_on: string;
  bucket: string;
  rate: string;
  entitlement_fen: bigint;
  subsidy_fen: bigint;
  limited_by: string | null;
  reversed_amount_fen: bigint;
  clawed_back_fen: bigint;
  ledger_seq: bigint;
  created_at: string;
  /** 'approved' (owed), or a claim's status (migration 0014, decision 0041). */
  status: string;
}

export interface ReversalTable {
  id: string;
  redemption_id: string;
  executed_amount_fen: bigint;
  clawback_fen: bigint;
  reason: string;
  ledger_seq: bigint;
  created_at: string;
}

/** Subsidy granted per enterprise, bucket and year, per scope: `policy:<id>` or `program:<id>`. */
export interface AnnualUsageTable {
  scope: string;
  uscc: string;
  bucket: string;
  year: bigint;
  granted_fen: bigint;
  /** What open claims hold (migration 0014): the caps count it with what was granted. */
  reserved_fen: bigint;
}

export interface IdempotencyKeyTable {
  /** The caller's whole identity: role, region or org, and sub. */
  caller: string;
  key: string;
  fingerprint: string;
  status: bigint;
  body: string;
  created_at: string;
}

export interface CheckpointTable {
  id: Generated<bigint>;
  seq: bigint;
  hash: string;
  issued_at: string;
  kid: string;
  jws: string;
  /** The C2SP signed note of the same tree head (migration 0008; null on checkpoints issued before it). */
  note: string | null;
  root_hash: string | null;
}

/**
 * A console sign-in link's one-time code (migration 0010, decision 0030): stored by its SHA-256 only, with the
 * token sealed (AES-256-GCM) under a key derived from the code, so that the table alone yields no token.
 */
export interface ConsoleSignInCodeTable {
  /** SHA-256 of the code, lowercase hex. */
  code_hash: string;
  /** base64url(IV ‖ ciphertext ‖ tag); null once the code has been used. */
  sealed_token: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Settlement's tables live beside this file, one file per feature (funding, providers, settlement). */
export interface Database
  extends ApplicationTables, ClaimTables, DocumentTables, FundingTables, OversightTables, ProviderTables, SettlementTables, TransparencyTables, WebhookTables {
  ledger_entries: LedgerEntryTable;
  ledger_postings: LedgerPostingTable;
  account_balances: AccountBalanceTable;
  ledger_head: LedgerHeadTable;
  ledger_meta: LedgerMetaTable;
  programs: ProgramTable;
  vouchers: VoucherTable;
  contracts: ContractTable;
  redemptions: RedemptionTable;
  reversals: ReversalTable;
  annual_usage: AnnualUsageTable;
  idempotency_keys: IdempotencyKeyTable;
  checkpoints: CheckpointTable;
  console_sign_in_codes: ConsoleSignInCodeTable;
}

/** Boolean columns: SQLite stores them as 0/1 and its adapter converts them back. */
export const BOOLEAN_COLUMNS = [
  'autonomous',
  'national_key_project',
  'require_registered_providers',
  'no_related_party_contracts',
  'no_other_public_funding',
  'no_dishonesty_record',
  'claim_beneficiary_confirmation',
  'claim_review',
  'needs_confirmation',
  'needs_review',
] as const;

export type LedgerEntryRow = Selectable<LedgerEntryTable>;
export type ProgramRow = Selectable<ProgramTable>;
export type VoucherRow = Selectable<VoucherTable>;
export type ContractRow = Selectable<ContractTable>;
export type RedemptionRow = Selectable<RedemptionTable>;
export type NewRedemption = Insertable<RedemptionTable>;
