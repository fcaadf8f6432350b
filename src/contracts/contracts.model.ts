// A contract as the use cases and the rules see it (decision 0005): money in fen, booleans as booleans, absent
// autonomy and service code as null. The repository maps it to and from its row.
import type { VoucherKind } from '../rules/policy.js';
import type { Fen } from '../shared/money.js';

export interface Contract {
  id: string;
  providerUscc: string;
  /** The provider's own contract number, unique per provider. */
  number: string;
  beneficiaryUscc: string;
  kind: VoucherKind;
  /** Compute contracts only: whether the computing power is autonomous; null for corpus and model. */
  autonomous: boolean | null;
  amount: Fen;
  signedOn: string;
  nationalKeyProject: boolean;
  netExecuted: Fen;
  /** Subsidy granted on the contract minus what reversals clawed back. */
  netSubsidy: Fen;
  /** The voucher its first redemption drew on: every later one must draw on it too. */
  voucherId: string | null;
  createdAt: string;
  /** The provider's registered service the contract is for, or null. */
  serviceCode: string | null;
}
