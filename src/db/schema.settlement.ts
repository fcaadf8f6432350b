// The settlement feature's tables (decisions 0019 and 0020): payment batches made by one issuer and
// approved by another, their lines (one per provider), the claims each line pays (one per redemption), and the
// recoveries providers paid back. Money moves only through ledger entries; these tables hold the workflow.

export interface PaymentBatchTable {
  id: string;
  program_id: string;
  /** The program's region: its issuers make and check the batch. */
  region: string;
  kind: string;
  /** Claims executed on or before this Asia/Shanghai date are gathered. */
  cutoff: string;
  /** draft, approved, partially_paid, paid or cancelled. */
  status: string;
  maker: string;
  checker: string | null;
  /** JSON [{region, ratio}]: the program's funders when the batch was made. */
  funders: string;
  /** JSON [{providerUscc, amount, redemptionIds}]: providers that owe money back, as found at creation. */
  receivables: string;
  /** JSON [{providerUscc, amount, reason}]: providers with claims but no active registration. */
  blocked: string;
  total_fen: bigint;
  created_at: string;
  approved_at: string | null;
  closed_at: string | null;
  approval_seq: bigint | null;
}

export interface PaymentLineTable {
  id: string;
  batch_id: string;
  /** The line's place in its batch (providers in USCC order). */
  position: bigint;
  provider_uscc: string;
  provider_name: string;
  bank_name: string;
  account_name: string;
  account_number: string;
  amount_fen: bigint;
  /** JSON [{region, amount}]: the amount split across the funders. */
  shares: string;
  /** pending, paid, failed or cancelled. */
  status: string;
  paid_on: string | null;
  bank_reference: string | null;
  failure_reason: string | null;
  ledger_seq: bigint | null;
  settled_at: string | null;
}

/** What a line pays for one redemption: its outstanding claim when the batch was made. */
export interface PaymentClaimTable {
  line_id: string;
  batch_id: string;
  redemption_id: string;
  amount_fen: bigint;
  /** open (in a pending line), paid, or released (its line failed or was cancelled). */
  status: string;
  /** The redemption id while the claim is open, else null: unique, so no redemption is in two open lines. */
  open_redemption_id: string | null;
}

export interface RecoveryTable {
  id: string;
  program_id: string;
  provider_uscc: string;
  amount_fen: bigint;
  bank_reference: string;
  received_on: string;
  ledger_seq: bigint;
  created_at: string;
  created_by: string;
}

/** What one recovery took back for one redemption. */
export interface RecoveryItemTable {
  recovery_id: string;
  redemption_id: string;
  amount_fen: bigint;
}

export interface SettlementTables {
  payment_batches: PaymentBatchTable;
  payment_lines: PaymentLineTable;
  payment_claims: PaymentClaimTable;
  recoveries: RecoveryTable;
  recovery_items: RecoveryItemTable;
}
