// Programs as the API answers them, and the parts of them the ledger's entries repeat.
import type { ProgramLimits } from '../rules/program-limits.js';
import { type Fen, formatFen } from '../shared/money.js';
import { type ApplicationTerms, type ClaimTerms, type FunderState, issuanceOf, type Program, type ProgramPeriod } from './programs.model.js';
import type { FunderView, ProgramView } from './programs.schemas.js';
import type { BudgetChangePlan } from './rules/budget-change.js';
import type { ClosePlan } from './rules/close.js';

export const limitsView = (limits: ProgramLimits) =>
  Object.fromEntries(
    Object.entries(limits).map(([bucket, limit]) => [bucket, { rate: limit.rate, annualCap: limit.annualCap === null ? null : formatFen(limit.annualCap) }]),
  );

export const funderView = (f: FunderState): FunderView => ({
  region: f.region,
  ratio: f.ratio,
  amount: formatFen(f.confirmed + f.pending),
  confirmed: formatFen(f.confirmed),
  pending: formatFen(f.pending),
  status: f.pending > 0n ? 'pending' : 'confirmed',
});

/** A program's application terms as its entry records them and its answer shows them. */
export const applicationTermsView = (terms: ApplicationTerms) => ({
  opensOn: terms.opensOn,
  closesOn: terms.closesOn,
  noticeWorkingDays: terms.noticeWorkingDays,
  contact: { office: terms.contact.office, telephone: terms.contact.telephone },
});

/** A program's claim terms as its entry records them and its answer shows them. */
export const claimTermsView = (terms: ClaimTerms) => ({
  beneficiaryConfirmation: terms.beneficiaryConfirmation,
  review: terms.review,
  confirmationDays: terms.confirmationDays,
});

/** A program's period as its entry records it and its answer shows it (decision 0042). */
export const periodView = (period: ProgramPeriod) => ({ fiscalYear: period.fiscalYear, closesOn: period.closesOn });

/** The program with its funders now and what its account has `available`. */
export function programView(program: Program, funders: readonly FunderState[], available: Fen): ProgramView {
  return {
    id: program.id,
    name: program.name,
    kind: program.kind,
    region: program.region,
    policyId: program.policyId,
    // The current budget: every funder's share, confirmed or not, after budget changes.
    budget: formatFen(funders.reduce((sum, f) => sum + f.confirmed + f.pending, 0n)),
    available: formatFen(available),
    limits: limitsView(program.limits),
    requireRegisteredProviders: program.requireRegisteredProviders,
    issuance: issuanceOf(program),
    applications: program.applications && applicationTermsView(program.applications),
    claims: claimTermsView(program.claims),
    period: program.period && periodView(program.period),
    status: program.closed ? 'closed' : 'open',
    closedOn: program.closed?.on ?? null,
    funding: funders.map(funderView),
  };
}

/** Each funder's part of a budget change, as its entry records it and its answer shows it. */
export function budgetSharesView(plan: BudgetChangePlan) {
  if (plan.direction === 'increase')
    return plan.shares.map((share) => ({ region: share.region, ratio: share.ratio, amount: formatFen(share.amount), status: share.status }));
  return plan.shares.map((share) => ({
    region: share.region,
    ratio: share.ratio,
    amount: formatFen(share.amount),
    pendingBefore: formatFen(share.pendingBefore),
    cancelled: formatFen(share.cancelled),
    returned: formatFen(share.returned),
  }));
}

/** Each funder's part of a close, as its entry records it and its answer shows it (decision 0042). */
export const closeSharesView = (plan: ClosePlan) =>
  plan.funders.map((share) => ({
    region: share.region,
    ratio: share.ratio,
    confirmed: formatFen(share.confirmed),
    pendingCancelled: formatFen(share.pendingCancelled),
    returned: formatFen(share.returned),
  }));
