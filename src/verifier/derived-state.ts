// With the whole chain in hand, the verifier re-derives what each redemption recorded as its "before"
// values (voucher balance, annual usage, contract net executed) instead of trusting them.
import { yuan } from './arithmetic.js';
import type { Entry, Facts } from './entry.js';

interface RedemptionState {
  executed: bigint;
  subsidy: bigint;
  reversed: bigint;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const fitsInt64 = (value: bigint) => value >= INT64_MIN && value <= INT64_MAX;

/**
 * Every redemption of the chain (a reversal may come any time later), kept compactly: the id maps to a row
 * of three int64 columns instead of an object of three bigints, about a third of the memory at a million
 * redemptions. Amounts that do not fit in 64 bits (never genuine: 13 integer digits at most) keep an object.
 */
class Redemptions {
  private readonly rows = new Map<string, number>();
  private columns = new BigInt64Array(3 * 1024);
  private readonly wide = new Map<number, RedemptionState>();

  has(id: string): boolean {
    return this.rows.has(id);
  }

  get(id: string): RedemptionState | undefined {
    const row = this.rows.get(id);
    if (row === undefined) return undefined;
    return this.wide.get(row) ?? { executed: this.columns[3 * row]!, subsidy: this.columns[3 * row + 1]!, reversed: this.columns[3 * row + 2]! };
  }

  /** Records a redemption (a repeated id, already reported by check(), takes the later values). */
  set(id: string, state: RedemptionState): void {
    let row = this.rows.get(id);
    if (row === undefined) {
      row = this.rows.size;
      this.rows.set(id, row);
    }
    if (3 * row + 3 > this.columns.length) {
      const grown = new BigInt64Array(this.columns.length * 2);
      grown.set(this.columns);
      this.columns = grown;
    }
    this.write(row, state);
  }

  setReversed(id: string, reversed: bigint): void {
    const row = this.rows.get(id);
    if (row === undefined) return;
    this.write(row, { ...this.get(id)!, reversed });
  }

  private write(row: number, state: RedemptionState): void {
    if (fitsInt64(state.executed) && fitsInt64(state.subsidy) && fitsInt64(state.reversed)) {
      this.wide.delete(row);
      this.columns[3 * row] = state.executed;
      this.columns[3 * row + 1] = state.subsidy;
      this.columns[3 * row + 2] = state.reversed;
    } else this.wide.set(row, state);
  }
}

function mismatch(d: Record<string, unknown>, a: Facts['amounts'], label: string, derived: bigint): string | undefined {
  return a[label] === derived ? undefined : `${label} is recorded as ${String(d[label])} but the chain gives ${yuan(derived)}`;
}

export class DerivedState {
  readonly balances = new Map<string, bigint>();
  private readonly usage = new Map<string, bigint>();
  private readonly netExecuted = new Map<string, bigint>();
  private readonly redemptions = new Redemptions();
  private readonly closedVouchers = new Set<string>();

  private balance = (account: string) => this.balances.get(account) ?? 0n;
  private used = (key: string) => this.usage.get(key) ?? 0n;

  /** Compares the entry's recorded inputs with the state derived from every earlier entry. */
  check(entry: Entry, facts: Facts): string | undefined {
    const d = entry.data;
    const a = facts.amounts;
    const same = (label: string, derived: bigint) => mismatch(d, a, label, derived);
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
          same('netExecutedBefore', this.netExecuted.get(String(contract['id'])) ?? 0n)
        );
      }
      case 'redemption.reversed': {
        const redemption = this.redemptions.get(String(d['redemptionId']));
        if (!redemption) return `reverses redemption ${String(d['redemptionId'])}, which the chain does not hold before it`;
        const expectedTarget = this.closedVouchers.has(String(d['voucherId'])) ? 'program' : 'voucher';
        if (d['returnedTo'] !== expectedTarget) return `returns the clawback to the ${String(d['returnedTo'])}, but the voucher's state says ${expectedTarget}`;
        return (
          same('redemptionExecutedAmount', redemption.executed) ??
          same('redemptionSubsidy', redemption.subsidy) ??
          same('reversedBefore', redemption.reversed) ??
          same('netExecutedBefore', this.netExecuted.get(String(d['contractId'])) ?? 0n)
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

  apply(entry: Entry, facts: Facts): void {
    const postings = entry.postings;
    for (let i = 0; i < postings.length; i++) {
      const account = postings[i]!.account;
      this.balances.set(account, this.balance(account) + (facts.postings[i] ?? 0n));
    }
    const d = entry.data;
    const a = facts.amounts;
    if (entry.type === 'redemption.recorded') {
      const contract = d['contract'] as Record<string, unknown>;
      const subsidy = a['subsidy'] ?? 0n;
      const keys = this.usageKeys(d, String(contract['beneficiaryUscc']));
      this.usage.set(keys.policy, this.used(keys.policy) + subsidy);
      this.usage.set(keys.program, this.used(keys.program) + subsidy);
      this.netExecuted.set(String(contract['id']), a['netExecutedAfter'] ?? 0n);
      this.redemptions.set(String(d['redemptionId']), { executed: a['executedAmount'] ?? 0n, subsidy, reversed: 0n });
    } else if (entry.type === 'redemption.reversed') {
      const clawback = a['clawback'] ?? 0n;
      const keys = this.usageKeys(d, String(d['beneficiaryUscc']));
      this.usage.set(keys.policy, this.used(keys.policy) - clawback);
      this.usage.set(keys.program, this.used(keys.program) - clawback);
      this.netExecuted.set(String(d['contractId']), a['netExecutedAfter'] ?? 0n);
      const reversedAfter = a['reversedAfter'];
      if (reversedAfter !== undefined) this.redemptions.setReversed(String(d['redemptionId']), reversedAfter);
    } else if (entry.type === 'voucher.revoked' || entry.type === 'voucher.expired') {
      this.closedVouchers.add(String(d['voucherId']));
    }
  }

  /** Any account of public money below zero once the entry is applied (appropriations are the source). */
  negativeAccount(entry: Entry): string | undefined {
    const negative = entry.postings.find((p) => !p.account.startsWith('appropriation:') && this.balance(p.account) < 0n);
    return negative && `account ${negative.account} goes negative (${yuan(this.balance(negative.account))})`;
  }

  private usageKeys(d: Record<string, unknown>, uscc: string) {
    const tail = `${uscc}|${String(d['bucket'])}|${String(d['year'])}`;
    return { policy: `policy:${String(d['policyId'])}|${tail}`, program: `program:${String(d['programId'])}|${tail}` };
  }
}
