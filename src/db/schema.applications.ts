import type { Selectable } from 'kysely';

// Applications for vouchers (migration 0013, decision 0038): the current state of each, its documents, the
// history of decisions on it and the objections to its notice. The ledger holds the same decisions as entries.

export interface ApplicationTable {
  id: string;
  program_id: string;
  region: string;
  kind: string;
  enterprise_uscc: string;
  enterprise_name: string;
  /** What the enterprise asked for. */
  amount_fen: bigint;
  /** What the final review approved; null before. */
  approved_amount_fen: bigint | null;
  purpose: string;
  no_related_party_contracts: boolean;
  no_other_public_funding: boolean;
  no_dishonesty_record: boolean;
  status: string;
  /** 1, and one more on each resubmission after a return. */
  revision: bigint;
  /** The subject who approved the current revision at the first stage, and at the final stage. */
  first_reviewer: string | null;
  final_reviewer: string | null;
  notice_decided_on: string | null;
  notice_starts_on: string | null;
  notice_ends_on: string | null;
  notice_working_days: bigint | null;
  voucher_id: string | null;
  submitted_at: string;
  updated_at: string;
}

export interface ApplicationDocumentTable {
  application_id: string;
  position: bigint;
  sha256: string;
}

export interface ApplicationEventTable {
  application_id: string;
  position: bigint;
  at: string;
  actor_role: string;
  actor_sub: string;
  action: string;
  revision: bigint;
  stage: string | null;
  decision: string | null;
  amount_fen: bigint | null;
  reason: string | null;
  objection_id: string | null;
  outcome: string | null;
  /** The ledger entry that records the event. */
  ledger_seq: bigint;
}

export interface ApplicationObjectionTable {
  id: string;
  application_id: string;
  summary: string;
  status: string;
  received_at: string;
  received_by: string;
  resolved_at: string | null;
  resolved_by: string | null;
  reason: string | null;
}

export interface ApplicationTables {
  applications: ApplicationTable;
  application_documents: ApplicationDocumentTable;
  application_events: ApplicationEventTable;
  application_objections: ApplicationObjectionTable;
}

export type ApplicationRow = Selectable<ApplicationTable>;
export type ApplicationEventRow = Selectable<ApplicationEventTable>;
export type ApplicationObjectionRow = Selectable<ApplicationObjectionTable>;
