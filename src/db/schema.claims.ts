// Claims (migration 0014, decision 0041): per claim its figures and the submission's inputs that approval
// recomputes from, its evidence from each party, and the history of every decision on it. The ledger holds the
// same decisions as entries.

export interface ClaimTable {
  redemption_id: string;
  beneficiary_uscc: string;
  needs_confirmation: boolean;
  needs_review: boolean;
  /** The executed amount the provider claimed (the redemption's own becomes the basis once approved). */
  claimed_executed_fen: bigint;
  reserved_at_submission_fen: bigint;
  /** What the claim holds now: the reservation while open, 0 once approved or released. */
  reserved_fen: bigint;
  paid_amount_fen: bigint | null;
  basis_fen: bigint | null;
  approved_fen: bigint | null;
  released_fen: bigint | null;
  confirmation_due_on: string | null;
  policy_id: string;
  year: bigint;
  net_executed_before_fen: bigint;
  annual_cap_fen: bigint | null;
  annual_used_before_fen: bigint;
  program_annual_cap_fen: bigint | null;
  program_used_before_fen: bigint;
  voucher_balance_before_fen: bigint;
  updated_at: string;
}

export interface ClaimDocumentTable {
  redemption_id: string;
  party: string;
  position: bigint;
  sha256: string;
}

export interface ClaimEventTable {
  redemption_id: string;
  position: bigint;
  at: string;
  actor_role: string;
  actor_sub: string;
  action: string;
  reason: string | null;
  paid_amount_fen: bigint | null;
  /** The ledger entry that records the event. */
  ledger_seq: bigint;
}

export interface ClaimTables {
  claims: ClaimTable;
  claim_documents: ClaimDocumentTable;
  claim_events: ClaimEventTable;
}
