// Payments to providers, checked independently of the service (decisions 0019, 0020). A payment.approved entry
// fixes a batch's lines: per line the provider, the amount, its split across the program's funders and, per
// redemption, the claim it pays; payment.disbursed pays one approved line once; payment.recovered takes money a
// provider owes back. Per redemption the verifier keeps its own account: subsidy − clawbacks − paid + recovered.
import { fen, yuan } from './arithmetic.js';
import type { Entry, Facts } from './entry.js';
import { largestRemainder, ratioUnits } from './funding.js';

type Problem = string | undefined;
type Data = Record<string, unknown>;

export const PAYMENT_TYPES = new Set(['payment.approved', 'payment.disbursed', 'payment.recovered']);

/** Why `shares` is not `total` split across `funders` by the largest-remainder rule, in their order. */
function sharesProblem(total: bigint, funders: Data[], shares: Data[], path: string): Problem {
  const ratios = funders.map((f) => ratioUnits(f['ratio'])!);
  if (ratios.some((r) => r <= 0n) || ratios.reduce((a, b) => a + b, 0n) !== 10_000n) return 'funders’ ratios are not each above 0 and summing to 1';
  if (shares.length !== funders.length || shares.some((s, i) => s['region'] !== funders[i]!['region'])) return `${path} do not list the funders in their order`;
  const expected = largestRemainder(total, ratios);
  for (let i = 0; i < shares.length; i++)
    if (fen(shares[i]!['amount']) !== expected[i])
      return `${path}[${i}] (${String(shares[i]!['region'])}) is ${String(shares[i]!['amount'])}, but ${yuan(total)} split by the largest-remainder rule gives ${yuan(expected[i]!)}`;
  return undefined;
}

const sum = (list: Data[], key = 'amount') => list.reduce((total, item) => total + fen(item[key])!, 0n);

function expectPostings(entry: Entry, facts: Facts, expected: { account: string; amount: bigint }[]): Problem {
  const actual = entry.postings;
  let same = actual.length === expected.length;
  for (let i = 0; same && i < actual.length; i++) same = actual[i]!.account === expected[i]!.account && facts.postings[i] === expected[i]!.amount;
  if (same) return undefined;
  const shown = actual.map((p) => `${p.account} ${p.amount}`).join(', ');
  const wanted = expected.map((p) => `${p.account} ${yuan(p.amount)}`).join(', ');
  return `postings are [${shown}] but the recorded payment gives [${wanted}]`;
}

/** What the entry's own members decide: sums, shares by ratio, and postings. */
export function recomputePayment(entry: Entry, facts: Facts): Problem {
  const d = entry.data;
  const funders = d['funders'] as Data[];
  const total = facts.amounts['amount'] ?? facts.amounts['total']!;
  if (entry.type === 'payment.approved') {
    const lines = d['lines'] as Data[];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const lineAmount = fen(line['amount'])!;
      if (lineAmount <= 0n) return `lines[${i}].amount is not positive`;
      const claimed = sum(line['redemptions'] as Data[]);
      if (claimed !== lineAmount) return `lines[${i}] pays ${yuan(lineAmount)} for redemptions that add up to ${yuan(claimed)}`;
      const shares = sharesProblem(lineAmount, funders, line['shares'] as Data[], `lines[${i}].shares`);
      if (shares) return shares;
    }
    const lineTotal = sum(lines);
    if (lineTotal !== total) return `total is ${String(d['total'])} but the lines add up to ${yuan(lineTotal)}`;
    // An approval authorises payments; it moves no money.
    return entry.postings.length === 0 ? undefined : 'payment.approved moves no money, but it has postings';
  }
  if (total <= 0n) return 'amount is not positive';
  const shares = d['shares'] as Data[];
  const split = sharesProblem(total, funders, shares, 'shares');
  if (split) return split;
  const redemptions = d['redemptions'] as Data[];
  const allocated = sum(redemptions);
  if (allocated !== total) return `the redemptions add up to ${yuan(allocated)}, not the amount ${String(d['amount'])}`;
  const payable = `payable:${String(d['providerUscc'])}`;
  if (entry.type === 'payment.disbursed')
    return expectPostings(entry, facts, [
      { account: payable, amount: -total },
      ...shares.map((s) => ({ account: `disbursed:${String(s['region'])}`, amount: fen(s['amount'])! })),
    ]);
  for (const item of redemptions) {
    const taken = fen(item['amount'])!;
    if (taken <= 0n || taken > fen(item['owedBefore'])!)
      return `recovers ${String(item['amount'])} for redemption ${String(item['redemptionId'])}, which owed ${String(item['owedBefore'])}`;
  }
  return expectPostings(entry, facts, [
    ...shares.map((s) => ({ account: `disbursed:${String(s['region'])}`, amount: -fen(s['amount'])! })),
    { account: payable, amount: total },
  ]);
}

/** Who may write a payment entry, and the dates and duties it keeps on its own. `today` is its recorded Asia/Shanghai date. */
export function paymentRulesProblem(entry: Entry, today: string): Problem {
  const { actor, data: d } = entry;
  if (actor['role'] !== 'issuer' || actor['region'] !== d['region'])
    return `${entry.type} is written by an issuer of region ${String(d['region'])}, not by ${String(actor['role'])} ${String(actor['region'] ?? actor['org'] ?? actor['sub'])}`;
  if (entry.type === 'payment.approved') {
    if (d['checker'] !== actor['sub']) return `checker ${String(d['checker'])} is not the approving issuer ${String(actor['sub'])}`;
    if (d['maker'] === d['checker']) return `batch ${String(d['batchId'])} is approved by its own maker ${String(d['maker'])}`;
    if ((d['cutoff'] as string) > today) return `cutoff ${String(d['cutoff'])} is after the day of the approval (${today})`;
  }
  if (entry.type === 'payment.disbursed' && (d['paidOn'] as string) > today) return `paidOn ${String(d['paidOn'])} is after the day it was recorded (${today})`;
  if (entry.type === 'payment.recovered' && (d['receivedOn'] as string) > today)
    return `receivedOn ${String(d['receivedOn'])} is after the day it was recorded (${today})`;
  return undefined;
}

/** What the verifier knows of a redemption from the entries before (derived-state.ts). */
export interface RedemptionFacts {
  subsidy: bigint;
  programId: string | undefined;
  providerUscc: string | undefined;
  /** Subsidy clawed back by reversals so far. */
  clawedBack: bigint;
  /** Paid minus recovered so far. */
  settled: bigint;
}

/** The redemptions as derived-state.ts holds them: each one's facts, and what payments settle on it. */
export interface RedemptionAccounts {
  facts(id: string): RedemptionFacts | undefined;
  /** The status of a claim not yet approved, which is owed nothing (decision 0041); undefined for anything else. */
  unapprovedClaim(id: string): string | undefined;
  settle(id: string, delta: bigint): void;
}

interface ApprovedLine {
  providerUscc: string;
  /** The line as approved (amount, shares, redemptions), canonical, for comparison with its payment. */
  terms: string;
  paid: boolean;
}
interface ApprovedBatch {
  programId: string;
  maker: string;
  checker: string;
  approvedOn: string;
  lines: Map<string, ApprovedLine>;
}

/** A program as the registry holds it (funding.ts / registry.ts). */
export interface PaymentProgram {
  region: string;
  kind: string;
  funders: { region: string; ratio: string }[];
}

const lineTerms = (amountText: unknown, shares: unknown, redemptions: unknown) => JSON.stringify([amountText, shares, redemptions]);
/** A line once paid: nothing of it is read again but that it was paid. */
const PAID_LINE: ApprovedLine = Object.freeze({ providerUscc: '', terms: '', paid: true });

/** What a redemption may still be paid: its subsidy less what reversals clawed back and payments settled. */
const stillOwed = (facts: RedemptionFacts): bigint => facts.subsidy - facts.clawedBack - facts.settled;

/** The chain's payments: approved batches and their lines (redemptions' settled amounts are derived-state.ts's). */
export class SettlementState {
  private readonly batches = new Map<string, ApprovedBatch>();
  private readonly lineIds = new Set<string>();
  private readonly recoveries = new Set<string>();

  /** Why the entry disagrees with the program, the batches and the redemptions the chain holds before it. */
  check(entry: Entry, program: PaymentProgram | undefined, redemptions: RedemptionAccounts): Problem {
    const d = entry.data;
    const programId = String(d['programId']);
    if (!program) return `pays from program ${programId}, which no earlier program.funded entry creates`;
    if (d['region'] !== program.region) return `region is ${String(d['region'])} but program ${programId} belongs to ${program.region}`;
    if (d['kind'] !== program.kind) return `kind is ${String(d['kind'])} but program ${programId} is ${program.kind}`;
    if (JSON.stringify((d['funders'] as Data[]).map((f) => [f['region'], f['ratio']])) !== JSON.stringify(program.funders.map((f) => [f.region, f.ratio])))
      return `funders are not program ${programId}'s funders and ratios`;

    /** Each redemption is the program's and the provider's; `expect` checks its amount against its outstanding claim. */
    const claims = (items: Data[], provider: unknown, expect: (item: Data, outstanding: bigint, facts: RedemptionFacts) => Problem): Problem => {
      for (const item of items) {
        const rid = String(item['redemptionId']);
        const facts = redemptions.facts(rid);
        if (!facts) {
          const claim = redemptions.unapprovedClaim(rid);
          return claim
            ? `pays claim ${rid}, which is ${claim}: nothing is owed on a claim until it is approved`
            : `pays redemption ${rid}, which the chain does not hold before it`;
        }
        if (facts.programId !== programId) return `redemption ${rid} is not of program ${programId}`;
        if (facts.providerUscc !== provider) return `redemption ${rid} is provider ${String(facts.providerUscc)}'s, not ${String(provider)}'s`;
        const problem = expect(item, stillOwed(facts), facts);
        if (problem) return problem;
      }
      return undefined;
    };

    switch (entry.type) {
      case 'payment.approved': {
        const batchId = String(d['batchId']);
        if (this.batches.has(batchId)) return `batch ${batchId} is approved twice`;
        const seen = new Set<string>();
        for (const line of d['lines'] as Data[]) {
          const lineId = String(line['lineId']);
          if (this.lineIds.has(lineId) || seen.has(lineId)) return `line ${lineId} appears in an earlier approval`;
          seen.add(lineId);
          const problem = claims(line['redemptions'] as Data[], line['providerUscc'], (item, outstanding) => {
            const rid = String(item['redemptionId']);
            if (seen.has(rid)) return `redemption ${rid} is claimed twice in batch ${batchId}`;
            seen.add(rid);
            const claimed = fen(item['amount'])!;
            // The approval fixes each claim at what the redemption is owed at that moment, no more, no less.
            return claimed === outstanding && claimed !== 0n ? undefined : `claims ${yuan(claimed)} for redemption ${rid}, which is owed ${yuan(outstanding)}`;
          });
          if (problem) return problem;
        }
        return undefined;
      }
      case 'payment.disbursed': {
        const batch = this.batches.get(String(d['batchId']));
        if (!batch) return `pays a line of batch ${String(d['batchId'])}, which no earlier payment.approved entry approves`;
        const line = batch.lines.get(String(d['lineId']));
        if (!line) return `line ${String(d['lineId'])} is not a line of batch ${String(d['batchId'])}`;
        if (line.paid) return `line ${String(d['lineId'])} is paid twice`;
        if (batch.programId !== programId) return `batch ${String(d['batchId'])} is program ${batch.programId}'s`;
        if (d['maker'] !== batch.maker || d['checker'] !== batch.checker) return `maker and checker are not those of batch ${String(d['batchId'])}'s approval`;
        if (d['providerUscc'] !== line.providerUscc || lineTerms(d['amount'], d['shares'], d['redemptions']) !== line.terms)
          return `the payment of line ${String(d['lineId'])} is not the line as approved (provider, amount, shares and redemptions)`;
        if ((d['paidOn'] as string) < batch.approvedOn)
          return `paidOn ${String(d['paidOn'])} is before batch ${String(d['batchId'])} was approved on ${batch.approvedOn}`;
        return claims(d['redemptions'] as Data[], d['providerUscc'], (item, _outstanding, facts) => {
          const rid = String(item['redemptionId']);
          const paid = facts.settled + fen(item['amount'])!;
          return paid <= facts.subsidy ? undefined : `redemption ${rid} would be paid ${yuan(paid)} in all, more than its subsidy ${yuan(facts.subsidy)}`;
        });
      }
      case 'payment.recovered': {
        if (this.recoveries.has(String(d['recoveryId']))) return `recovery ${String(d['recoveryId'])} is recorded twice`;
        return claims(d['redemptions'] as Data[], d['providerUscc'], (item, outstanding) => {
          const owed = -outstanding;
          const rid = String(item['redemptionId']);
          return fen(item['owedBefore']) === owed && owed > 0n
            ? undefined
            : `owedBefore is ${String(item['owedBefore'])} for redemption ${rid}, but the chain gives ${yuan(owed)}`;
        });
      }
      default:
        return undefined;
    }
  }

  /** Records what the entry establishes (after check, whatever it found). */
  apply(entry: Entry, approvedOn: string, redemptions: RedemptionAccounts): void {
    const d = entry.data;
    const settle = (items: Data[], sign: bigint) => {
      for (const item of items) redemptions.settle(String(item['redemptionId']), sign * fen(item['amount'])!);
    };
    switch (entry.type) {
      case 'payment.approved': {
        const batchId = String(d['batchId']);
        if (this.batches.has(batchId)) return;
        const lines = new Map<string, ApprovedLine>();
        for (const line of d['lines'] as Data[]) {
          this.lineIds.add(String(line['lineId']));
          lines.set(String(line['lineId']), {
            providerUscc: String(line['providerUscc']),
            terms: lineTerms(line['amount'], line['shares'], line['redemptions']),
            paid: false,
          });
        }
        this.batches.set(batchId, { programId: String(d['programId']), maker: String(d['maker']), checker: String(d['checker']), approvedOn, lines });
        return;
      }
      case 'payment.disbursed': {
        const lines = this.batches.get(String(d['batchId']))?.lines;
        if (lines?.has(String(d['lineId']))) lines.set(String(d['lineId']), PAID_LINE);
        settle(d['redemptions'] as Data[], 1n);
        return;
      }
      case 'payment.recovered':
        this.recoveries.add(String(d['recoveryId']));
        settle(d['redemptions'] as Data[], -1n);
        return;
    }
  }
}
