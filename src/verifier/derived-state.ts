// With the whole chain in hand, the verifier re-derives what each redemption recorded as its "before"
// values (voucher balance, annual usage, contract net executed) instead of trusting them.
import { fen, rate, yuan } from './arithmetic.js';
import type { Entry, Facts } from './entry.js';
import { Int64Columns, NumberColumn, SparseInt64Columns } from './columns.js';
import { FundingState } from './funding.js';
import { KeyTable } from './key-table.js';
import { Registry } from './registry.js';
import { APPLICATION_TYPES, ApplicationState } from './applications.js';
import { type ClaimFacts, CLAIM_RELEASES, CLAIM_TYPES, ClaimState, type ClaimSummary } from './claims.js';
import { closeProblem, type ClosingView } from './closing.js';
import { type ApprovedRedemptions, OVERSIGHT_TYPES, OversightState, type OversightSummary } from './oversight.js';
import { shanghaiDate } from './rules.js';
import { PAYMENT_TYPES, type RedemptionAccounts, type RedemptionFacts, SettlementState } from './settlement.js';

/** int64 sums by string key (accounts, usage, contracts), `width` per key: a few thousand keys, each with a row. */
class Sums {
  private readonly rows = new Map<string, number>();
  private readonly cells: Int64Columns;

  constructor(width = 1) {
    this.cells = new Int64Columns(width);
  }

  row(key: string): number {
    let row = this.rows.get(key);
    if (row === undefined) this.rows.set(key, (row = this.rows.size));
    return row;
  }

  get(key: string): bigint {
    const row = this.rows.get(key);
    return row === undefined ? 0n : this.cells.get(row);
  }

  at(row: number, column = 0): bigint {
    return this.cells.get(row, column);
  }

  setAt(row: number, value: bigint, column = 0): void {
    this.cells.set(row, value, column);
  }

  addAt(row: number, delta: bigint, column = 0): void {
    this.cells.add(row, delta, column);
  }

  entries(): Map<string, bigint> {
    return new Map([...this.rows].map(([key, row]) => [key, this.cells.get(row)]));
  }
}

/** Columns of the redemptions' amounts: what a later reversal or payment is checked against. */
const EXECUTED = 0;
const SUBSIDY = 1;
/** Columns of what only some redemptions have: reversed so far, clawed back, settled (paid − recovered). */
const REVERSED = 0;
const CLAWED = 1;
const SETTLED = 2;
const NOT_RECORDED = -2;
const NO_CONTRACT = -1;
/** The redemption's rate in millionths (rates have at most six decimals), for the reversal's recorded rate. */
const millionths = (text: unknown): number => {
  const r = rate(text);
  return r ? Number((r.num * 1_000_000n) / r.den) : -1;
};

/**
 * Every redemption of the chain, by id (a reversal or a payment may come any time later): per row its executed
 * amount and subsidy (int64), its rate, contract row and year, and, sparse (most redemptions have none), what
 * reversals reversed and clawed back and payments settled. An id that a reversal or payment named before any
 * redemption recorded it has a row too, with contract NOT_RECORDED.
 */
class Redemptions {
  private readonly ids = new KeyTable(true);
  private readonly amounts = new Int64Columns(2);
  private readonly rates = new NumberColumn(Int32Array, -1);
  private readonly contracts = new NumberColumn(Int32Array, NOT_RECORDED);
  private readonly years = new NumberColumn(Uint16Array);
  private readonly later = new SparseInt64Columns(3);

  /** The row of a recorded redemption, or -1. */
  find(id: string): number {
    const row = this.ids.find(id);
    return row >= 0 && this.contracts.get(row) !== NOT_RECORDED ? row : -1;
  }

  record(id: string, values: { executed: bigint; subsidy: bigint; rate: number; contract: number; year: number }): void {
    const row = this.ids.intern(id);
    this.amounts.set(row, values.executed, EXECUTED);
    this.amounts.set(row, values.subsidy, SUBSIDY);
    if (this.later.get(row, REVERSED) !== 0n) this.later.set(row, 0n, REVERSED);
    this.rates.set(row, values.rate);
    this.contracts.set(row, values.contract);
    this.years.set(row, values.year);
  }

  executed = (row: number) => this.amounts.get(row, EXECUTED);
  subsidy = (row: number) => this.amounts.get(row, SUBSIDY);
  reversed = (row: number) => this.later.get(row, REVERSED);
  rate = (row: number) => this.rates.get(row);
  contract = (row: number) => this.contracts.get(row);
  year = (row: number) => this.years.get(row);
  clawedBack = (row: number) => this.later.get(row, CLAWED);
  settledOn = (row: number) => this.later.get(row, SETTLED);

  setReversed(row: number, value: bigint): void {
    this.later.set(row, value, REVERSED);
  }

  clawback(id: string, amount: bigint): void {
    this.later.add(this.ids.intern(id), amount, CLAWED);
  }

  settle(id: string, delta: bigint): void {
    this.later.add(this.ids.intern(id), delta, SETTLED);
  }

  /** Every recorded redemption whose contract row `wanted` accepts, in the order recorded (a walk: rare). */
  forEachRecorded(wanted: (contract: number) => boolean, visit: (id: string) => void): void {
    this.ids.forEach(
      (row) => {
        const contract = this.contracts.get(row);
        return contract >= 0 && wanted(contract);
      },
      (id) => visit(id),
    );
  }
}

function mismatch(d: Record<string, unknown>, a: Facts['amounts'], label: string, derived: bigint): string | undefined {
  return a[label] === derived ? undefined : `${label} is recorded as ${String(d[label])} but the chain gives ${yuan(derived)}`;
}

/** Columns of the usage sums. */
const GRANTED = 0;
const RESERVED = 1;

/** Columns of the contracts' sums. */
const NET_EXECUTED = 0;
/** Subsidy granted minus clawed back. */
const NET_SUBSIDY = 1;

/**
 * The rows a redemption or reversal reads and writes, found once for its check and its apply: its usage per
 * policy and per program (each for a beneficiary, bucket and year) and its contract's sums.
 */
interface EntryRows {
  policy: number;
  program: number;
  contract: number;
}

export class DerivedState {
  private readonly accounts = new Sums();
  /** Per beneficiary, bucket, year and scope: granted, and held by open claims (decision 0041); caps count both. */
  private readonly usage = new Sums(2);
  /** Per contract: net executed, and subsidy granted minus clawed back. */
  private readonly contracts = new Sums(2);
  private readonly redemptions = new Redemptions();
  private readonly closedVouchers = new Set<string>();
  /** Programs, vouchers, contracts and invoices as earlier entries established them. */
  private readonly registry = new Registry();
  /** What each co-funder still owes each program (confirmations and budget changes are checked against it). */
  private readonly funding = new FundingState();
  /** Applications and their decisions, which vouchers granted from them must follow (applications.ts). */
  private readonly applications = new ApplicationState();
  /** Listings, related-party groups and spot checks (oversight.ts, decision 0042). */
  private readonly oversight = new OversightState();
  /** Approved payment batches, and their lines until paid (settlement.ts). */
  private readonly settlement = new SettlementState();
  /**
   * Claims by redemption id (claims.ts, decision 0041). A claim is not a redemption until approved: only then is it
   * recorded in `redemptions`, so that neither a reversal nor a payment finds anything owed on it before.
   */
  private readonly claims = new ClaimState();
  /**
   * Per contract row, what its open claims hold of its sums (claimed execution, reservations): in the sums, not owed
   * (decision 0041). Approvals and the ceiling look at the rest, the contract's approved part. Rare: a Map.
   */
  private readonly openClaims = new Map<number, { executed: bigint; reserved: bigint }>();
  /**
   * Contracts that a reversal written before e240f19 (pro rata only) may have left above floor(rate × net
   * executed): the ceiling is not held against them until a reversal under the rule brings them back.
   */
  private readonly legacyExcess = new Set<string>();
  /** The first reversal written under the contract-ceiling rule: the service never writes the older shape after it. */
  private firstCeilingReversal: number | undefined;
  /** The account rows of the last applied entry's postings, for negativeAccount. */
  private postingRows: number[] = [];
  /** The rows of the entry last asked for, which check, apply and contractCeiling all need. */
  private resolved: { entry: Entry; rows: EntryRows } | undefined;

  private balance = (account: string) => this.accounts.get(account);

  /** Account sums of every posting applied so far. */
  get balances(): Map<string, bigint> {
    return this.accounts.entries();
  }

  /**
   * Compares the entry's recorded inputs with the state derived from every earlier entry; then, while a listing or a
   * related-party group is on the chain (decision 0042), the parties it gives money to or takes a claim from.
   */
  check(entry: Entry, facts: Facts): string | undefined {
    return this.chainProblem(entry, facts) ?? (this.oversight.guarding ? this.oversight.partyProblem(entry) : undefined);
  }

  private chainProblem(entry: Entry, facts: Facts): string | undefined {
    const d = entry.data;
    const a = facts.amounts;
    const same = (label: string, derived: bigint) => mismatch(d, a, label, derived);
    const reversal = entry.type === 'redemption.reversed';
    const reversed = reversal ? this.redemptions.find(String(d['redemptionId'])) : -1;
    if (reversal && reversed < 0) return this.unrecordedReversal(String(d['redemptionId']));
    const repeated = this.registry.check(entry, reversal ? this.link(reversed) : undefined);
    if (repeated) return repeated;
    if (entry.type === 'program.funded' || entry.type === 'program.budget_changed') return this.funding.check(entry, facts, this.balance);
    if (APPLICATION_TYPES.has(entry.type)) return this.applications.check(entry, facts, this.registry.program(String(d['programId'])));
    if (PAYMENT_TYPES.has(entry.type)) return this.settlement.check(entry, this.registry.program(String(d['programId'])), this.redemptionAccounts);
    switch (entry.type) {
      case 'program.closed':
        return closeProblem(entry, facts, this.closingView);
      case 'watchlist.listed':
      case 'watchlist.delisted':
      case 'related_parties.declared':
        return this.oversight.check(entry, undefined, this.approvedRedemptions);
      case 'spot_check.drawn':
      case 'spot_check.result_recorded':
        return this.oversight.check(entry, this.registry.program(String(d['programId'])), this.approvedRedemptions);
      case 'redemption.recorded':
        return this.redemptionInputsProblem(entry, facts);
      case 'claim.submitted':
        return this.redemptionInputsProblem(entry, facts) ?? this.claims.check(entry, facts, this.registry.program(String(d['programId'])));
      case 'claim.confirmed':
      case 'claim.disputed':
      case 'claim.resubmitted':
      case 'claim.returned':
        return this.claims.check(entry, facts, this.registry.program(String(d['programId'])));
      case 'claim.approved':
      case 'claim.rejected':
      case 'claim.withdrawn':
      case 'claim.lapsed': {
        const problem = this.claims.check(entry, facts, this.registry.program(String(d['programId'])));
        if (problem) return problem;
        // The claim exists and the entry repeats its contract (checked just above).
        const contract = this.claimRows(this.claims.get(String(d['redemptionId']))!).contract;
        const expectedTarget = this.closedVouchers.has(String(d['voucherId'])) ? 'program' : 'voucher';
        return (
          same('contractNetExecutedBefore', this.contracts.at(contract, NET_EXECUTED)) ??
          (entry.type === 'claim.approved'
            ? (same('contractNetSubsidyBefore', this.contracts.at(contract, NET_SUBSIDY)) ??
              same('openClaimsExecuted', this.heldByOpenClaims(contract).executed) ??
              same('openClaimsReserved', this.heldByOpenClaims(contract).reserved))
            : undefined) ??
          (d['returnedTo'] === expectedTarget
            ? undefined
            : `returns the reservation to the ${String(d['returnedTo'])}, but the voucher's state says ${expectedTarget}`)
        );
      }
      case 'redemption.reversed': {
        // Without this, a forger could drop the four members and claw back pro rata only, keeping the excess.
        if (!('proRataClawback' in d) && this.firstCeilingReversal !== undefined)
          return `a reversal in the shape written before e240f19 (pro rata only) comes after seq ${this.firstCeilingReversal}, written under the contract-ceiling rule`;
        const expectedTarget = this.closedVouchers.has(String(d['voucherId'])) ? 'program' : 'voucher';
        if (d['returnedTo'] !== expectedTarget) return `returns the clawback to the ${String(d['returnedTo'])}, but the voucher's state says ${expectedTarget}`;
        if (this.openClaims.size > 0 && this.openClaims.has(this.rowsOf(entry).contract))
          return `reverses on contract ${String(d['contractId'])} while claims on it are open: their reservations are not owed (decision 0041)`;
        return (
          same('redemptionExecutedAmount', this.redemptions.executed(reversed)) ??
          same('redemptionSubsidy', this.redemptions.subsidy(reversed)) ??
          same('reversedBefore', this.redemptions.reversed(reversed)) ??
          same('netExecutedBefore', this.contracts.at(this.rowsOf(entry).contract, NET_EXECUTED)) ??
          ('proRataClawback' in d ? this.contractState(entry, reversed) : undefined)
        );
      }
      case 'voucher.revoked':
      case 'voucher.expired': {
        const voucherId = String(d['voucherId']);
        if (this.closedVouchers.has(voucherId)) return `voucher ${voucherId} was already closed`;
        return same('returned', this.balance(`voucher:${voucherId}`));
      }
      case 'voucher.issued': {
        const available = this.balance(`program:${String(d['programId'])}`);
        const amount = a['amount'] ?? 0n;
        if (amount > available) return `issues ${String(d['amount'])} from a program holding ${yuan(available)}`;
        return this.applications.check(entry, facts, this.registry.program(String(d['programId'])));
      }
      default:
        return undefined;
    }
  }

  /** A redemption's, or a claim's submission's, recorded "before" values against the chain. */
  private redemptionInputsProblem(entry: Entry, facts: Facts): string | undefined {
    const d = entry.data;
    const same = (label: string, derived: bigint) => mismatch(d, facts.amounts, label, derived);
    const voucherId = String(d['voucherId']);
    if (this.closedVouchers.has(voucherId)) return `voucher ${voucherId} was already closed`;
    const id = String(d['redemptionId']);
    if (this.redemptions.find(id) >= 0 || (this.claims.size > 0 && this.claims.get(id) !== undefined)) return `redemption ${id} is recorded twice`;
    const rows = this.rowsOf(entry);
    return (
      same('voucherBalanceBefore', this.balance(`voucher:${voucherId}`)) ??
      same('annualUsedBefore', this.used(rows.policy)) ??
      same('programUsedBefore', this.used(rows.program)) ??
      same('netExecutedBefore', this.contracts.at(rows.contract, NET_EXECUTED))
    );
  }

  /** A reversal of a redemption the chain does not hold, or of a claim not approved (decision 0041). */
  private unrecordedReversal(id: string): string {
    const status = this.claims.size > 0 ? this.claims.unapproved(id) : undefined;
    return status
      ? `reverses claim ${id}, which is ${status}: only an approved claim can be reversed, nothing is owed on it before`
      : `reverses redemption ${id}, which the chain does not hold before it`;
  }

  /** Applies the entry's postings and, when it is well-formed (shapes.ts), what it establishes. */
  apply(entry: Entry, facts: Facts, wellFormed = true): void {
    const postings = entry.postings;
    this.postingRows.length = postings.length;
    for (let i = 0; i < postings.length; i++) {
      const row = this.accounts.row(postings[i]!.account);
      this.postingRows[i] = row;
      this.accounts.addAt(row, facts.postings[i] ?? 0n);
    }
    if (!wellFormed) return;
    const contractRow = this.registry.apply(entry);
    this.funding.apply(entry, facts);
    if (entry.type === 'voucher.issued' || APPLICATION_TYPES.has(entry.type)) this.applications.apply(entry, facts);
    if (PAYMENT_TYPES.has(entry.type)) this.settlement.apply(entry, shanghaiDate(entry.recordedAt), this.redemptionAccounts);
    if (entry.type === 'redemption.recorded') this.applyRedemption(entry, facts, contractRow);
    else if (entry.type === 'redemption.reversed') this.applyReversal(entry, facts);
    else if (entry.type === 'voucher.revoked' || entry.type === 'voucher.expired') this.closedVouchers.add(String(entry.data['voucherId']));
    else if (CLAIM_TYPES.has(entry.type)) this.applyClaim(entry, facts, contractRow);
    else if (OVERSIGHT_TYPES.has(entry.type)) this.oversight.apply(entry);
    else if (entry.type === 'program.closed') {
      // The close expires every voucher it lists: their balances went back to the program (decision 0042).
      for (const voucher of entry.data['vouchers'] as Record<string, unknown>[]) this.closedVouchers.add(String(voucher['voucherId']));
      this.oversight.closed++;
    }
  }

  /** The chain before a close, for its check (closing.ts). */
  private readonly closingView: ClosingView = {
    program: (id) => this.registry.program(id),
    activeVouchers: (programId) =>
      this.registry
        .vouchersOf(programId)
        .filter((id) => !this.closedVouchers.has(id))
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    balance: this.balance,
    funder: (programId, region) => this.funding.counters(programId, region),
    openClaims: (programId) => (this.claims.size > 0 ? this.claims.openIn(programId) : 0),
  };

  /**
   * A program's approved redemptions, for a spot check's draw (decision 0042): a walk over every redemption the
   * chain holds (their ids are in `redemptions`' key table already), keeping nothing more per redemption.
   */
  private readonly approvedRedemptions: ApprovedRedemptions = {
    forEach: (programId, visit) => {
      let lastContract = -1;
      let lastMatch = false;
      this.redemptions.forEachRecorded((contract) => {
        if (contract !== lastContract) {
          lastContract = contract;
          lastMatch = this.programOfContract(contract) === programId;
        }
        return lastMatch;
      }, visit);
    },
    has: (programId, id) => {
      const row = this.redemptions.find(id);
      const contract = row < 0 ? -1 : this.redemptions.contract(row);
      return contract >= 0 && this.programOfContract(contract) === programId;
    },
  };

  private programOfContract(row: number): string | undefined {
    const contract = this.registry.contract(row);
    return contract && this.registry.voucherProgram(contract.voucherId);
  }

  /** What the oversight entries leave (decision 0042), or undefined when the chain has none (the report then says nothing of them). */
  get oversightSummary(): OversightSummary | undefined {
    return this.oversight.any ? this.oversight.summary() : undefined;
  }

  /**
   * A submission holds what a redemption would use (usage, the contract's net executed and net subsidy); an approval
   * gives back the released part and makes the claim a redemption of the basis and the approved subsidy; a release
   * gives everything back (decision 0041).
   */
  private applyClaim(entry: Entry, facts: Facts, contractRow: number | undefined): void {
    const d = entry.data;
    const a = facts.amounts;
    const id = String(d['redemptionId']);
    if (entry.type === 'claim.submitted') {
      if (this.claims.get(id) !== undefined) return;
      const reserved = a['subsidy'] ?? 0n;
      const rows = this.rowsOf(entry);
      this.usage.addAt(rows.policy, reserved, RESERVED);
      this.usage.addAt(rows.program, reserved, RESERVED);
      this.contracts.setAt(rows.contract, a['netExecutedAfter'] ?? 0n, NET_EXECUTED);
      this.contracts.addAt(rows.contract, reserved, NET_SUBSIDY);
      this.holdOnContract(rows.contract, a['executedAmount'] ?? 0n, reserved);
      this.claims.apply(entry, facts, contractRow);
      return;
    }
    const claim = this.claims.get(id);
    const approval = entry.type === 'claim.approved';
    if (claim && (approval || CLAIM_RELEASES.has(entry.type))) {
      const givenBack = (approval ? a['released'] : a['reserved']) ?? 0n;
      const held = a['reserved'] ?? 0n;
      const rows = this.claimRows(claim);
      // The reservation ends: what is approved becomes granted, the rest is free again.
      for (const row of [rows.policy, rows.program]) {
        this.usage.addAt(row, -held, RESERVED);
        if (approval) this.usage.addAt(row, a['subsidy'] ?? 0n, GRANTED);
      }
      this.contracts.setAt(rows.contract, a['contractNetExecutedAfter'] ?? 0n, NET_EXECUTED);
      this.contracts.addAt(rows.contract, -givenBack, NET_SUBSIDY);
      this.holdOnContract(rows.contract, -(a['executedAmount'] ?? 0n), -held);
      const perMillion = millionths(claim.inputs.rate);
      if (approval)
        this.redemptions.record(id, {
          executed: a['basis'] ?? 0n,
          subsidy: a['subsidy'] ?? 0n,
          rate: perMillion,
          contract: claim.contractRow < 0 ? NO_CONTRACT : claim.contractRow,
          year: claim.year,
        });
    }
    this.claims.apply(entry, facts, undefined);
  }

  /** What counts against a cap on a usage row: granted, and held by open claims. */
  private used(row: number): bigint {
    return this.usage.at(row, GRANTED) + this.usage.at(row, RESERVED);
  }

  private holdOnContract(contract: number, executed: bigint, reserved: bigint): void {
    const open = this.openClaims.get(contract) ?? { executed: 0n, reserved: 0n };
    open.executed += executed;
    open.reserved += reserved;
    if (open.executed === 0n && open.reserved === 0n) this.openClaims.delete(contract);
    else this.openClaims.set(contract, open);
  }

  /** What the contract's open claims hold (none for most contracts). */
  private heldByOpenClaims(contract: number): { executed: bigint; reserved: bigint } {
    return (this.openClaims.size > 0 && this.openClaims.get(contract)) || { executed: 0n, reserved: 0n };
  }

  /** A claim's usage rows and contract row, by what its submission recorded. */
  private claimRows(claim: ClaimFacts): EntryRows {
    const usage = this.usageRows({ bucket: claim.bucket, year: claim.year, policyId: claim.policyId, programId: claim.programId }, claim.beneficiaryUscc);
    return { policy: usage.policy, program: usage.program, contract: this.contracts.row(claim.contractId) };
  }

  /** The claims the chain leaves, or undefined when it has none (its report then says nothing of claims). */
  get claimSummary(): ClaimSummary | undefined {
    return this.claims.size > 0 ? this.claims.summary() : undefined;
  }

  /** What only the end of the chain shows: a claim whose reservation is neither open, approved nor released. */
  endOfChainProblems(): [number, string][] {
    return this.claims.size > 0 ? this.claims.endProblems(this.balance) : [];
  }

  private applyRedemption(entry: Entry, facts: Facts, contractRow: number | undefined): void {
    const d = entry.data;
    const a = facts.amounts;
    const subsidy = a['subsidy'] ?? 0n;
    const rows = this.rowsOf(entry);
    this.usage.addAt(rows.policy, subsidy, GRANTED);
    this.usage.addAt(rows.program, subsidy, GRANTED);
    this.contracts.setAt(rows.contract, a['netExecutedAfter'] ?? 0n, NET_EXECUTED);
    // A repeated redemption id (already reported by check()) takes the later values.
    this.redemptions.record(String(d['redemptionId']), {
      executed: a['executedAmount'] ?? 0n,
      subsidy,
      rate: millionths(d['rate']),
      contract: contractRow ?? NO_CONTRACT,
      year: Number(d['year']) || 0,
    });
    this.contracts.addAt(rows.contract, subsidy, NET_SUBSIDY);
  }

  private applyReversal(entry: Entry, facts: Facts): void {
    const d = entry.data;
    const a = facts.amounts;
    const clawback = a['clawback'] ?? 0n;
    const rows = this.rowsOf(entry);
    // Usage is given back never below zero (the excess clawed back may have been granted in another year), and only
    // from what was granted: what open claims hold stays held.
    for (const row of [rows.policy, rows.program]) {
      const left = this.usage.at(row, GRANTED) - clawback;
      this.usage.setAt(row, left > 0n ? left : 0n, GRANTED);
    }
    const contractId = String(d['contractId']);
    this.contracts.addAt(rows.contract, -clawback, NET_SUBSIDY);
    this.redemptions.clawback(String(d['redemptionId']), clawback);
    this.contracts.setAt(rows.contract, a['netExecutedAfter'] ?? 0n, NET_EXECUTED);
    const row = this.redemptions.find(String(d['redemptionId']));
    const reversedAfter = a['reversedAfter'];
    if (reversedAfter !== undefined && row >= 0) this.redemptions.setReversed(row, reversedAfter);
    if ('proRataClawback' in d) {
      this.legacyExcess.delete(contractId);
      this.firstCeilingReversal ??= entry.seq;
    } else this.legacyExcess.add(contractId);
  }

  /** A reversal's recorded contract state against the chain: the contract's net subsidy and the redemption's rate. */
  private contractState(entry: Entry, row: number): string | undefined {
    const d = entry.data;
    const held = this.contracts.at(this.rowsOf(entry).contract, NET_SUBSIDY);
    const recorded = d['contractNetSubsidyBefore'];
    if (fen(recorded) !== held) return `contractNetSubsidyBefore is recorded as ${String(recorded)} but the chain gives ${yuan(held)}`;
    if (millionths(d['rate']) !== this.redemptions.rate(row)) return `rate ${String(d['rate'])} is not the rate of redemption ${String(d['redemptionId'])}`;
    return undefined;
  }

  /** Per redemption, for the payment checks: its subsidy, program and provider, what was clawed back and settled. */
  private readonly redemptionAccounts: RedemptionAccounts = {
    facts: (id: string): RedemptionFacts | undefined => {
      const row = this.redemptions.find(id);
      if (row < 0) return undefined;
      const contract = this.registry.contract(this.redemptions.contract(row));
      return {
        subsidy: this.redemptions.subsidy(row),
        programId: contract && this.registry.voucherProgram(contract.voucherId),
        providerUscc: contract?.providerUscc,
        clawedBack: this.redemptions.clawedBack(row),
        settled: this.redemptions.settledOn(row),
      };
    },
    unapprovedClaim: (id: string) => (this.claims.size > 0 ? this.claims.unapproved(id) : undefined),
    settle: (id: string, delta: bigint) => this.redemptions.settle(id, delta),
  };

  private link(row: number) {
    const contract = this.redemptions.contract(row);
    return contract < 0 ? undefined : { contract, year: this.redemptions.year(row) };
  }

  /**
   * Once a redemption or reversal is applied: the contract keeps no more than floor(rate × net executed), the
   * rate being its redemptions' (one program bucket per contract, so one rate).
   */
  contractCeiling(entry: Entry): string | undefined {
    const d = entry.data;
    const recorded = entry.type === 'redemption.recorded';
    // An approved claim becomes a redemption (decision 0041); a submission owes nothing, so leaves the approved part as it was.
    const approved = entry.type === 'claim.approved';
    if (!recorded && !approved && entry.type !== 'redemption.reversed') return undefined;
    const contractId = String(recorded ? (d['contract'] as Record<string, unknown>)['id'] : d['contractId']);
    if (this.legacyExcess.has(contractId)) return undefined;
    const row = this.redemptions.find(String(d['redemptionId']));
    const perMillion = row < 0 ? 0 : this.redemptions.rate(row);
    if (perMillion < 0) return undefined;
    const contract = approved ? this.contracts.row(contractId) : this.rowsOf(entry).contract;
    // The contract's approved part: open claims' reservations and executions are not owed.
    const open = this.heldByOpenClaims(contract);
    const held = this.contracts.at(contract, NET_SUBSIDY) - open.reserved;
    const ceiling = (BigInt(perMillion) * (this.contracts.at(contract, NET_EXECUTED) - open.executed)) / 1_000_000n;
    return held > ceiling ? `contract ${contractId} holds a net subsidy of ${yuan(held)}, above floor(rate × net executed) = ${yuan(ceiling)}` : undefined;
  }

  /**
   * Any account of public money below zero once the entry is applied. Appropriations are the source; a payable
   * below zero is what a provider owes back after a clawback of money already paid (a receivable, decision 0019).
   */
  negativeAccount(entry: Entry): string | undefined {
    const postings = entry.postings;
    for (let i = 0; i < postings.length; i++) {
      const account = postings[i]!.account;
      if (account.startsWith('appropriation:') || account.startsWith('payable:')) continue;
      const balance = this.accounts.at(this.postingRows[i]!);
      if (balance < 0n) return `account ${account} goes negative (${yuan(balance)})`;
    }
    return undefined;
  }

  /** A redemption's or reversal's rows (see EntryRows), found once per entry. */
  private rowsOf(entry: Entry): EntryRows {
    if (this.resolved?.entry === entry) return this.resolved.rows;
    const d = entry.data;
    const contract = entry.type === 'redemption.recorded' || entry.type === 'claim.submitted' ? (d['contract'] as Record<string, unknown>) : undefined;
    const usage = this.usageRows(d, String(contract ? contract['beneficiaryUscc'] : d['beneficiaryUscc']));
    const rows = { policy: usage.policy, program: usage.program, contract: this.contracts.row(String(contract ? contract['id'] : d['contractId'])) };
    this.resolved = { entry, rows };
    return rows;
  }

  /** The last usage rows found, and what they were found by: a voucher's redemptions mostly follow one another. */
  private lastUsage: { by: unknown[]; policy: number; program: number } | undefined;

  private usageRows(d: Record<string, unknown>, uscc: string): { policy: number; program: number } {
    const by = [uscc, d['bucket'], d['year'], d['policyId'], d['programId']];
    const last = this.lastUsage;
    if (last && by.every((value, i) => value === last.by[i])) return last;
    const tail = `${uscc}|${String(d['bucket'])}|${String(d['year'])}`;
    const rows = {
      by,
      policy: this.usage.row(`policy:${String(d['policyId'])}|${tail}`),
      program: this.usage.row(`program:${String(d['programId'])}|${tail}`),
    };
    this.lastUsage = rows;
    return rows;
  }
}
