// The verifier's own implementation of the zj-ai-2025 arithmetic: entitlement by cumulative floor, the
// subsidy as the least of entitlement, remaining caps and voucher balance, and proportional clawback; and a
// claim's approval and release of its reservation (decision 0041).
import { APPLICATION_TYPES, noticeDatesProblem } from './applications.js';
import { type Amounts, compareRate, fen, floorTimes, type Rate, rate, yuan } from './arithmetic.js';
import { CLAIM_RELEASES, CLAIM_TYPES } from './claims.js';
import { recomputeClose } from './closing.js';
import type { Entry, Facts } from './entry.js';
import { recomputeFunding } from './funding.js';
import { OVERSIGHT_TYPES, recomputeOversight } from './oversight.js';
import { PAYMENT_TYPES, recomputePayment } from './settlement.js';

/** What the verifier knows of a policy file: its id, region, execution window and, per bucket, its kind, autonomy, ceiling rate and annual cap. */
export interface PolicyFacts {
  id: string;
  jurisdiction: string;
  effective: { from: string; to: string };
  buckets: Record<string, BucketFacts>;
}

export interface BucketFacts {
  kind: string;
  /** Set for kinds split on autonomy (compute); undefined where it does not apply. */
  autonomous: boolean | undefined;
  rate: string;
  annualCap: string | null;
}

type Problem = string | undefined;

/** The named amounts, already parsed; a problem naming the first that is missing or malformed. */
function amounts(parsed: Amounts, names: string[]): Record<string, bigint> | string {
  for (const name of names) if (parsed[name] === undefined) return `recorded input ${name} is missing or not an amount`;
  return parsed as Record<string, bigint>;
}

const optionalAmount = (value: unknown, parsed: bigint | undefined): bigint | null | undefined => (value === null ? null : parsed);

function expectPostings(entry: Entry, facts: Facts, expected: { account: string; amount: bigint }[]): Problem {
  const actual = entry.postings;
  let same = actual.length === expected.length;
  for (let i = 0; same && i < actual.length; i++) same = actual[i]!.account === expected[i]!.account && facts.postings[i] === expected[i]!.amount;
  if (same) return undefined;
  const shown = actual.map((p, i) => `${p.account} ${facts.postings[i] ?? p.amount}`).join(', ');
  const wanted = expected.map((p) => `${p.account} ${p.amount}`).join(', ');
  return `postings are [${shown}] but the recorded computation gives [${wanted}] (fen)`;
}

/** What the subsidy of one execution is decided on: the recorded rate, contract state, caps, usage and voucher balance. */
interface SubsidyInputs {
  rate: Rate;
  netExecutedBefore: bigint;
  executed: bigint;
  annualCap: bigint | null;
  annualUsedBefore: bigint;
  programCap: bigint | null;
  programUsedBefore: bigint;
  voucherBalanceBefore: bigint;
}

type LimitedBy = 'annual_cap' | 'program_cap' | 'voucher_balance' | null;

/**
 * The verifier's own computeSubsidy: entitlement by cumulative floor over the contract, then the least of it, the
 * remaining annual caps and the voucher balance; `limitedBy` the first bound (annual, program, voucher) that cut it.
 */
function subsidyOf(i: SubsidyInputs): { entitlement: bigint; subsidy: bigint; limitedBy: LimitedBy } {
  const entitlement = floorTimes(i.rate, i.netExecutedBefore + i.executed) - floorTimes(i.rate, i.netExecutedBefore);
  const remaining = (cap: bigint | null, used: bigint) => (cap === null ? null : cap > used ? cap - used : 0n);
  const bounds: [LimitedBy, bigint | null][] = [
    ['annual_cap', remaining(i.annualCap, i.annualUsedBefore)],
    ['program_cap', remaining(i.programCap, i.programUsedBefore)],
    ['voucher_balance', i.voucherBalanceBefore],
  ];
  let subsidy = entitlement;
  for (const [, bound] of bounds) if (bound !== null && bound < subsidy) subsidy = bound;
  const limitedBy = subsidy < entitlement ? (bounds.find(([, bound]) => bound === subsidy)?.[0] ?? null) : null;
  return { entitlement, subsidy, limitedBy };
}

/**
 * A redemption.recorded, or a claim.submitted (decision 0041), which is decided exactly as a redemption but
 * moves the subsidy to the claim's reservation instead of the provider's payable.
 */
export function recomputeRedemption(entry: Entry, facts: Facts, policies: Map<string, PolicyFacts> | undefined): Problem {
  const d = entry.data;
  const a = amounts(facts.amounts, [
    'executedAmount',
    'netExecutedBefore',
    'netExecutedAfter',
    'entitlement',
    'annualUsedBefore',
    'programUsedBefore',
    'voucherBalanceBefore',
    'subsidy',
  ]);
  if (typeof a === 'string') return a;
  const annualCap = optionalAmount(d['annualCap'], facts.amounts['annualCap']);
  const programCap = optionalAmount(d['programAnnualCap'], facts.amounts['programAnnualCap']);
  const r = rate(d['rate']);
  const ceiling = rate(d['policyRate']);
  const contract = d['contract'] as Record<string, unknown> | undefined;
  if (annualCap === undefined || programCap === undefined) return 'recorded annual caps are malformed';
  if (!r || !ceiling) return 'recorded rate or policyRate is malformed';
  if (typeof d['voucherId'] !== 'string' || typeof contract?.['providerUscc'] !== 'string') return 'recorded voucherId or contract.providerUscc is missing';
  if (a.executedAmount! <= 0n) return 'executedAmount is not positive';
  if (a.netExecutedAfter !== a.netExecutedBefore! + a.executedAmount!)
    return `netExecutedAfter ${yuan(a.netExecutedAfter!)} is not netExecutedBefore + executedAmount`;
  if (compareRate(r, ceiling) > 0) return `rate ${String(d['rate'])} is above the policy rate ${String(d['policyRate'])}`;
  if (policies) {
    const policy = policies.get(String(d['policySha256']));
    if (!policy) return `policy file with sha256 ${String(d['policySha256'])} is not known to the verifier`;
    if (policy.id !== d['policyId']) return `policySha256 is the file of policy ${policy.id}, not of ${String(d['policyId'])}`;
    const bucket = Object.hasOwn(policy.buckets, String(d['bucket'])) ? policy.buckets[String(d['bucket'])] : undefined;
    if (!bucket) return `bucket ${String(d['bucket'])} is not in policy ${policy.id}`;
    if (compareRate(rate(bucket.rate)!, ceiling) !== 0) return `policyRate ${String(d['policyRate'])} differs from the policy file's ${bucket.rate}`;
    const fileCap = bucket.annualCap === null ? null : fen(bucket.annualCap);
    if (fileCap !== annualCap) return `annualCap ${String(d['annualCap'])} differs from the policy file's ${String(bucket.annualCap)}`;
  }
  const { entitlement, subsidy, limitedBy } = subsidyOf({
    rate: r,
    netExecutedBefore: a.netExecutedBefore!,
    executed: a.executedAmount!,
    annualCap,
    annualUsedBefore: a.annualUsedBefore!,
    programCap,
    programUsedBefore: a.programUsedBefore!,
    voucherBalanceBefore: a.voucherBalanceBefore!,
  });
  if (entitlement !== a.entitlement) return `entitlement recomputes to ${yuan(entitlement)}, recorded ${String(d['entitlement'])}`;
  if (subsidy !== a.subsidy) return `subsidy recomputes to ${yuan(subsidy)}, recorded ${String(d['subsidy'])}`;
  if (limitedBy !== d['limitedBy']) return `limitedBy recomputes to ${String(limitedBy)}, recorded ${String(d['limitedBy'])}`;
  // A claim owes nothing until approved: its subsidy is held in its own reservation (decision 0041).
  const credit = entry.type === 'claim.submitted' ? `reserved:${String(d['redemptionId'])}` : `payable:${String(contract['providerUscc'])}`;
  return expectPostings(entry, facts, [
    { account: `voucher:${String(d['voucherId'])}`, amount: -subsidy },
    { account: credit, amount: subsidy },
  ]);
}

/** Where a release or a clawback goes: the voucher while it is active, else its program (recorded as returnedTo). */
function returnAccount(d: Record<string, unknown>): string | undefined {
  return d['returnedTo'] === 'voucher' ? `voucher:${String(d['voucherId'])}` : d['returnedTo'] === 'program' ? `program:${String(d['programId'])}` : undefined;
}

/**
 * claim.approved (decision 0041): the subsidy recomputed on the basis, min(executed, paid) when the enterprise
 * confirmed, with the submission's recorded inputs; the contract keeps no more than floor(rate × its net executed
 * once the unpaid part is released); the approved amount is the least of that, the reservation and the
 * recomputation, and the rest of the reservation goes back.
 */
function recomputeClaimApproval(entry: Entry, facts: Facts): Problem {
  const d = entry.data;
  const a = amounts(facts.amounts, [
    'executedAmount',
    'basis',
    'netExecutedBefore',
    'annualUsedBefore',
    'programUsedBefore',
    'voucherBalanceBefore',
    'entitlement',
    'computed',
    'reserved',
    'contractNetExecutedBefore',
    'contractNetExecutedAfter',
    'contractNetSubsidyBefore',
    'openClaimsExecuted',
    'openClaimsReserved',
    'contractCeilingAfter',
    'subsidy',
    'released',
  ]);
  if (typeof a === 'string') return a;
  const paid = optionalAmount(d['paidAmount'], facts.amounts['paidAmount']);
  const annualCap = optionalAmount(d['annualCap'], facts.amounts['annualCap']);
  const programCap = optionalAmount(d['programAnnualCap'], facts.amounts['programAnnualCap']);
  const r = rate(d['rate']);
  if (paid === undefined || annualCap === undefined || programCap === undefined) return 'recorded paidAmount or annual caps are malformed';
  if (!r) return 'recorded rate is malformed';
  const executed = a.executedAmount!;
  if (executed <= 0n) return 'executedAmount is not positive';
  if (a.reserved! < 0n) return 'reserved is negative';
  const basis = paid === null || executed < paid ? executed : paid;
  if (basis !== a.basis)
    return `basis recomputes to ${yuan(basis)} (${paid === null ? 'the executed amount: nothing was confirmed' : 'the lesser of executedAmount and paidAmount'}), recorded ${String(d['basis'])}`;
  const recomputed = subsidyOf({
    rate: r,
    netExecutedBefore: a.netExecutedBefore!,
    executed: basis,
    annualCap,
    annualUsedBefore: a.annualUsedBefore!,
    programCap,
    programUsedBefore: a.programUsedBefore!,
    voucherBalanceBefore: a.voucherBalanceBefore!,
  });
  if (recomputed.entitlement !== a.entitlement)
    return `entitlement recomputes to ${yuan(recomputed.entitlement)} on the basis ${yuan(basis)}, recorded ${String(d['entitlement'])}`;
  const computed = recomputed.subsidy;
  if (computed !== a.computed) return `computed recomputes to ${yuan(computed)} on the basis ${yuan(basis)}, recorded ${String(d['computed'])}`;
  const netExecutedAfter = a.contractNetExecutedBefore! - (executed - basis);
  if (netExecutedAfter !== a.contractNetExecutedAfter)
    return `contractNetExecutedAfter recomputes to ${yuan(netExecutedAfter)} (the unpaid ${yuan(executed - basis)} released), recorded ${String(d['contractNetExecutedAfter'])}`;
  // Open claims' reservations are not owed and may be released: the room is the contract's approved part's (decision 0041).
  const approvedExecuted = a.contractNetExecutedBefore! - a.openClaimsExecuted!;
  const approvedSubsidy = a.contractNetSubsidyBefore! - a.openClaimsReserved!;
  const ceiling = floorTimes(r, approvedExecuted + basis);
  if (ceiling !== a.contractCeilingAfter)
    return `contractCeilingAfter recomputes to ${yuan(ceiling)} (floor(rate × (approved net executed ${yuan(approvedExecuted)} + basis))), recorded ${String(d['contractCeilingAfter'])}`;
  const reserved = a.reserved!;
  const room = ceiling > approvedSubsidy ? ceiling - approvedSubsidy : 0n;
  let approved = computed < reserved ? computed : reserved;
  if (room < approved) approved = room;
  if (approved !== a.subsidy)
    return `subsidy recomputes to ${yuan(approved)} (the least of computed ${yuan(computed)}, reserved ${yuan(reserved)} and the contract's room ${yuan(room)}), recorded ${String(d['subsidy'])}`;
  const released = reserved - approved;
  if (released !== a.released) return `released recomputes to ${yuan(released)} (reserved − subsidy), recorded ${String(d['released'])}`;
  const target = returnAccount(d);
  if (!target) return `returnedTo ${String(d['returnedTo'])} is neither voucher nor program`;
  return expectPostings(entry, facts, [
    { account: `reserved:${String(d['redemptionId'])}`, amount: -reserved },
    { account: `payable:${String(d['providerUscc'])}`, amount: approved },
    { account: target, amount: released },
  ]);
}

/** claim.rejected, .withdrawn and .lapsed: the whole reservation goes back, and the contract's executed amount with it. */
function recomputeClaimRelease(entry: Entry, facts: Facts): Problem {
  const d = entry.data;
  const a = amounts(facts.amounts, ['executedAmount', 'reserved', 'contractNetExecutedBefore', 'contractNetExecutedAfter']);
  if (typeof a === 'string') return a;
  if (a.executedAmount! <= 0n) return 'executedAmount is not positive';
  if (a.reserved! < 0n) return 'reserved is negative';
  const netExecutedAfter = a.contractNetExecutedBefore! - a.executedAmount!;
  if (netExecutedAfter !== a.contractNetExecutedAfter)
    return `contractNetExecutedAfter recomputes to ${yuan(netExecutedAfter)} (contractNetExecutedBefore − executedAmount), recorded ${String(d['contractNetExecutedAfter'])}`;
  const target = returnAccount(d);
  if (!target) return `returnedTo ${String(d['returnedTo'])} is neither voucher nor program`;
  return expectPostings(entry, facts, [
    { account: `reserved:${String(d['redemptionId'])}`, amount: -a.reserved! },
    { account: target, amount: a.reserved! },
  ]);
}

/** A claim entry's amounts: the submission is a redemption's; confirmations, disputes, returns and resubmissions move no money. */
function recomputeClaim(entry: Entry, facts: Facts, policies: Map<string, PolicyFacts> | undefined): Problem {
  if (entry.type === 'claim.submitted') return recomputeRedemption(entry, facts, policies);
  if (entry.type === 'claim.approved') return recomputeClaimApproval(entry, facts);
  if (CLAIM_RELEASES.has(entry.type)) return recomputeClaimRelease(entry, facts);
  return entry.postings.length > 0 ? `${entry.type} moves no money, but has ${entry.postings.length} postings` : undefined;
}

export function recomputeReversal(entry: Entry, facts: Facts): Problem {
  const d = entry.data;
  const a = amounts(facts.amounts, [
    'redemptionExecutedAmount',
    'redemptionSubsidy',
    'reversedBefore',
    'executedAmount',
    'reversedAfter',
    'clawedBackBefore',
    'clawback',
    'netExecutedBefore',
    'netExecutedAfter',
  ]);
  if (typeof a === 'string') return a;
  const e = a.redemptionExecutedAmount!;
  const g = a.redemptionSubsidy!;
  if (a.executedAmount! <= 0n || e <= 0n) return 'executed amounts are not positive';
  if (a.reversedAfter !== a.reversedBefore! + a.executedAmount!) return 'reversedAfter is not reversedBefore + executedAmount';
  if (a.reversedAfter! > e) return `reversed ${yuan(a.reversedAfter!)} exceeds the redemption's executed ${yuan(e)}`;
  const clawedBack = (reversed: bigint) => g - (g * (e - reversed)) / e;
  if (clawedBack(a.reversedBefore!) !== a.clawedBackBefore) return `clawedBackBefore recomputes to ${yuan(clawedBack(a.reversedBefore!))}`;
  const proRata = clawedBack(a.reversedAfter!) - a.clawedBackBefore!;
  let clawback = proRata;
  // Since the contract-ceiling rule, a reversal records its pro-rata share and the contract's state, and claws
  // back the larger of the share and the contract's excess over floor(rate × net executed after), at most what
  // the contract holds. Entries written before the rule carry none of these members and claw back pro rata.
  if ('proRataClawback' in d) {
    const c = amounts(facts.amounts, ['proRataClawback', 'contractNetSubsidyBefore', 'contractCeilingAfter']);
    if (typeof c === 'string') return c;
    const r = rate(d['rate']);
    if (!r) return 'recorded rate is malformed';
    if (proRata !== c.proRataClawback) return `proRataClawback recomputes to ${yuan(proRata)}, recorded ${String(d['proRataClawback'])}`;
    const ceiling = floorTimes(r, a.netExecutedAfter!);
    if (ceiling !== c.contractCeilingAfter) return `contractCeilingAfter recomputes to ${yuan(ceiling)}, recorded ${String(d['contractCeilingAfter'])}`;
    const held = c.contractNetSubsidyBefore!;
    const excess = held > ceiling ? held - ceiling : 0n;
    const wanted = proRata > excess ? proRata : excess;
    clawback = wanted < held ? wanted : held;
  }
  if (clawback !== a.clawback) return `clawback recomputes to ${yuan(clawback)}, recorded ${String(d['clawback'])}`;
  if (a.netExecutedAfter !== a.netExecutedBefore! - a.executedAmount!) return 'netExecutedAfter is not netExecutedBefore − executedAmount';
  const target = returnAccount(d);
  if (!target) return `returnedTo ${String(d['returnedTo'])} is neither voucher nor program`;
  return expectPostings(entry, facts, [
    { account: `payable:${String(d['providerUscc'])}`, amount: -clawback },
    { account: target, amount: clawback },
  ]);
}

/** Entries that move a single amount from one account to another, checked against their recorded amount. */
export function recomputeTransfer(entry: Entry, facts: Facts): Problem {
  const d = entry.data;
  const program = `program:${String(d['programId'])}`;
  const voucher = `voucher:${String(d['voucherId'])}`;
  switch (entry.type) {
    case 'program.funded':
    case 'program.budget_changed':
      return recomputeFunding(entry, facts);
    case 'voucher.issued': {
      const amount = facts.amounts['amount'];
      if (amount === undefined || amount <= 0n) return 'amount is missing or not positive';
      return expectPostings(entry, facts, [
        { account: program, amount: -amount },
        { account: voucher, amount },
      ]);
    }
    case 'voucher.revoked':
    case 'voucher.expired': {
      const returned = facts.amounts['returned'];
      if (returned === undefined || returned < 0n) return 'returned is missing or negative';
      return expectPostings(entry, facts, [
        { account: voucher, amount: -returned },
        { account: program, amount: returned },
      ]);
    }
    default:
      return `unknown entry type ${entry.type}`;
  }
}

/** An application's decisions move no money; a notice's dates re-derive on the working-day calendar. */
function recomputeApplication(entry: Entry): Problem {
  if (entry.postings.length > 0) return `${entry.type} moves no money, but has ${entry.postings.length} postings`;
  return entry.type === 'application.notice_opened' ? noticeDatesProblem(entry.data) : undefined;
}

export function recompute(entry: Entry, facts: Facts, policies: Map<string, PolicyFacts> | undefined): Problem {
  if (APPLICATION_TYPES.has(entry.type)) return recomputeApplication(entry);
  if (entry.type === 'redemption.recorded') return recomputeRedemption(entry, facts, policies);
  if (entry.type === 'redemption.reversed') return recomputeReversal(entry, facts);
  if (PAYMENT_TYPES.has(entry.type)) return recomputePayment(entry, facts);
  if (CLAIM_TYPES.has(entry.type)) return recomputeClaim(entry, facts, policies);
  if (entry.type === 'program.closed') return recomputeClose(entry, facts);
  if (OVERSIGHT_TYPES.has(entry.type)) return recomputeOversight(entry);
  return recomputeTransfer(entry, facts);
}
