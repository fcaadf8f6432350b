// With the whole chain in hand, the verifier re-derives what each redemption recorded as its "before"
// values (voucher balance, annual usage, contract net executed) instead of trusting them.
import { fen, yuan } from './arithmetic.js';
import type { Entry } from './entry.js';

interface RedemptionState {
  executed: bigint;
  subsidy: bigint;
  reversed: bigint;
}

export class DerivedState {
  readonly balances = new Map<string, bigint>();
  private readonly usage = new Map<string, bigint>();
  private readonly netExecuted = new Map<string, bigint>();
  private readonly redemptions = new Map<string, RedemptionState>();
  private readonly closedVouchers = new Set<string>();

  private balance = (account: string) => this.balances.get(account) ?? 0n;
  private used = (key: string) => this.usage.get(key) ?? 0n;

  /** Compares the entry's recorded inputs with the state derived from every earlier entry. */
  check(entry: Entry): string | undefined {
    const d = entry.data;
    const same = (label: string, recorded: unknown, derived: bigint) =>
      fen(recorded) === derived ? undefined : `${label} is recorded as ${String(recorded)} but the chain gives ${yuan(derived)}`;
    switch (entry.type) {
      case 'redemption.recorded': {
        const contract = d['contract'] as Record<string, unknown>;
        const voucherId = String(d['voucherId']);
        if (this.closedVouchers.has(voucherId)) return `voucher ${voucherId} was already closed`;
        if (this.redemptions.has(String(d['redemptionId']))) return `redemption ${String(d['redemptionId'])} is recorded twice`;
        const keys = this.usageKeys(d, String(contract['beneficiaryUscc']));
        return (
          same('voucherBalanceBefore', d['voucherBalanceBefore'], this.balance(`voucher:${voucherId}`)) ??
          same('annualUsedBefore', d['annualUsedBefore'], this.used(keys.policy)) ??
          same('programUsedBefore', d['programUsedBefore'], this.used(keys.program)) ??
          same('netExecutedBefore', d['netExecutedBefore'], this.netExecuted.get(String(contract['id'])) ?? 0n)
        );
      }
      case 'redemption.reversed': {
        const redemption = this.redemptions.get(String(d['redemptionId']));
        if (!redemption) return `reverses redemption ${String(d['redemptionId'])}, which the chain does not hold before it`;
        const expectedTarget = this.closedVouchers.has(String(d['voucherId'])) ? 'program' : 'voucher';
        if (d['returnedTo'] !== expectedTarget) return `returns the clawback to the ${String(d['returnedTo'])}, but the voucher's state says ${expectedTarget}`;
        return (
          same('redemptionExecutedAmount', d['redemptionExecutedAmount'], redemption.executed) ??
          same('redemptionSubsidy', d['redemptionSubsidy'], redemption.subsidy) ??
          same('reversedBefore', d['reversedBefore'], redemption.reversed) ??
          same('netExecutedBefore', d['netExecutedBefore'], this.netExecuted.get(String(d['contractId'])) ?? 0n)
        );
      }
      case 'voucher.revoked':
      case 'voucher.expired': {
        const voucherId = String(d['voucherId']);
        if (this.closedVouchers.has(voucherId)) return `voucher ${voucherId} was already closed`;
        return same('returned', d['returned'], this.balance(`voucher:${voucherId}`));
      }
      case 'voucher.issued': {
        const available = this.balance(`program:${String(d['programId'])}`);
        const amount = fen(d['amount']) ?? 0n;
        return amount > available ? `issues ${String(d['amount'])} from a program holding ${yuan(available)}` : undefined;
      }
      default:
        return undefined;
    }
  }

  apply(entry: Entry): void {
    for (const p of entry.postings) this.balances.set(p.account, this.balance(p.account) + (fen(p.amount) ?? 0n));
    const d = entry.data;
    if (entry.type === 'redemption.recorded') {
      const contract = d['contract'] as Record<string, unknown>;
      const subsidy = fen(d['subsidy']) ?? 0n;
      const keys = this.usageKeys(d, String(contract['beneficiaryUscc']));
      this.usage.set(keys.policy, this.used(keys.policy) + subsidy);
      this.usage.set(keys.program, this.used(keys.program) + subsidy);
      this.netExecuted.set(String(contract['id']), fen(d['netExecutedAfter']) ?? 0n);
      this.redemptions.set(String(d['redemptionId']), { executed: fen(d['executedAmount']) ?? 0n, subsidy, reversed: 0n });
    } else if (entry.type === 'redemption.reversed') {
      const clawback = fen(d['clawback']) ?? 0n;
      const keys = this.usageKeys(d, String(d['beneficiaryUscc']));
      this.usage.set(keys.policy, this.used(keys.policy) - clawback);
      this.usage.set(keys.program, this.used(keys.program) - clawback);
      this.netExecuted.set(String(d['contractId']), fen(d['netExecutedAfter']) ?? 0n);
      const redemption = this.redemptions.get(String(d['redemptionId']));
      if (redemption) redemption.reversed = fen(d['reversedAfter']) ?? redemption.reversed;
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
