// The shapes of the public /v1 API the console reads (README's API table).
export interface Funder {
  region: string;
  ratio: string;
  amount: string;
  confirmed: string;
  pending: string;
  status: 'confirmed' | 'pending';
}
export interface Program {
  id: string;
  name: string;
  kind: string;
  region: string;
  policyId: string;
  budget: string;
  available: string;
  limits: Record<string, { rate: string; annualCap: string | null }>;
  requireRegisteredProviders: boolean;
  funding: Funder[];
}
export interface Voucher {
  id: string;
  programId: string;
  kind: string;
  region: string;
  beneficiary: { uscc: string; name: string };
  amount: string;
  balance: string;
  status: 'active' | 'revoked' | 'expired';
  expiresOn: string;
  closedAt: string | null;
  closeReason: string | null;
}
export interface Contract {
  id: string;
  number: string;
  providerUscc: string;
  beneficiaryUscc: string;
  kind: string;
  autonomous?: boolean;
  amount: string;
  signedOn: string;
  nationalKeyProject: boolean;
  netExecuted: string;
  netSubsidy: string;
  voucherId: string | null;
  serviceCode?: string | null;
}
export type LimitedBy = 'annual_cap' | 'program_cap' | 'voucher_balance' | null;
export interface RedemptionResult {
  id: string;
  voucherId: string;
  contractId: string;
  executedAmount: string;
  executedOn: string;
  rate: string;
  entitlement: string;
  subsidy: string;
  limitedBy: LimitedBy;
  voucherBalance: string;
  ledgerSeq: number;
}
export interface Redemption extends Omit<RedemptionResult, 'voucherBalance'> {
  providerUscc: string;
  programId: string;
  invoiceNumber: string;
  reversedAmount: string;
  clawedBack: string;
  netSubsidy: string;
  settlement: { status: 'unpaid' | 'in_batch' | 'paid'; batchId: string | null; paidOn: string | null; bankReference: string | null };
}
export interface BatchLine {
  id: string;
  providerUscc: string;
  providerName: string;
  bankAccount: { bankName: string; accountName: string; accountNumber: string };
  amount: string;
  shares: { region: string; amount: string }[];
  redemptionIds: string[];
  status: 'pending' | 'paid' | 'failed' | 'cancelled';
  paidOn: string | null;
  bankReference: string | null;
  failureReason: string | null;
}
export interface PaymentBatch {
  id: string;
  programId: string;
  region: string;
  cutoff: string;
  status: 'draft' | 'approved' | 'partially_paid' | 'paid' | 'cancelled';
  maker: string;
  checker: string | null;
  lines: BatchLine[];
  total: string;
  receivables: { providerUscc: string; amount: string; redemptionIds: string[] }[];
  blocked: { providerUscc: string; amount: string; reason: string; redemptionIds: string[] }[];
  createdAt: string;
  approvedAt: string | null;
}
export interface Registration {
  uscc: string;
  region: string;
  name: string;
  bankAccount: { bankName: string; accountName: string; accountNumber: string };
  services: { code: string; name: string; kind: string; autonomous?: boolean }[];
  status: 'active' | 'suspended';
  version: number;
  updatedAt: string;
}
export interface LedgerEntry {
  seq: number;
  type: string;
  recordedAt: string;
  actor: { sub: string; role: string; region?: string; org?: string };
  data: Record<string, unknown>;
  postings: { account: string; amount: string }[];
  prevHash: string;
  hash: string;
}
export interface Usage {
  uscc: string;
  year: number;
  policyId: string;
  buckets: Record<string, { granted: string; annualCap: string | null; remaining: string | null }>;
  programs: { programId: string; region: string; buckets: Record<string, { granted: string; annualCap: string | null; remaining: string | null }> }[];
}
/** Where a program's money is: funded = available + onVouchers + owedToProviders + paid (yuan strings). */
export interface Balances {
  funded: string;
  available: string;
  onVouchers: string;
  owedToProviders: string;
  paid: string;
}
/** GET /v1/programs/:id/balances: summed by the server from the program's postings up to `throughSeq`. */
export interface ProgramBalances {
  programId: string;
  throughSeq: number;
  current: Balances;
  entryCounts: { type: string; count: number }[];
  daily: ({ date: string } & Balances)[];
}
