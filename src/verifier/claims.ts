// Claims, as the chain establishes them (decision 0041): on a program that takes claims, a redemption is a
// claim.submitted entry that moves its subsidy from the voucher to `reserved:<redemptionId>`. The voucher's
// enterprise confirms it (with what it paid) or disputes it, an issuer of the region approves, returns or rejects
// it, the provider resubmits or withdraws it, and one left past its confirmationDueOn lapses. Only claim.approved
// makes anything owed to the provider. This file replays each claim's status, writer and dates independently of
// the service; the amounts re-derive in recompute.ts (from the entry alone) and derived-state.ts (from the chain).
import { compareRate, rate, yuan } from './arithmetic.js';
import { addCalendarDays, shanghaiDate } from './calendar.js';
import type { Entry, Facts } from './entry.js';

type Data = Record<string, unknown>;
type Problem = string | undefined;

export const CLAIM_TYPES = new Set([
  'claim.submitted',
  'claim.confirmed',
  'claim.disputed',
  'claim.resubmitted',
  'claim.returned',
  'claim.approved',
  'claim.rejected',
  'claim.withdrawn',
  'claim.lapsed',
]);

/** The entries that give a claim's whole reservation back: it is then ended, and nothing was ever owed on it. */
export const CLAIM_RELEASES = new Set(['claim.rejected', 'claim.withdrawn', 'claim.lapsed']);

/**
 * A claim's status as the chain leaves it. `confirmed` is the moment between an enterprise's confirmation on a
 * program without review and the approval by confirmation written in the same command.
 */
export type ClaimStatus =
  'awaiting_confirmation' | 'awaiting_review' | 'disputed' | 'returned' | 'confirmed' | 'approved' | 'rejected' | 'withdrawn' | 'lapsed';

const OPEN: readonly ClaimStatus[] = ['awaiting_confirmation', 'awaiting_review', 'disputed', 'returned'];

/** The statuses each entry may act on (decision 0041's table); claim.approved's depend on `by`. */
const ACTS_ON: Record<string, readonly ClaimStatus[]> = {
  'claim.confirmed': ['awaiting_confirmation'],
  'claim.disputed': ['awaiting_confirmation'],
  'claim.resubmitted': ['disputed', 'returned'],
  'claim.returned': ['awaiting_review'],
  'claim.rejected': ['awaiting_review'],
  'claim.withdrawn': OPEN,
  'claim.lapsed': ['awaiting_confirmation', 'disputed', 'returned'],
};
const APPROVAL_ACTS_ON: Record<string, readonly ClaimStatus[]> = { review: ['awaiting_review'], confirmation: ['confirmed'] };

/** A program's claim terms, as its program.funded entry recorded them. */
export interface ClaimTerms {
  beneficiaryConfirmation: boolean;
  review: boolean;
  confirmationDays: number;
}

/** The terms a program.funded entry records for a program whose redemptions are claims, or null (no `claims`). */
export function claimTermsOf(d: Data): ClaimTerms | null {
  const terms = d['claims'];
  if (typeof terms !== 'object' || terms === null) return null;
  const t = terms as Data;
  return { beneficiaryConfirmation: t['beneficiaryConfirmation'] === true, review: t['review'] === true, confirmationDays: t['confirmationDays'] as number };
}

/** The submission's inputs that an approval recomputes the subsidy from (the executed amount replaced by the basis). */
export interface SubmissionInputs {
  rate: string;
  netExecutedBefore: bigint;
  annualCap: bigint | null;
  annualUsedBefore: bigint;
  programAnnualCap: bigint | null;
  programUsedBefore: bigint;
  voucherBalanceBefore: bigint;
}

export interface ClaimFacts {
  submittedSeq: number;
  status: ClaimStatus;
  region: string;
  programId: string;
  kind: string;
  voucherId: string;
  contractId: string;
  /** The contract's row in the registry (registry.ts), for the redemption the claim becomes once approved. */
  contractRow: number;
  providerUscc: string;
  beneficiaryUscc: string;
  policyId: string;
  bucket: string;
  year: number;
  /** The executed amount the provider claimed. */
  executed: bigint;
  /** What the submission moved to `reserved:<redemptionId>`. */
  reserved: bigint;
  /** What the enterprise confirmed it paid (null before a confirmation, and on a program without one). */
  paid: bigint | null;
  /** The day by which the enterprise must confirm, or the provider answer a return; null awaiting review. */
  dueOn: string | null;
  inputs: SubmissionInputs;
  /** The confirmation whose approval comes in the same command (a program without review). */
  confirmation: { sub: unknown; org: unknown; at: string; seq: number } | null;
  /** The seq of the last entry on it. */
  lastSeq: number;
  /** When the last decision on it was recorded: its decisions follow one another in time. */
  lastAt: string;
}

/** What the checks read of a program (registry.ts holds it). */
interface ProgramOfClaims {
  claims: ClaimTerms | null;
}

const who = (actor: Data) => `${String(actor['role'])} ${String(actor['region'] ?? actor['org'] ?? actor['sub'])}`;
const issuerOf = (actor: Data, region: unknown) => actor['role'] === 'issuer' && actor['region'] === region;
const orgOf = (actor: Data, role: string, org: unknown) => actor['role'] === role && actor['org'] === org;
const listed = (statuses: readonly string[]) => (statuses.length === 1 ? statuses[0]! : `${statuses.slice(0, -1).join(', ')} or ${statuses.at(-1)!}`);

/** Who may write each claim entry (decision 0041): the parties to the claim, an issuer of its region, the sweep. */
export function claimActorProblem(entry: Entry): Problem {
  const { actor, data: d } = entry;
  switch (entry.type) {
    case 'claim.submitted': {
      const provider = (d['contract'] as Data)['providerUscc'];
      return orgOf(actor, 'provider', provider) ? undefined : `claim.submitted is written by the contract's provider ${String(provider)}, not by ${who(actor)}`;
    }
    case 'claim.confirmed':
    case 'claim.disputed':
      return orgOf(actor, 'enterprise', d['beneficiaryUscc'])
        ? undefined
        : `${entry.type} is written by the voucher's enterprise ${String(d['beneficiaryUscc'])}, not by ${who(actor)}`;
    case 'claim.resubmitted':
    case 'claim.withdrawn':
      return orgOf(actor, 'provider', d['providerUscc'])
        ? undefined
        : `${entry.type} is written by the claim's provider ${String(d['providerUscc'])}, not by ${who(actor)}`;
    case 'claim.returned':
    case 'claim.rejected':
      return issuerOf(actor, d['region']) ? undefined : `${entry.type} is written by an issuer of region ${String(d['region'])}, not by ${who(actor)}`;
    case 'claim.approved':
      if (d['by'] === 'confirmation')
        return orgOf(actor, 'enterprise', d['beneficiaryUscc'])
          ? undefined
          : `claim.approved by confirmation is written by the voucher's enterprise ${String(d['beneficiaryUscc'])} as it confirms, not by ${who(actor)}`;
      return issuerOf(actor, d['region'])
        ? undefined
        : `claim.approved by review is written by an issuer of region ${String(d['region'])}, not by ${who(actor)}`;
    case 'claim.lapsed':
      return actor['role'] === 'system' || issuerOf(actor, d['region'])
        ? undefined
        : `claim.lapsed is written by the system or an issuer of region ${String(d['region'])}, not by ${who(actor)}`;
    default:
      return `unknown entry type ${entry.type}`;
  }
}

/** How many documents a submission (2–20: the contract and the invoice at least) and a confirmation (1–20) cite. */
function documentCountProblem(d: Data, least: number): Problem {
  const count = (d['documents'] as unknown[]).length;
  return count >= least && count <= 20
    ? undefined
    : `documents cites ${count} document${count === 1 ? '' : 's'}; a ${least === 1 ? 'confirmation' : 'submission'} cites ${least} to 20`;
}

/** Rules a claim entry keeps on its own: its status and due date agree with each other, its documents, its dates. */
export function claimRulesProblem(entry: Entry): Problem {
  const d = entry.data;
  const today = shanghaiDate(entry.recordedAt);
  switch (entry.type) {
    case 'claim.submitted':
    case 'claim.resubmitted': {
      // With the enterprise's confirmation a claim awaits it, by a day; without, it awaits review, by no day.
      const confirming = entry.type === 'claim.submitted' ? d['beneficiaryConfirmation'] === true : d['confirmationDueOn'] !== null;
      if (d['status'] !== (confirming ? 'awaiting_confirmation' : 'awaiting_review'))
        return `status is ${String(d['status'])}, but a claim ${confirming ? 'the enterprise confirms awaits its confirmation' : 'without confirmation awaits review'}`;
      if ((d['confirmationDueOn'] === null) === confirming)
        return confirming ? 'a claim awaiting confirmation records no confirmationDueOn' : 'a claim awaiting review records a confirmationDueOn';
      return documentCountProblem(d, 2);
    }
    case 'claim.confirmed': {
      if ((d['paidAmount'] as string).startsWith('-')) return 'paidAmount is negative';
      if ((d['confirmationDueOn'] as string) < today)
        return `confirms on ${today} (Asia/Shanghai) a claim due by ${String(d['confirmationDueOn'])}: a confirmation is in time only on or before that day`;
      return documentCountProblem(d, 1);
    }
    case 'claim.approved':
      return d['by'] === 'confirmation' && d['reason'] !== null ? 'an approval by confirmation records no reason' : undefined;
    case 'claim.rejected':
    case 'claim.withdrawn':
      return d['confirmationDueOn'] === null ? undefined : `${entry.type} records a confirmationDueOn; only a lapse records the day it missed`;
    case 'claim.lapsed': {
      const due = d['confirmationDueOn'];
      if (due === null) return 'claim.lapsed records no confirmationDueOn: a lapse records the day it missed';
      // The sweep lapses a claim only from the day after its due date, Asia/Shanghai.
      return (due as string) < today ? undefined : `lapses on ${today} (Asia/Shanghai) a claim due by ${String(due)}: a claim lapses only from the day after`;
    }
    default:
      return undefined;
  }
}

/** Undefined when `recorded` is `expected`; else why, naming the claim. */
function same(label: string, recorded: unknown, expected: unknown, id: string): Problem {
  return recorded === expected ? undefined : `${label} is ${JSON.stringify(recorded)} but claim ${id} says ${JSON.stringify(expected)}`;
}
function sameAmount(label: string, d: Data, facts: Facts, expected: bigint | null, id: string): Problem {
  const recorded = d[label] === null ? null : facts.amounts[label];
  return recorded === expected ? undefined : `${label} is ${JSON.stringify(d[label])} but claim ${id} says ${expected === null ? 'null' : yuan(expected)}`;
}

/** Every claim of the chain by redemption id: a few per thousand redemptions, so plain objects in a Map. */
/** The answers due by a claim's day: the enterprise's confirmation or dispute, the provider's resubmission. */
const ANSWERS = new Set(['claim.confirmed', 'claim.disputed', 'claim.resubmitted']);

export class ClaimState {
  private readonly claims = new Map<string, ClaimFacts>();

  get size(): number {
    return this.claims.size;
  }

  get(id: string): ClaimFacts | undefined {
    return this.claims.get(id);
  }

  /** The status of a claim that is not approved, for the reversal and payment checks; undefined for anything else. */
  unapproved(id: string): ClaimStatus | undefined {
    const status = this.claims.get(id)?.status;
    return status === 'approved' ? undefined : status;
  }

  /**
   * How many of the program's claims await a decision, for its close (decision 0042): awaiting confirmation or
   * review, disputed, returned, and a confirmation whose approval is still to come. A walk over every claim: once per program.
   */
  openIn(programId: string): number {
    let open = 0;
    for (const claim of this.claims.values()) if (claim.programId === programId && (OPEN.includes(claim.status) || claim.status === 'confirmed')) open++;
    return open;
  }

  /** Why the entry does not follow from the claim's status, parties, writer and dates as the chain leaves them. */
  check(entry: Entry, facts: Facts, program: ProgramOfClaims | undefined): Problem {
    const d = entry.data;
    const id = d['redemptionId'] as string;
    const claim = this.claims.get(id);
    const today = shanghaiDate(entry.recordedAt);
    if (entry.type === 'claim.submitted') return this.submissionProblem(d, claim, program, today);
    if (!claim) return `${entry.type} acts on claim ${id}, which no earlier claim.submitted entry submits`;
    const mismatch =
      same('region', d['region'], claim.region, id) ??
      same('programId', d['programId'], claim.programId, id) ??
      same('kind', d['kind'], claim.kind, id) ??
      same('voucherId', d['voucherId'], claim.voucherId, id) ??
      same('providerUscc', d['providerUscc'], claim.providerUscc, id) ??
      same('beneficiaryUscc', d['beneficiaryUscc'], claim.beneficiaryUscc, id);
    if (mismatch) return mismatch;
    // Without this, a forger could date a late confirmation back into its time, before the decision that precedes it.
    if (entry.recordedAt < claim.lastAt) return `recorded at ${entry.recordedAt}, before the previous decision on claim ${id} (${claim.lastAt})`;
    const from = entry.type === 'claim.approved' ? APPROVAL_ACTS_ON[d['by'] as string]! : ACTS_ON[entry.type]!;
    if (!from.includes(claim.status))
      return `${entry.type}${entry.type === 'claim.approved' ? ` by ${String(d['by'])}` : ''} on claim ${id}, which is ${claim.status === 'confirmed' ? 'confirmed, awaiting its approval by confirmation' : claim.status}: it acts only on a claim ${listed(from)}`;
    const terms = program?.claims;
    if (!terms) return `claim ${id}'s program ${claim.programId} takes no claims`;
    // Whoever is due to answer does so by the claim's day, that day included: after it only the sweep acts.
    if (ANSWERS.has(entry.type) && claim.dueOn !== null && today > claim.dueOn)
      return `${entry.type} on ${today} (Asia/Shanghai) answers claim ${id} after its day ${claim.dueOn}: after it the claim only lapses`;
    switch (entry.type) {
      case 'claim.confirmed':
        return (
          same('confirmationDueOn', d['confirmationDueOn'], claim.dueOn, id) ??
          sameAmount('executedAmount', d, facts, claim.executed, id) ??
          (d['status'] === (terms.review ? 'awaiting_review' : 'approved')
            ? undefined
            : `status is ${String(d['status'])}, but a confirmed claim of program ${claim.programId} is ${terms.review ? 'awaiting_review: the program reviews its claims' : 'approved at once: the program does not review its claims'}`)
        );
      case 'claim.resubmitted': {
        const due = terms.beneficiaryConfirmation ? addCalendarDays(today, terms.confirmationDays) : null;
        return d['confirmationDueOn'] === due
          ? undefined
          : `confirmationDueOn is ${JSON.stringify(d['confirmationDueOn'])}, but resubmitted on ${today} it is ${due === null ? 'null: the program does not ask for confirmation' : `${due}, ${terms.confirmationDays} calendar days later`}`;
      }
      case 'claim.returned': {
        const due = addCalendarDays(today, terms.confirmationDays);
        return d['confirmationDueOn'] === due
          ? undefined
          : `confirmationDueOn is ${JSON.stringify(d['confirmationDueOn'])}, but returned on ${today} it is ${due}, ${terms.confirmationDays} calendar days later`;
      }
      case 'claim.approved':
        return this.approvalProblem(entry, facts, claim, terms, id);
      case 'claim.rejected':
      case 'claim.withdrawn':
      case 'claim.lapsed':
        return (
          same('contractId', d['contractId'], claim.contractId, id) ??
          same('policyId', d['policyId'], claim.policyId, id) ??
          same('bucket', d['bucket'], claim.bucket, id) ??
          same('year', d['year'], claim.year, id) ??
          sameAmount('executedAmount', d, facts, claim.executed, id) ??
          sameAmount('reserved', d, facts, claim.reserved, id) ??
          (entry.type === 'claim.lapsed' ? same('confirmationDueOn', d['confirmationDueOn'], claim.dueOn, id) : undefined)
        );
      default:
        return undefined;
    }
  }

  private submissionProblem(d: Data, claim: ClaimFacts | undefined, program: ProgramOfClaims | undefined, today: string): Problem {
    const id = d['redemptionId'] as string;
    if (claim) return `claim ${id} is submitted twice`;
    const terms = program?.claims;
    if (!terms) return `program ${String(d['programId'])} takes no claims: its redemptions are redemption.recorded entries`;
    if (d['beneficiaryConfirmation'] !== terms.beneficiaryConfirmation || d['review'] !== terms.review)
      return `beneficiaryConfirmation ${String(d['beneficiaryConfirmation'])} and review ${String(d['review'])} are not program ${String(d['programId'])}'s terms (${String(terms.beneficiaryConfirmation)}, ${String(terms.review)})`;
    const due = terms.beneficiaryConfirmation ? addCalendarDays(today, terms.confirmationDays) : null;
    return d['confirmationDueOn'] === due
      ? undefined
      : `confirmationDueOn is ${JSON.stringify(d['confirmationDueOn'])}, but submitted on ${today} it is ${due === null ? 'null: the program does not ask for confirmation' : `${due}, ${terms.confirmationDays} calendar days later`}`;
  }

  /** An approval repeats the claim and the submission's inputs exactly; by confirmation, it is the confirming enterprise's, at once. */
  private approvalProblem(entry: Entry, facts: Facts, claim: ClaimFacts, terms: ClaimTerms, id: string): Problem {
    const d = entry.data;
    if (d['by'] === 'confirmation') {
      const confirmation = claim.confirmation;
      if (terms.review) return `claim ${id} is approved by confirmation, but program ${claim.programId} reviews its claims`;
      if (!confirmation || entry.actor['sub'] !== confirmation.sub || entry.actor['org'] !== confirmation.org)
        return `claim ${id} is approved by confirmation by ${String(entry.actor['sub'])}, not by the enterprise's user who confirmed it`;
      if (entry.recordedAt !== confirmation.at)
        return `claim ${id} is approved by confirmation at ${entry.recordedAt}, not with its confirmation (${confirmation.at})`;
    }
    const inputs = claim.inputs;
    const recordedRate = rate(d['rate']);
    return (
      same('contractId', d['contractId'], claim.contractId, id) ??
      same('policyId', d['policyId'], claim.policyId, id) ??
      same('bucket', d['bucket'], claim.bucket, id) ??
      same('year', d['year'], claim.year, id) ??
      (recordedRate && compareRate(recordedRate, rate(inputs.rate)!) === 0
        ? undefined
        : `rate ${String(d['rate'])} is not claim ${id}'s rate ${inputs.rate}`) ??
      sameAmount('executedAmount', d, facts, claim.executed, id) ??
      // Without a confirmation (a program that does not ask for one) the basis is the executed amount alone.
      sameAmount('paidAmount', d, facts, claim.paid, id) ??
      sameAmount('netExecutedBefore', d, facts, inputs.netExecutedBefore, id) ??
      sameAmount('annualCap', d, facts, inputs.annualCap, id) ??
      sameAmount('annualUsedBefore', d, facts, inputs.annualUsedBefore, id) ??
      sameAmount('programAnnualCap', d, facts, inputs.programAnnualCap, id) ??
      sameAmount('programUsedBefore', d, facts, inputs.programUsedBefore, id) ??
      sameAmount('voucherBalanceBefore', d, facts, inputs.voucherBalanceBefore, id) ??
      sameAmount('reserved', d, facts, claim.reserved, id)
    );
  }

  /** Records what a well-formed entry establishes; `contractRow` is the registry's row of a submission's contract. */
  apply(entry: Entry, facts: Facts, contractRow: number | undefined): void {
    const d = entry.data;
    const id = d['redemptionId'] as string;
    const a = facts.amounts;
    if (entry.type === 'claim.submitted') {
      if (this.claims.has(id)) return;
      const contract = d['contract'] as Data;
      const cap = (key: string) => (d[key] === null ? null : a[key]!);
      this.claims.set(id, {
        submittedSeq: entry.seq,
        status: d['status'] as ClaimStatus,
        region: d['region'] as string,
        programId: d['programId'] as string,
        kind: d['kind'] as string,
        voucherId: d['voucherId'] as string,
        contractId: contract['id'] as string,
        contractRow: contractRow ?? -1,
        providerUscc: contract['providerUscc'] as string,
        beneficiaryUscc: contract['beneficiaryUscc'] as string,
        policyId: d['policyId'] as string,
        bucket: d['bucket'] as string,
        year: d['year'] as number,
        executed: a['executedAmount']!,
        reserved: a['subsidy']!,
        paid: null,
        dueOn: d['confirmationDueOn'] as string | null,
        inputs: {
          rate: d['rate'] as string,
          netExecutedBefore: a['netExecutedBefore']!,
          annualCap: cap('annualCap'),
          annualUsedBefore: a['annualUsedBefore']!,
          programAnnualCap: cap('programAnnualCap'),
          programUsedBefore: a['programUsedBefore']!,
          voucherBalanceBefore: a['voucherBalanceBefore']!,
        },
        confirmation: null,
        lastSeq: entry.seq,
        lastAt: entry.recordedAt,
      });
      return;
    }
    const claim = this.claims.get(id);
    if (!claim) return;
    claim.lastSeq = entry.seq;
    claim.lastAt = entry.recordedAt;
    switch (entry.type) {
      case 'claim.confirmed':
        claim.paid = a['paidAmount'] ?? null;
        if (d['status'] === 'approved') {
          claim.status = 'confirmed';
          claim.confirmation = { sub: entry.actor['sub'], org: entry.actor['org'], at: entry.recordedAt, seq: entry.seq };
        } else claim.status = 'awaiting_review';
        return;
      case 'claim.disputed':
        claim.status = 'disputed';
        return;
      case 'claim.resubmitted':
        // A resubmitted claim the enterprise confirms is confirmed again, with what it paid then.
        Object.assign(claim, { status: d['status'], dueOn: d['confirmationDueOn'], paid: null });
        return;
      case 'claim.returned':
        Object.assign(claim, { status: 'returned', dueOn: d['confirmationDueOn'] });
        return;
      case 'claim.approved':
        Object.assign(claim, { status: 'approved', confirmation: null });
        return;
      case 'claim.rejected':
      case 'claim.withdrawn':
      case 'claim.lapsed':
        claim.status = entry.type.slice('claim.'.length) as ClaimStatus;
        return;
    }
  }

  /** What the chain leaves: claims still open and what they hold, approved, and released. */
  summary(): ClaimSummary {
    let open = 0;
    let holding = 0n;
    let approved = 0;
    let released = 0;
    for (const claim of this.claims.values()) {
      if (claim.status === 'approved') approved++;
      else if (claim.status === 'rejected' || claim.status === 'withdrawn' || claim.status === 'lapsed') released++;
      else {
        open++;
        holding += claim.reserved;
      }
    }
    return { open, holding: yuan(holding), approved, released };
  }

  /**
   * Once the chain has ended: a confirmation whose approval never came leaves a reservation neither open, approved
   * nor released; and each `reserved:` account holds exactly what its claim still reserves (nothing once it ended).
   */
  endProblems(balance: (account: string) => bigint): [number, string][] {
    const problems: [number, string][] = [];
    for (const [id, claim] of this.claims) {
      if (claim.status === 'confirmed')
        problems.push([claim.confirmation!.seq, `claim ${id} is confirmed for approval at once, but no claim.approved by confirmation follows`]);
      const ended = claim.status === 'approved' || claim.status === 'rejected' || claim.status === 'withdrawn' || claim.status === 'lapsed';
      const expected = ended ? 0n : claim.reserved;
      const held = balance(`reserved:${id}`);
      if (held !== expected)
        problems.push([claim.lastSeq, `reserved:${id} ends the chain holding ${yuan(held)}, but claim ${id} is ${claim.status} and holds ${yuan(expected)}`]);
    }
    return problems;
  }
}

export interface ClaimSummary {
  open: number;
  /** What the open claims hold in `reserved:` accounts, in yuan (a string, as the report is printed as JSON too). */
  holding: string;
  approved: number;
  released: number;
}
