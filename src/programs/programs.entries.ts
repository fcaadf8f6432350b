// The ledger entries of a program's money (decision 0017), as pure drafts: program.funded when it is created and
// when a co-funder confirms its share, program.budget_changed when its budget moves. Members and their order
// are the entries' format: the verifier re-derives them and every hash covers them.
import type { Actor } from '../auth/actor.js';
import { accounts, type EntryDraft, type PostingDraft, transfer } from '../ledger/ledger.types.js';
import type { Policy } from '../rules/policy.js';
import { type Fen, formatFen } from '../shared/money.js';
import { type FunderState, type Program, takesClaims } from './programs.model.js';
import { applicationTermsView, budgetSharesView, claimTermsView, closeSharesView, limitsView, periodView } from './programs.views.js';
import type { ClosePlan } from './rules/close.js';
import type { BudgetChangePlan } from './rules/budget-change.js';

/** A new program: its terms and funders; the issuer's own share moves from its appropriation into the program. */
export function programCreatedEntry(program: Program, policy: Policy, funders: readonly FunderState[], actor: Actor): EntryDraft {
  const ownShare = funders.find((funder) => funder.region === program.region)!.confirmed;
  return {
    type: 'program.funded',
    actor,
    data: {
      region: program.region,
      programId: program.id,
      kind: program.kind,
      name: program.name,
      policyId: policy.id,
      policySha256: policy.sha256,
      budget: formatFen(program.initialBudget),
      limits: limitsView(program.limits),
      requireRegisteredProviders: program.requireRegisteredProviders,
      // Only a program with a period records it (decision 0042): an open-ended program's entry is unchanged.
      ...(program.period ? { period: periodView(program.period) } : {}),
      // Only a program that takes applications records how (decision 0038): a direct program's entry is unchanged.
      ...(program.applications ? { issuance: 'application', applications: applicationTermsView(program.applications) } : {}),
      // Likewise only a program whose redemptions are claims records its claim terms (decision 0041).
      ...(takesClaims(program.claims) ? { claims: claimTermsView(program.claims) } : {}),
      // At creation only the issuer's own share is confirmed, whatever the amounts.
      funding: funders.map((f) => ({
        region: f.region,
        ratio: f.ratio,
        amount: formatFen(f.confirmed + f.pending),
        status: f.region === program.region ? 'confirmed' : 'pending',
      })),
    },
    postings: transfer(accounts.appropriation(program.region), accounts.program(program.id), ownShare),
  };
}

/** A co-funder appropriates everything it still owes the program. */
export function fundingConfirmedEntry(program: Program, funder: { region: string; amount: Fen }, actor: Actor): EntryDraft {
  return {
    type: 'program.funded',
    actor,
    data: { region: program.region, programId: program.id, kind: program.kind, funder: funder.region, amount: formatFen(funder.amount) },
    postings: transfer(accounts.appropriation(funder.region), accounts.program(program.id), funder.amount),
  };
}

export interface BudgetChangeOfEntry {
  amount: Fen;
  reason: string;
  /** The program account's balance before the change. */
  availableBefore: Fen;
  plan: BudgetChangePlan;
}

/** An increase posts the issuer's own share; a decrease returns each funder the part it had confirmed. */
export function budgetChangedEntry(program: Program, change: BudgetChangeOfEntry, actor: Actor): EntryDraft {
  const { plan } = change;
  const postings: PostingDraft[] =
    plan.direction === 'increase'
      ? transfer(accounts.appropriation(program.region), accounts.program(program.id), plan.appropriated)
      : [
          { account: accounts.program(program.id), amount: -plan.returned },
          ...plan.shares.map((share) => ({ account: accounts.appropriation(share.region), amount: share.returned })),
        ];
  return {
    type: 'program.budget_changed',
    actor,
    data: {
      region: program.region,
      programId: program.id,
      kind: program.kind,
      direction: plan.direction,
      amount: formatFen(change.amount),
      reason: change.reason,
      availableBefore: formatFen(change.availableBefore),
      shares: budgetSharesView(plan),
    },
    postings,
  };
}

/**
 * The close (decision 0042): every active voucher's balance back to the program, and everything the program then
 * holds back to its funders by the split of `plan`. Zero postings are kept, so that the entry's shape is fixed.
 */
export function programClosedEntry(program: Program, closedOn: string, plan: ClosePlan, actor: Actor): EntryDraft {
  return {
    type: 'program.closed',
    actor,
    data: {
      region: program.region,
      programId: program.id,
      kind: program.kind,
      closedOn,
      period: program.period && periodView(program.period),
      vouchers: plan.vouchers.map((v) => ({ voucherId: v.voucherId, returned: formatFen(v.balance) })),
      vouchersReturned: formatFen(plan.vouchersReturned),
      availableBefore: formatFen(plan.availableBefore),
      returned: formatFen(plan.returned),
      funders: closeSharesView(plan),
    },
    postings: [
      ...plan.vouchers.map((v) => ({ account: accounts.voucher(v.voucherId), amount: -v.balance })),
      { account: accounts.program(program.id), amount: -plan.availableBefore },
      ...plan.funders.map((share) => ({ account: accounts.appropriation(share.region), amount: share.returned })),
    ],
  };
}
