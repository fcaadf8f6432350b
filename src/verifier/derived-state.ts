// With the whole chain in hand, the verifier re-derives what each redemption recorded as its "before"
// values (voucher balance, annual usage, contract net executed) instead of trusting them.
import { fen, rate, yuan } from './arithmetic.js';
import type { Entry, Facts } from './entry.js';
import { FundingState } from './funding.js';
import { Registry } from './registry.js';
import { shanghaiDate } from './rules.js';
import { PAYMENT_TYPES, type RedemptionFacts, SettlementState } from './settlement.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const fitsInt64 = (value: bigint) => value >= INT64_MIN && value <= INT64_MAX;

/**
 * bigint amounts by key, `width` per key, in int64 columns. A Map<string, bigint> would put every updated
 * sum in a new heap BigInt that outlives the young generation, and so leave old-generation garbage behind
 * at every entry; the columns are updated in place. A value outside 64 bits (never genuine: amounts have
 * 13 integer digits at most) is kept exactly, aside.
 */
class Int64Columns {
  private readonly rows = new Map<string, number>();
  private columns: BigInt64Array;
  private readonly wide = new Map<number, bigint>();

  constructor(private readonly width: number) {
    this.columns = new BigInt64Array(width * 1024);
  }

  has(key: string): boolean {
    return this.rows.has(key);
  }

  keys(): IterableIterator<string> {
    return this.rows.keys();
  }

  /** The value in `column` for `key`; 0n for a key never set. */
  get(key: string, column = 0): bigint {
    const row = this.rows.get(key);
    return row === undefined ? 0n : this.at(row * this.width + column);
  }

  set(key: string, value: bigint, column = 0): void {
    let row = this.rows.get(key);
    if (row === undefined) {
      row = this.rows.size;
      this.rows.set(key, row);
      if ((row + 1) * this.width > this.columns.length) {
        const grown = new BigInt64Array(this.columns.length * 2);
        grown.set(this.columns);
        this.columns = grown;
      }
    }
    const cell = row * this.width + column;
    if (fitsInt64(value)) {
      this.columns[cell] = value;
      if (this.wide.size > 0) this.wide.delete(cell);
    } else this.wide.set(cell, value);
  }

  add(key: string, delta: bigint): void {
    this.set(key, this.get(key) + delta);
  }

  private at(cell: number): bigint {
    return (this.wide.size > 0 ? this.wide.get(cell) : undefined) ?? this.columns[cell]!;
  }
}

/** Columns of the redemptions store: what a later reversal is checked against. */
const EXECUTED = 0;
const SUBSIDY = 1;
const REVERSED = 2;
/** The redemption's rate in millionths (rates have at most six decimals), for the reversal's recorded rate. */
const RATE = 3;
/** The redemption's contract (its row in the registry) and the year of its execution, for its reversals. */
const CONTRACT = 4;
const YEAR = 5;
const millionths = (text: unknown): bigint | undefined => {
  const r = rate(text);
  return r && (r.num * 1_000_000n) / r.den;
};

function mismatch(d: Record<string, unknown>, a: Facts['amounts'], label: string, derived: bigint): string | undefined {
  return a[label] === derived ? undefined : `${label} is recorded as ${String(d[label])} but the chain gives ${yuan(derived)}`;
}

export class DerivedState {
  private readonly accounts = new Int64Columns(1);
  private readonly usage = new Int64Columns(1);
  private readonly netExecuted = new Int64Columns(1);
  /** Per contract: subsidy granted minus clawed back. */
  private readonly netSubsidy = new Int64Columns(1);
  /** Every redemption of the chain (a reversal may come any time later): executed, subsidy, reversed so far, rate, contract, year. */
  private readonly redemptions = new Int64Columns(6);
  private readonly closedVouchers = new Set<string>();
  /** Programs, vouchers, contracts and invoices as earlier entries established them. */
  private readonly registry = new Registry();
  /** What each co-funder still owes each program (confirmations and budget changes are checked against it). */
  private readonly funding = new FundingState();
  /** Approved payment batches and, per redemption, what was clawed back and settled (settlement.ts). */
  private readonly settlement = new SettlementState();
  /**
   * Contracts that a reversal written before e240f19 (pro rata only) may have left above floor(rate × net
   * executed): the ceiling is not held against them until a reversal under the rule brings them back.
   */
  private readonly legacyExcess = new Set<string>();
  /** The first reversal written under the contract-ceiling rule: the service never writes the older shape after it. */
  private firstCeilingReversal: number | undefined;

  private balance = (account: string) => this.accounts.get(account);
  private used = (key: string) => this.usage.get(key);

  /** Account sums of every posting applied so far. */
  get balances(): Map<string, bigint> {
    return new Map([...this.accounts.keys()].map((account) => [account, this.accounts.get(account)]));
  }

  /** Compares the entry's recorded inputs with the state derived from every earlier entry. */
  check(entry: Entry, facts: Facts): string | undefined {
    const d = entry.data;
    const a = facts.amounts;
    const same = (label: string, derived: bigint) => mismatch(d, a, label, derived);
    if (entry.type === 'redemption.reversed' && !this.redemptions.has(String(d['redemptionId'])))
      return `reverses redemption ${String(d['redemptionId'])}, which the chain does not hold before it`;
    const repeated = this.registry.check(entry, entry.type === 'redemption.reversed' ? this.link(String(d['redemptionId'])) : undefined);
    if (repeated) return repeated;
    if (entry.type === 'program.funded' || entry.type === 'program.budget_changed') return this.funding.check(entry, facts, this.balance);
    if (PAYMENT_TYPES.has(entry.type)) return this.settlement.check(entry, this.registry.program(String(d['programId'])), this.redemptionFacts);
    switch (entry.type) {
      case 'redemption.recorded': {
        const contract = d['contract'] as Record<string, unknown>;
        const voucherId = String(d['voucherId']);
        if (this.closedVouchers.has(voucherId)) return `voucher ${voucherId} was already closed`;
        if (this.redemptions.has(String(d['redemptionId']))) return `redemption ${String(d['redemptionId'])} is recorded twice`;
        const keys = this.usageKeys(d, String(contract['beneficiaryUscc']));
        return (
          same('voucherBalanceBefore', this.balance(`voucher:${voucherId}`)) ??
          same('annualUsedBefore', this.used(keys.policy)) ??
          same('programUsedBefore', this.used(keys.program)) ??
          same('netExecutedBefore', this.netExecuted.get(String(contract['id'])))
        );
      }
      case 'redemption.reversed': {
        // Without this, a forger could drop the four members and claw back pro rata only, keeping the excess.
        if (!('proRataClawback' in d) && this.firstCeilingReversal !== undefined)
          return `a reversal in the shape written before e240f19 (pro rata only) comes after seq ${this.firstCeilingReversal}, written under the contract-ceiling rule`;
        const id = String(d['redemptionId']);
        const expectedTarget = this.closedVouchers.has(String(d['voucherId'])) ? 'program' : 'voucher';
        if (d['returnedTo'] !== expectedTarget) return `returns the clawback to the ${String(d['returnedTo'])}, but the voucher's state says ${expectedTarget}`;
        return (
          same('redemptionExecutedAmount', this.redemptions.get(id, EXECUTED)) ??
          same('redemptionSubsidy', this.redemptions.get(id, SUBSIDY)) ??
          same('reversedBefore', this.redemptions.get(id, REVERSED)) ??
          same('netExecutedBefore', this.netExecuted.get(String(d['contractId']))) ??
          ('proRataClawback' in d ? this.contractState(d, id) : undefined)
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
        return amount > available ? `issues ${String(d['amount'])} from a program holding ${yuan(available)}` : undefined;
      }
      default:
        return undefined;
    }
  }

  /** Applies the entry's postings and, when it is well-formed (shapes.ts), what it establishes. */
  apply(entry: Entry, facts: Facts, wellFormed = true): void {
    const postings = entry.postings;
    for (let i = 0; i < postings.length; i++) this.accounts.add(postings[i]!.account, facts.postings[i] ?? 0n);
    if (!wellFormed) return;
    const contractRow = this.registry.apply(entry);
    this.funding.apply(entry, facts);
    if (PAYMENT_TYPES.has(entry.type)) this.settlement.apply(entry, shanghaiDate(entry.recordedAt));
    const d = entry.data;
    const a = facts.amounts;
    if (entry.type === 'redemption.recorded') {
      const contract = d['contract'] as Record<string, unknown>;
      const subsidy = a['subsidy'] ?? 0n;
      const keys = this.usageKeys(d, String(contract['beneficiaryUscc']));
      this.usage.add(keys.policy, subsidy);
      this.usage.add(keys.program, subsidy);
      this.netExecuted.set(String(contract['id']), a['netExecutedAfter'] ?? 0n);
      // A repeated redemption id (already reported by check()) takes the later values.
      const id = String(d['redemptionId']);
      this.redemptions.set(id, a['executedAmount'] ?? 0n, EXECUTED);
      this.redemptions.set(id, subsidy, SUBSIDY);
      this.redemptions.set(id, 0n, REVERSED);
      this.redemptions.set(id, millionths(d['rate']) ?? -1n, RATE);
      this.redemptions.set(id, BigInt(contractRow ?? -1), CONTRACT);
      this.redemptions.set(id, BigInt(Number(d['year']) || 0), YEAR);
      this.netSubsidy.add(String(contract['id']), subsidy);
    } else if (entry.type === 'redemption.reversed') {
      const clawback = a['clawback'] ?? 0n;
      const keys = this.usageKeys(d, String(d['beneficiaryUscc']));
      // Usage is given back never below zero (the excess clawed back may have been granted in another year).
      for (const key of [keys.policy, keys.program]) {
        const left = this.used(key) - clawback;
        this.usage.set(key, left > 0n ? left : 0n);
      }
      this.netSubsidy.add(String(d['contractId']), -clawback);
      this.settlement.clawback(String(d['redemptionId']), clawback);
      this.netExecuted.set(String(d['contractId']), a['netExecutedAfter'] ?? 0n);
      const id = String(d['redemptionId']);
      const reversedAfter = a['reversedAfter'];
      if (reversedAfter !== undefined && this.redemptions.has(id)) this.redemptions.set(id, reversedAfter, REVERSED);
      if ('proRataClawback' in d) {
        this.legacyExcess.delete(String(d['contractId']));
        this.firstCeilingReversal ??= entry.seq;
      } else this.legacyExcess.add(String(d['contractId']));
    } else if (entry.type === 'voucher.revoked' || entry.type === 'voucher.expired') {
      this.closedVouchers.add(String(d['voucherId']));
    }
  }

  /** A reversal's recorded contract state against the chain: the contract's net subsidy and the redemption's rate. */
  private contractState(d: Record<string, unknown>, redemptionId: string): string | undefined {
    const held = this.netSubsidy.get(String(d['contractId']));
    const recorded = d['contractNetSubsidyBefore'];
    if (fen(recorded) !== held) return `contractNetSubsidyBefore is recorded as ${String(recorded)} but the chain gives ${yuan(held)}`;
    if (millionths(d['rate']) !== this.redemptions.get(redemptionId, RATE)) return `rate ${String(d['rate'])} is not the rate of redemption ${redemptionId}`;
    return undefined;
  }

  /** A redemption's subsidy, program and provider, for the payment checks. */
  private readonly redemptionFacts = (id: string): RedemptionFacts | undefined => {
    if (!this.redemptions.has(id)) return undefined;
    const contract = this.registry.contract(Number(this.redemptions.get(id, CONTRACT)));
    return { subsidy: this.redemptions.get(id, SUBSIDY), programId: contract && this.registry.voucherProgram(contract.voucherId), providerUscc: contract?.providerUscc };
  };

  private link(redemptionId: string) {
    const contract = Number(this.redemptions.get(redemptionId, CONTRACT));
    return contract < 0 ? undefined : { contract, year: Number(this.redemptions.get(redemptionId, YEAR)) };
  }

  /**
   * Once a redemption or reversal is applied: the contract keeps no more than floor(rate × net executed), the
   * rate being its redemptions' (one program bucket per contract, so one rate).
   */
  contractCeiling(entry: Entry): string | undefined {
    const d = entry.data;
    const recorded = entry.type === 'redemption.recorded';
    if (!recorded && entry.type !== 'redemption.reversed') return undefined;
    const contractId = String(recorded ? (d['contract'] as Record<string, unknown>)['id'] : d['contractId']);
    if (this.legacyExcess.has(contractId)) return undefined;
    const perMillion = this.redemptions.get(String(d['redemptionId']), RATE);
    if (perMillion < 0n) return undefined;
    const held = this.netSubsidy.get(contractId);
    const ceiling = (perMillion * this.netExecuted.get(contractId)) / 1_000_000n;
    return held > ceiling ? `contract ${contractId} holds a net subsidy of ${yuan(held)}, above floor(rate × net executed) = ${yuan(ceiling)}` : undefined;
  }

  /**
   * Any account of public money below zero once the entry is applied. Appropriations are the source; a payable
   * below zero is what a provider owes back after a clawback of money already paid (a receivable, decision 0019).
   */
  negativeAccount(entry: Entry): string | undefined {
    const negative = entry.postings.find((p) => !p.account.startsWith('appropriation:') && !p.account.startsWith('payable:') && this.balance(p.account) < 0n);
    return negative && `account ${negative.account} goes negative (${yuan(this.balance(negative.account))})`;
  }

  private usageKeys(d: Record<string, unknown>, uscc: string) {
    const tail = `${uscc}|${String(d['bucket'])}|${String(d['year'])}`;
    return { policy: `policy:${String(d['policyId'])}|${tail}`, program: `program:${String(d['programId'])}|${tail}` };
  }
}
