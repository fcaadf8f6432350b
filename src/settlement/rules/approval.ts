// What must still hold when a batch is approved or paid: the checker approves exactly what the maker prepared,
// never a silently recomputed batch (decision 0020).
import type { ProviderRegistration } from '../../providers/providers.schemas.js';
import type { Funder } from '../../rules/split.js';
import { DomainError } from '../../shared/errors.js';
import type { Fen } from '../../shared/money.js';
import type { PaymentBatch, PaymentClaim, PaymentLine } from '../settlement.model.js';

const sameFunders = (a: readonly Funder[], b: readonly Funder[]) =>
  a.length === b.length && a.every((funder, i) => funder.region === b[i]?.region && funder.ratio === b[i]?.ratio);

/** The program's funders, in their order and with their ratios, are still those the batch was made with. */
export function assertFundersUnchanged(batch: PaymentBatch, currentFunders: readonly Funder[]): void {
  if (!sameFunders(currentFunders, batch.funders))
    throw new DomainError('batch_stale', "the program's funders changed since the batch was made; cancel it and make a new one");
}

export interface ApprovalFacts {
  batch: PaymentBatch;
  /** The program's funders now. */
  currentFunders: readonly Funder[];
  lines: readonly PaymentLine[];
  claims: readonly PaymentClaim[];
  /** Each claimed redemption's outstanding amount now. */
  outstanding: ReadonlyMap<string, Fen>;
  /** Each line's provider's registration nearest the program's region now, if any. */
  registrations: ReadonlyMap<string, ProviderRegistration | undefined>;
  /** The lines' providers on a watchlist that applies to the program now (decision 0042). */
  listed: ReadonlySet<string>;
}

/** Refuses an approval of a draft whose funders, claims or payees changed since it was made, or that pays nothing; first failure wins. */
export function assertApprovable(facts: ApprovalFacts): void {
  const { batch, lines, claims } = facts;
  assertFundersUnchanged(batch, facts.currentFunders);
  if (lines.length === 0) throw new DomainError('empty_batch', `payment batch ${batch.id} has no lines to pay; cancel it`);
  // A reversal or recovery since the batch was made changes what is owed: the batch no longer says it.
  const stale = claims.find((claim) => facts.outstanding.get(claim.redemptionId) !== claim.amount);
  if (stale) throw new DomainError('batch_stale', `redemption ${stale.redemptionId}'s claim changed since the batch was made; cancel it and make a new one`);
  // The instruction file pays the accounts the lines hold: they must still be the register's, and active.
  for (const line of lines) {
    // A provider listed since the batch was made is not paid: a new batch puts its lines in `blocked` (decision 0042).
    if (facts.listed.has(line.providerUscc))
      throw new DomainError('batch_stale', `provider ${line.providerUscc} was put on a watchlist since the batch was made; cancel it and make a new one`);
    const registration = facts.registrations.get(line.providerUscc);
    const account = registration?.bankAccount;
    const held = line.bankAccount;
    if (
      registration?.status !== 'active' ||
      account?.bankName !== held.bankName ||
      account.accountName !== held.accountName ||
      account.accountNumber !== held.accountNumber
    )
      throw new DomainError(
        'batch_stale',
        `provider ${line.providerUscc}'s registration or bank account changed since the batch was made; cancel it and make a new one`,
      );
  }
}
