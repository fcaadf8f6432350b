// What a new payment batch holds (decisions 0019 and 0020): one line per provider whose gathered claims net
// above zero and whose registration is active; the others are reported, as receivables or blocked.
import type { Program } from '../../programs/programs.model.js';
import type { ProviderRegistration } from '../../providers/providers.schemas.js';
import { type Funder, splitByRatio } from '../../rules/split.js';
import type { Fen } from '../../shared/money.js';
import type { BlockedProvider, PaymentBatch, PaymentClaim, PaymentLine, Receivable, RedemptionClaim } from '../settlement.model.js';

/** One provider's gathered claims and what they net to (claims less what it owes back). */
export interface ProviderClaims {
  providerUscc: string;
  net: Fen;
  claims: RedemptionClaim[];
}

/**
 * The claims a batch with this cutoff gathers: executed on or before the cutoff (the date the claim arose), in no
 * open batch and not settled to zero, grouped by provider in USCC order, each provider's in the order given.
 */
export function gatherClaims(claims: readonly RedemptionClaim[], cutoff: string): ProviderClaims[] {
  const byProvider = new Map<string, RedemptionClaim[]>();
  for (const claim of claims)
    if (claim.executedOn <= cutoff && claim.openBatchId === null && claim.outstanding !== 0n)
      byProvider.set(claim.providerUscc, [...(byProvider.get(claim.providerUscc) ?? []), claim]);
  return [...byProvider.keys()].sort().map((providerUscc) => {
    const own = byProvider.get(providerUscc)!;
    return { providerUscc, net: own.reduce((sum, claim) => sum + claim.outstanding, 0n), claims: own };
  });
}

/** Who makes the batch, when, for which program and cutoff, with the program's funders now. */
export interface BatchHeading {
  id: string;
  program: Pick<Program, 'id' | 'region' | 'kind'>;
  cutoff: string;
  maker: string;
  createdAt: string;
  funders: readonly Funder[];
}

export interface ComposedBatch {
  batch: PaymentBatch;
  lines: PaymentLine[];
  claims: PaymentClaim[];
}

/**
 * The draft batch for the gathered providers. `registrations` holds the registration nearest the program's region
 * of each provider whose claims net above zero (undefined if none); `listed` those of them on a watchlist that
 * applies to the program (decision 0042); `newLineId` names each line, in USCC order.
 */
export function composeBatch(
  heading: BatchHeading,
  providers: readonly ProviderClaims[],
  registrations: ReadonlyMap<string, ProviderRegistration | undefined>,
  newLineId: () => string,
  listed: ReadonlySet<string> = new Set(),
): ComposedBatch {
  const lines: PaymentLine[] = [];
  const claims: PaymentClaim[] = [];
  const receivables: Receivable[] = [];
  const blocked: BlockedProvider[] = [];
  for (const { providerUscc, net, claims: own } of providers) {
    const redemptionIds = own.map((claim) => claim.redemptionId);
    if (net < 0n) {
      receivables.push({ providerUscc, amount: -net, redemptionIds });
      continue;
    }
    if (net === 0n) continue;
    if (listed.has(providerUscc)) {
      blocked.push({ providerUscc, amount: net, reason: 'listed', redemptionIds });
      continue;
    }
    const registration = registrations.get(providerUscc);
    if (!registration || registration.status !== 'active') {
      blocked.push({ providerUscc, amount: net, reason: registration ? 'suspended' : 'not_registered', redemptionIds });
      continue;
    }
    const line = pendingLineFor(heading, { id: newLineId(), position: lines.length, providerUscc, amount: net }, registration);
    lines.push(line);
    // A provider's line sets its receivable redemptions (negative) off against its claims.
    for (const claim of own) claims.push({ lineId: line.id, batchId: heading.id, redemptionId: claim.redemptionId, amount: claim.outstanding, status: 'open' });
  }
  const batch: PaymentBatch = {
    id: heading.id,
    programId: heading.program.id,
    region: heading.program.region,
    kind: heading.program.kind,
    cutoff: heading.cutoff,
    status: 'draft',
    maker: heading.maker,
    checker: null,
    funders: heading.funders.map((f) => ({ region: f.region, ratio: f.ratio })),
    receivables,
    blocked,
    total: lines.reduce((sum, line) => sum + line.amount, 0n),
    createdAt: heading.createdAt,
    approvedAt: null,
    closedAt: null,
    approvalSeq: null,
  };
  return { batch, lines, claims };
}

function pendingLineFor(
  heading: BatchHeading,
  { id, position, providerUscc, amount }: { id: string; position: number; providerUscc: string; amount: Fen },
  registration: ProviderRegistration,
): PaymentLine {
  const { bankName, accountName, accountNumber } = registration.bankAccount;
  return {
    id,
    batchId: heading.id,
    position,
    providerUscc,
    providerName: registration.name,
    bankAccount: { bankName, accountName, accountNumber },
    amount,
    shares: splitByRatio(amount, heading.funders),
    status: 'pending',
    paidOn: null,
    bankReference: null,
    failureReason: null,
    ledgerSeq: null,
    settledAt: null,
  };
}
