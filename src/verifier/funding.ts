// Co-funded programs, checked independently of the service: the first program.funded entry of a program lists
// its funders (regions and ratios) and splits the budget among them; a later program.funded entry is one
// funder's confirmation of what it owes; program.budget_changed splits an increase or a decrease the same way.
// Every split is re-derived here by the largest-remainder rule in integer arithmetic: each share is
// floor(amount × ratio) in fen, the fen left over going one each to the largest remainders, ties to the
// funder listed first.
import { fen, yuan } from './arithmetic.js';
import type { Entry, Facts } from './entry.js';

type Problem = string | undefined;
type Data = Record<string, unknown>;

/** A funder as the program's first program.funded entry lists it. */
export interface FunderFacts {
  region: string;
  ratio: string;
}

/** What the registry keeps of a program for the funding checks. */
export interface FundedProgram {
  region: string;
  kind: string;
  funders: FunderFacts[];
}

/** Ratios have at most 4 decimals: held as integer ten-thousandths. */
const RATIO = /^(0|1)(?:\.([0-9]{1,4}))?$/;
const RATIO_UNITS = 10_000n;
export function ratioUnits(text: unknown): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const m = RATIO.exec(text);
  if (!m) return undefined;
  return BigInt(m[1]!) * RATIO_UNITS + BigInt((m[2] ?? '').padEnd(4, '0'));
}

/** A first program.funded entry written before co-funding has no `funding`: its region funded it all. */
export const isConfirmation = (entry: Entry) => entry.type === 'program.funded' && 'funder' in entry.data;
export const isLegacyFunding = (entry: Entry) => entry.type === 'program.funded' && !('funder' in entry.data) && !('funding' in entry.data);

/** The funders of a first program.funded entry (a legacy entry: its own region, ratio 1). */
export function fundersOf(data: Data): FunderFacts[] {
  const funding = data['funding'];
  if (!Array.isArray(funding)) return [{ region: String(data['region']), ratio: '1' }];
  return funding.map((f: Data) => ({ region: String(f['region']), ratio: String(f['ratio']) }));
}

/**
 * The largest-remainder split of `amount` fen by ratios in ten-thousandths summing to 1: floor(amount × ratio)
 * each, then one fen each to the largest remainders, ties to the funder listed first.
 */
export function largestRemainder(amount: bigint, ratios: bigint[]): bigint[] {
  const shares = ratios.map((r) => (amount * r) / RATIO_UNITS);
  const remainders = ratios.map((r, index) => ({ index, remainder: (amount * r) % RATIO_UNITS }));
  let leftover = amount - shares.reduce((sum, s) => sum + s, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (leftover <= 0n) break;
    shares[index]! += 1n;
    leftover -= 1n;
  }
  return shares;
}

/**
 * The largest-remainder split of `amount` fen by integer weights (decision 0042's close: the funders' confirmed
 * amounts, not their ratios): floor(amount × weight / Σweights) each, then one fen each to the largest remainders
 * (amount × weight mod Σweights), ties to the one listed first. Floors are mathematical floors, so a weight below
 * zero (never genuine, see closing.ts) still splits the whole amount. Σweights ≤ 0: undefined, the caller decides.
 */
export function largestRemainderByWeights(amount: bigint, weights: bigint[]): bigint[] | undefined {
  const total = weights.reduce((sum, w) => sum + w, 0n);
  if (total <= 0n) return undefined;
  const shares: bigint[] = [];
  const remainders: { index: number; remainder: bigint }[] = [];
  for (const [index, weight] of weights.entries()) {
    const product = amount * weight;
    let share = product / total;
    if (share * total > product) share -= 1n;
    shares.push(share);
    remainders.push({ index, remainder: product - share * total });
  }
  let leftover = amount - shares.reduce((sum, s) => sum + s, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (leftover <= 0n) break;
    shares[index]! += 1n;
    leftover -= 1n;
  }
  return shares;
}

/** Why a funding list is not a valid one for a program of `region`: regions covering it, once each, ratios > 0 summing to 1. */
function fundersProblem(funders: FunderFacts[], region: string, path: string): string | { ratios: bigint[] } {
  const ratios: bigint[] = [];
  const seen = new Set<string>();
  for (const [i, f] of funders.entries()) {
    const units = ratioUnits(f.ratio);
    if (units === undefined || units <= 0n) return `${path}[${i}].ratio ${f.ratio} is not a ratio above 0 with at most 4 decimals`;
    if (seen.has(f.region)) return `${path} lists region ${f.region} twice`;
    seen.add(f.region);
    ratios.push(units);
  }
  const total = ratios.reduce((sum, r) => sum + r, 0n);
  if (total !== RATIO_UNITS) return `${path} ratios sum to ${yuanRatio(total)}, not 1`;
  if (!seen.has(region)) return `${path} does not list the program's own region ${region}`;
  return { ratios };
}
const yuanRatio = (units: bigint) => `${units / RATIO_UNITS}.${String(units % RATIO_UNITS).padStart(4, '0')}`;

function postingsProblem(entry: Entry, facts: Facts, expected: { account: string; amount: bigint }[]): Problem {
  const actual = entry.postings;
  let same = actual.length === expected.length;
  for (let i = 0; same && i < actual.length; i++) same = actual[i]!.account === expected[i]!.account && facts.postings[i] === expected[i]!.amount;
  if (same) return undefined;
  const shown = actual.map((p, i) => `${p.account} ${facts.postings[i] ?? p.amount}`).join(', ');
  const wanted = expected.map((p) => `${p.account} ${p.amount}`).join(', ');
  return `postings are [${shown}] but the recorded funding gives [${wanted}] (fen)`;
}

/** Recorded shares against the split of `amount` by the entry's own ratios. */
function sharesProblem(list: Data[], amount: bigint, path: string, region: string): string | { amounts: bigint[] } {
  const funders = list.map((s) => ({ region: String(s['region']), ratio: String(s['ratio']) }));
  const valid = fundersProblem(funders, region, path);
  if (typeof valid === 'string') return valid;
  const expected = largestRemainder(amount, valid.ratios);
  for (let i = 0; i < list.length; i++) {
    const recorded = fen(list[i]!['amount']);
    if (recorded !== expected[i])
      return `${path}[${i}].amount ${String(list[i]!['amount'])} is not region ${funders[i]!.region}'s share ${yuan(expected[i]!)} of ${yuan(amount)} by the largest-remainder rule`;
    // The program's own region pays its share at once; every other region's awaits its confirmation.
    if ('status' in list[i]! && list[i]!['status'] !== (funders[i]!.region === region ? 'confirmed' : 'pending'))
      return `${path}[${i}].status is ${String(list[i]!['status'])}: region ${funders[i]!.region}'s share is ${funders[i]!.region === region ? 'confirmed at once' : 'pending its confirmation'}`;
  }
  return { amounts: expected };
}

/** program.funded (first or confirmation) and program.budget_changed, from the entry's own recorded inputs. */
export function recomputeFunding(entry: Entry, facts: Facts): Problem {
  const d = entry.data;
  const region = String(d['region']);
  const program = `program:${String(d['programId'])}`;
  const appropriation = (of: string) => `appropriation:${of}`;
  if (entry.type === 'program.funded') {
    if (isConfirmation(entry)) {
      const amount = facts.amounts['amount'];
      if (amount === undefined || amount <= 0n) return 'a confirmation amount is missing or not positive';
      return postingsProblem(entry, facts, [
        { account: appropriation(String(d['funder'])), amount: -amount },
        { account: program, amount },
      ]);
    }
    const budget = facts.amounts['budget'];
    if (budget === undefined || budget <= 0n) return 'budget is missing or not positive';
    if (isLegacyFunding(entry))
      return postingsProblem(entry, facts, [
        { account: appropriation(region), amount: -budget },
        { account: program, amount: budget },
      ]);
    const split = sharesProblem(d['funding'] as Data[], budget, 'funding', region);
    if (typeof split === 'string') return split;
    const own = split.amounts[(d['funding'] as Data[]).findIndex((f) => f['region'] === region)]!;
    return postingsProblem(entry, facts, [
      { account: appropriation(region), amount: -own },
      { account: program, amount: own },
    ]);
  }
  if (entry.type !== 'program.budget_changed') return undefined;
  const amount = facts.amounts['amount'];
  const available = facts.amounts['availableBefore'];
  if (amount === undefined || amount <= 0n) return 'amount is missing or not positive';
  if (available === undefined || available < 0n) return 'availableBefore is missing or negative';
  const shares = d['shares'] as Data[];
  const split = sharesProblem(shares, amount, 'shares', region);
  if (typeof split === 'string') return split;
  if (d['direction'] === 'increase') {
    const own = split.amounts[shares.findIndex((s) => s['region'] === region)]!;
    return postingsProblem(entry, facts, [
      { account: appropriation(region), amount: -own },
      { account: program, amount: own },
    ]);
  }
  // A decrease: never more than the program's unallocated, confirmed money; each funder's part cancels what it
  // still owes first, and only the rest is returned to its appropriation.
  if (amount > available) return `a decrease of ${yuan(amount)} exceeds the ${yuan(available)} available`;
  const returned: bigint[] = [];
  for (let i = 0; i < shares.length; i++) {
    const share = split.amounts[i]!;
    const pendingBefore = fen(shares[i]!['pendingBefore'])!;
    const cancelled = share < pendingBefore ? share : pendingBefore;
    if (fen(shares[i]!['cancelled']) !== cancelled)
      return `shares[${i}].cancelled recomputes to ${yuan(cancelled)} (the lesser of the share and pendingBefore), recorded ${String(shares[i]!['cancelled'])}`;
    if (fen(shares[i]!['returned']) !== share - cancelled)
      return `shares[${i}].returned recomputes to ${yuan(share - cancelled)}, recorded ${String(shares[i]!['returned'])}`;
    returned.push(share - cancelled);
  }
  return postingsProblem(entry, facts, [
    { account: program, amount: -returned.reduce((sum, r) => sum + r, 0n) },
    ...shares.map((s, i) => ({ account: appropriation(String(s['region'])), amount: returned[i]! })),
  ]);
}

/** Who may write the entry, and that every funder region covers the program's. */
export function fundingRulesProblem(entry: Entry): Problem {
  const { actor, data: d } = entry;
  const who = `${String(actor['role'])} ${String(actor['region'] ?? actor['org'] ?? actor['sub'])}`;
  const writer = isConfirmation(entry) ? d['funder'] : d['region'];
  if (actor['role'] !== 'issuer' || actor['region'] !== writer)
    return `${entry.type}${isConfirmation(entry) ? ' (a confirmation)' : ''} is written by an issuer of region ${String(writer)}, not by ${who}`;
  const regions = isConfirmation(entry) ? [String(d['funder'])] : entry.type === 'program.funded' ? fundersOf(d).map((f) => f.region) : [];
  const outside = regions.find((r) => !coversRegion(r, String(d['region'])));
  return outside === undefined ? undefined : `funder region ${outside} does not cover the program's region ${String(d['region'])}`;
}

/** GB/T 2260 coverage, as rules.ts has it (kept here so that this file stands alone). */
function coversRegion(outer: string, inner: string): boolean {
  if (outer.endsWith('0000')) return inner.startsWith(outer.slice(0, 2));
  if (outer.endsWith('00')) return inner.startsWith(outer.slice(0, 4));
  return inner === outer;
}

/** A confirmation or budget change against the program its first program.funded entry set up. */
export function fundingFactsProblem(entry: Entry, program: FundedProgram | undefined): Problem {
  const d = entry.data;
  const id = String(d['programId']);
  if (!program)
    return `${isConfirmation(entry) ? 'confirms funding of' : 'changes the budget of'} program ${id}, which no earlier program.funded entry creates`;
  if (d['region'] !== program.region) return `region is ${JSON.stringify(d['region'])} but program ${id} says ${JSON.stringify(program.region)}`;
  if (d['kind'] !== program.kind) return `kind is ${JSON.stringify(d['kind'])} but program ${id} says ${JSON.stringify(program.kind)}`;
  if (isConfirmation(entry))
    return program.funders.some((f) => f.region === d['funder']) ? undefined : `region ${String(d['funder'])} is not a funder of program ${id}`;
  const shares = d['shares'] as Data[];
  const listed = program.funders.map((f) => `${f.region} ${f.ratio}`).join(', ');
  const recorded = shares.map((s) => `${String(s['region'])} ${String(s['ratio'])}`).join(', ');
  return listed === recorded ? undefined : `shares are split among [${recorded}] but program ${id} is funded by [${listed}]`;
}

/**
 * What each funder still owes each program, re-derived from the chain: a funder confirms exactly what it owes
 * (so never twice), and a budget change records what was available and owed before it.
 */
export class FundingState {
  /** `programId|region` → fen owed (pending) by that funder. */
  private readonly pending = new Map<string, bigint>();
  /**
   * `programId|region` → fen that funder actually put in, net of what budget decreases returned to it: the weight
   * of its share when the program closes (decision 0042). A few per program: a Map.
   */
  private readonly confirmed = new Map<string, bigint>();

  private owed(programId: string, region: string): bigint {
    return this.pending.get(`${programId}|${region}`) ?? 0n;
  }

  /** A funder's counters as the chain leaves them before the entry being checked. */
  counters(programId: string, region: string): { confirmed: bigint; pending: bigint } {
    return { confirmed: this.confirmed.get(`${programId}|${region}`) ?? 0n, pending: this.owed(programId, region) };
  }

  check(entry: Entry, facts: Facts, balance: (account: string) => bigint): Problem {
    const d = entry.data;
    const programId = String(d['programId']);
    if (isConfirmation(entry)) {
      const owed = this.owed(programId, String(d['funder']));
      if (owed === 0n)
        return `region ${String(d['funder'])} confirms ${String(d['amount'])} but owes program ${programId} nothing (never owed, or already confirmed)`;
      return facts.amounts['amount'] === owed
        ? undefined
        : `region ${String(d['funder'])} confirms ${String(d['amount'])} but owes program ${programId} ${yuan(owed)}`;
    }
    if (entry.type !== 'program.budget_changed') return undefined;
    const available = balance(`program:${programId}`);
    if (facts.amounts['availableBefore'] !== available)
      return `availableBefore is recorded as ${String(d['availableBefore'])} but the chain gives ${yuan(available)}`;
    if (d['direction'] !== 'decrease') return undefined;
    for (const [i, share] of (d['shares'] as Data[]).entries()) {
      const owed = this.owed(programId, String(share['region']));
      if (fen(share['pendingBefore']) !== owed)
        return `shares[${i}].pendingBefore is recorded as ${String(share['pendingBefore'])} but the chain gives ${yuan(owed)} owed by region ${String(share['region'])}`;
    }
    return undefined;
  }

  apply(entry: Entry, facts: Facts): void {
    if (entry.type !== 'program.funded' && entry.type !== 'program.budget_changed' && entry.type !== 'program.closed') return;
    const d = entry.data;
    const programId = String(d['programId']);
    const add = (region: string, delta: bigint) => this.pending.set(`${programId}|${region}`, this.owed(programId, region) + delta);
    const put = (region: string, delta: bigint) => {
      const key = `${programId}|${region}`;
      this.confirmed.set(key, (this.confirmed.get(key) ?? 0n) + delta);
    };
    if (isConfirmation(entry)) {
      add(String(d['funder']), -(facts.amounts['amount'] ?? 0n));
      put(String(d['funder']), facts.amounts['amount'] ?? 0n);
      return;
    }
    if (entry.type === 'program.closed') {
      // What the close returned leaves the funder's confirmed amount; its pending share is cancelled (decision 0042).
      for (const funder of d['funders'] as Data[]) {
        const region = String(funder['region']);
        put(region, -(fen(funder['returned']) ?? 0n));
        this.pending.set(`${programId}|${region}`, 0n);
      }
      return;
    }
    if (isLegacyFunding(entry)) {
      put(String(d['region']), facts.amounts['budget'] ?? 0n);
      return;
    }
    const shares = entry.type === 'program.funded' ? d['funding'] : d['shares'];
    if (!Array.isArray(shares)) return;
    for (const share of shares as Data[]) {
      const region = String(share['region']);
      if (share['status'] === 'pending') add(region, fen(share['amount']) ?? 0n);
      else if (share['status'] === 'confirmed') put(region, fen(share['amount']) ?? 0n);
      else if ('cancelled' in share) {
        add(region, -(fen(share['cancelled']) ?? 0n));
        put(region, -(fen(share['returned']) ?? 0n));
      }
    }
  }
}
