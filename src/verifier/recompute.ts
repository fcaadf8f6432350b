// The verifier's own implementation of the zj-ai-2025 arithmetic: entitlement by cumulative floor, the
// subsidy as the least of entitlement, remaining caps and voucher balance, and proportional clawback.
import { APPLICATION_TYPES, noticeDatesProblem } from './applications.js';
import { type Amounts, compareRate, fen, floorTimes, rate, yuan } from './arithmetic.js';
import type { Entry, Facts } from './entry.js';
import { recomputeFunding } from './funding.js';
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
  const entitlement = floorTimes(r, a.netExecutedAfter!) - floorTimes(r, a.netExecutedBefore!);
  if (entitlement !== a.entitlement) return `entitlement recomputes to ${yuan(entitlement)}, recorded ${String(d['entitlement'])}`;
  const remaining = (cap: bigint | null, used: bigint) => (cap === null ? null : cap > used ? cap - used : 0n);
  const bounds: [string, bigint | null][] = [
    ['annual_cap', remaining(annualCap, a.annualUsedBefore!)],
    ['program_cap', remaining(programCap, a.programUsedBefore!)],
    ['voucher_balance', a.voucherBalanceBefore!],
  ];
  let subsidy = entitlement;
  for (const [, bound] of bounds) if (bound !== null && bound < subsidy) subsidy = bound;
  if (subsidy !== a.subsidy) return `subsidy recomputes to ${yuan(subsidy)}, recorded ${String(d['subsidy'])}`;
  const limitedBy = subsidy < entitlement ? (bounds.find(([, bound]) => bound === subsidy)?.[0] ?? null) : null;
  if (limitedBy !== d['limitedBy']) return `limitedBy recomputes to ${String(limitedBy)}, recorded ${String(d['limitedBy'])}`;
  return expectPostings(entry, facts, [
    { account: `voucher:${String(d['voucherId'])}`, amount: -subsidy },
    { account: `payable:${String(contract['providerUscc'])}`, amount: subsidy },
  ]);
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
  const target =
    d['returnedTo'] === 'voucher' ? `voucher:${String(d['voucherId'])}` : d['returnedTo'] === 'program' ? `program:${String(d['programId'])}` : undefined;
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
  return recomputeTransfer(entry, facts);
}
