// Programs' periods and closes (decision 0042), checked independently of the service. A program created with a
// period records it in its program.funded entry; its vouchers may not outlive it. One program.closed entry then
// expires every active voucher (its balance back to the program) and returns the program's whole available to its
// funders, split by the largest-remainder rule over what each actually put in (its `confirmed` amount), and
// cancels what co-funders still owed. Here: the close's own arithmetic (`recomputation`), its writer and dates
// (`rules`), and what it repeats of the chain (`derived-inputs`): the active vouchers and their balances, the
// program's balance, each funder's confirmed and pending amounts, and that no claim of the program is open.
import { fen, yuan } from './arithmetic.js';
import { shanghaiDate } from './calendar.js';
import type { Entry, Facts } from './entry.js';
import { largestRemainderByWeights } from './funding.js';

type Data = Record<string, unknown>;
type Problem = string | undefined;

/** A program's period, as its program.funded entry recorded it (decision 0042). */
export interface PeriodFacts {
  fiscalYear: number;
  closesOn: string;
}

/** The period a program.funded entry records, or null (an open-ended program). */
export function periodOf(d: Data): PeriodFacts | null {
  const period = d['period'];
  if (typeof period !== 'object' || period === null) return null;
  const p = period as Data;
  return { fiscalYear: p['fiscalYear'] as number, closesOn: p['closesOn'] as string };
}

const samePeriod = (a: PeriodFacts | null, b: PeriodFacts | null) =>
  a === null || b === null ? a === b : a.fiscalYear === b.fiscalYear && a.closesOn === b.closesOn;
const shownPeriod = (p: PeriodFacts | null) => (p === null ? 'null' : `{fiscalYear ${p.fiscalYear}, closesOn ${p.closesOn}}`);

/**
 * A program.funded entry's period: closesOn from 1 January of the fiscal year to 31 December of the next (programs
 * settle in the first months after their year), and an application round that closes by then.
 */
export function periodRulesProblem(d: Data): Problem {
  const period = periodOf(d);
  if (!period) return undefined;
  const from = `${period.fiscalYear}-01-01`;
  const to = `${period.fiscalYear + 1}-12-31`;
  if (period.closesOn < from || period.closesOn > to)
    return `period.closesOn ${period.closesOn} is outside ${from} to ${to} (fiscal year ${period.fiscalYear} and the next)`;
  const applications = d['applications'] as Data | undefined;
  if (applications && (applications['closesOn'] as string) > period.closesOn)
    return `applications.closesOn ${String(applications['closesOn'])} is after the program's period closes on ${period.closesOn}`;
  return undefined;
}

/** Who writes a close (an issuer of the program's region), its day (Asia/Shanghai) and that it comes once the period has ended. */
export function closeRulesProblem(entry: Entry): Problem {
  const d = entry.data;
  const today = shanghaiDate(entry.recordedAt);
  if (d['closedOn'] !== today) return `closedOn ${String(d['closedOn'])} is not the day the close was recorded (${today}, Asia/Shanghai)`;
  const period = periodOf(d);
  if (period && today < period.closesOn) return `closes on ${today}, before the program's period closes on ${period.closesOn}`;
  return undefined;
}

function expectPostings(entry: Entry, facts: Facts, expected: { account: string; amount: bigint }[]): Problem {
  const actual = entry.postings;
  let same = actual.length === expected.length;
  for (let i = 0; same && i < actual.length; i++) same = actual[i]!.account === expected[i]!.account && facts.postings[i] === expected[i]!.amount;
  if (same) return undefined;
  const shown = actual.map((p, i) => `${p.account} ${facts.postings[i] ?? p.amount}`).join(', ');
  const wanted = expected.map((p) => `${p.account} ${p.amount}`).join(', ');
  return `postings are [${shown}] but the recorded close gives [${wanted}] (fen)`;
}

/**
 * program.closed from its own members: the vouchers by id, once each; the sums; each funder's share of what is
 * returned by the largest-remainder rule over the confirmed amounts; and the postings, zero ones included (the
 * shape is fixed): each voucher −returned, the program −availableBefore, each funder's appropriation +returned.
 */
export function recomputeClose(entry: Entry, facts: Facts): Problem {
  const d = entry.data;
  const vouchers = d['vouchers'] as Data[];
  const funders = d['funders'] as Data[];
  const availableBefore = facts.amounts['availableBefore']!;
  if (availableBefore < 0n) return 'availableBefore is negative';
  let vouchersReturned = 0n;
  for (let i = 0; i < vouchers.length; i++) {
    // By id: each voucher once, in the order the service lists them (code-unit order of their ids).
    if (i > 0 && !((vouchers[i - 1]!['voucherId'] as string) < (vouchers[i]!['voucherId'] as string)))
      return `vouchers[${i}] ${String(vouchers[i]!['voucherId'])} is not after vouchers[${i - 1}] ${String(vouchers[i - 1]!['voucherId'])}: the vouchers are listed once each, by id`;
    vouchersReturned += fen(vouchers[i]!['returned'])!;
  }
  if (vouchersReturned !== facts.amounts['vouchersReturned'])
    return `vouchersReturned is ${String(d['vouchersReturned'])} but the vouchers listed return ${yuan(vouchersReturned)}`;
  const returned = availableBefore + vouchersReturned;
  if (returned !== facts.amounts['returned']) return `returned is ${String(d['returned'])} but availableBefore + vouchersReturned is ${yuan(returned)}`;
  const region = d['region'] as string;
  const weights = funders.map((f) => fen(f['confirmed'])!);
  // Σconfirmed is positive for every genuine program (the issuer's own share is confirmed at creation); were it
  // not, there would be no weights, and what is left goes back to the program's own region.
  const shares = largestRemainderByWeights(returned, weights) ?? funders.map((f) => (f['region'] === region ? returned : 0n));
  for (let i = 0; i < funders.length; i++) {
    const recorded = fen(funders[i]!['returned']);
    if (recorded !== shares[i])
      return `funders[${i}].returned ${String(funders[i]!['returned'])} is not region ${String(funders[i]!['region'])}'s share ${yuan(shares[i]!)} of ${yuan(returned)} by the largest-remainder rule over the confirmed amounts`;
  }
  return expectPostings(entry, facts, [
    ...vouchers.map((v) => ({ account: `voucher:${String(v['voucherId'])}`, amount: -fen(v['returned'])! })),
    { account: `program:${String(d['programId'])}`, amount: -availableBefore },
    ...funders.map((f, i) => ({ account: `appropriation:${String(f['region'])}`, amount: shares[i]! })),
  ]);
}

/** What the close check reads of a program (registry.ts holds it). */
export interface ClosableProgram {
  region: string;
  kind: string;
  funders: { region: string; ratio: string }[];
  period: PeriodFacts | null;
  /** The seq of its program.closed entry, or null while it is open. */
  closedAt: number | null;
}

/** The chain before the close, as derived-state.ts and registry.ts hold it. */
export interface ClosingView {
  program(id: string): ClosableProgram | undefined;
  /** The program's vouchers not yet revoked, expired or closed, by id (code-unit order). */
  activeVouchers(programId: string): string[];
  balance(account: string): bigint;
  funder(programId: string, region: string): { confirmed: bigint; pending: bigint };
  /** How many of the program's claims await a decision (awaiting confirmation or review, disputed, returned). */
  openClaims(programId: string): number;
}

/** Why the listed vouchers are not the active ones, once each, by id (only once they are found to differ). */
function voucherListProblem(listed: Data[], active: string[], id: string): string {
  const ids = new Set(listed.map((v) => v['voucherId']));
  const missing = active.find((v) => !ids.has(v));
  if (missing !== undefined) return `vouchers leaves out voucher ${missing}, active in program ${id} at the close`;
  const activeIds = new Set(active);
  const extra = listed.find((v) => !activeIds.has(v['voucherId'] as string));
  if (extra) return `vouchers lists voucher ${String(extra['voucherId'])}, which is not an active voucher of program ${id} at the close`;
  return `vouchers does not list program ${id}'s active vouchers once each, by id`;
}

/** program.closed against the chain: the program, once; its period; no open claim; the vouchers, balance and funders' counters. */
export function closeProblem(entry: Entry, facts: Facts, chain: ClosingView): Problem {
  const d = entry.data;
  const id = d['programId'] as string;
  const program = chain.program(id);
  if (!program) return `closes program ${id}, which no earlier program.funded entry creates`;
  // Closed once; a later close only hands back money that came back since (a clawback), with no voucher left.
  if (program.closedAt !== null && ((d['vouchers'] as Data[]).length > 0 || (facts.amounts['availableBefore'] ?? 0n) <= 0n))
    return `program ${id} was closed at seq ${program.closedAt}: a later close only returns money that came back since`;
  if (d['region'] !== program.region) return `region is ${JSON.stringify(d['region'])} but program ${id} says ${JSON.stringify(program.region)}`;
  if (d['kind'] !== program.kind) return `kind is ${JSON.stringify(d['kind'])} but program ${id} says ${JSON.stringify(program.kind)}`;
  const period = periodOf(d);
  if (!samePeriod(period, program.period))
    return `period is ${shownPeriod(period)} but program ${id}'s program.funded entry records ${shownPeriod(program.period)}`;
  const open = chain.openClaims(id);
  if (open > 0)
    return `closes program ${id} while ${open} of its claim${open === 1 ? '' : 's'} await${open === 1 ? 's' : ''} a decision (awaiting confirmation or review, disputed or returned)`;
  const active = chain.activeVouchers(id);
  const listed = d['vouchers'] as Data[];
  for (let i = 0; i < Math.max(active.length, listed.length); i++) {
    const voucherId = listed[i]?.['voucherId'];
    if (voucherId !== active[i]) return voucherListProblem(listed, active, id);
    const balance = chain.balance(`voucher:${String(voucherId)}`);
    if (fen(listed[i]!['returned']) !== balance)
      return `vouchers[${i}].returned is ${String(listed[i]!['returned'])} but voucher:${String(voucherId)} holds ${yuan(balance)}`;
  }
  const available = chain.balance(`program:${id}`);
  if (facts.amounts['availableBefore'] !== available)
    return `availableBefore is recorded as ${String(d['availableBefore'])} but program:${id} holds ${yuan(available)}`;
  const funders = d['funders'] as Data[];
  const recorded = funders.map((f) => `${String(f['region'])} ${String(f['ratio'])}`).join(', ');
  const expected = program.funders.map((f) => `${f.region} ${f.ratio}`).join(', ');
  if (recorded !== expected) return `funders are [${recorded}] but program ${id} is funded by [${expected}]`;
  for (let i = 0; i < funders.length; i++) {
    const region = String(funders[i]!['region']);
    const counters = chain.funder(id, region);
    if (fen(funders[i]!['confirmed']) !== counters.confirmed)
      return `funders[${i}].confirmed is ${String(funders[i]!['confirmed'])} but the chain gives ${yuan(counters.confirmed)} put in by region ${region}`;
    if (fen(funders[i]!['pendingCancelled']) !== counters.pending)
      return `funders[${i}].pendingCancelled is ${String(funders[i]!['pendingCancelled'])} but the chain gives ${yuan(counters.pending)} owed by region ${region}`;
  }
  return undefined;
}
