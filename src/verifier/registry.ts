// What earlier entries established about programs, vouchers and contracts, against which every later entry's
// repeated facts are checked: a voucher's program, region, kind, beneficiary and expiry; a contract's terms,
// its one voucher and its cap bucket; a program's policy and limits; invoices once per provider. A forger who
// rewrites one of these facts in one entry and re-hashes the chain is caught at the first entry that repeats it.
import { compareRate, fen, type Rate, rate } from './arithmetic.js';
import type { Entry } from './entry.js';

type Data = Record<string, unknown>;
type Problem = string | undefined;

interface ProgramFacts {
  region: string;
  kind: string;
  policyId: string;
  limits: Map<string, { rate: Rate; rateText: string; annualCap: bigint | null }>;
}

interface VoucherFacts {
  programId: string;
  region: string;
  kind: string;
  beneficiary: string;
  expiresOn: string;
}

export interface ContractFacts {
  id: string;
  voucherId: string;
  bucket: string;
  number: string;
  providerUscc: string;
  beneficiaryUscc: string;
  amount: string;
  autonomous: unknown;
  signedOn: string;
}

/** What a reversal is checked against: its redemption's contract (by row) and year. */
export interface RedemptionLink {
  contract: number;
  year: number;
}

const differs = (label: string, recorded: unknown, source: string, expected: unknown): string =>
  `${label} is ${JSON.stringify(recorded)} but ${source} says ${JSON.stringify(expected)}`;

/** The first of `pairs` ([label, recorded, expected]) that differs, named against `source`. */
function firstDifference(source: string, pairs: [string, unknown, unknown][]): Problem {
  for (const [label, recorded, expected] of pairs) if (recorded !== expected) return differs(label, recorded, source, expected);
  return undefined;
}

const CONTRACT_TERMS = ['number', 'providerUscc', 'beneficiaryUscc', 'amount', 'autonomous', 'signedOn'] as const;

export class Registry {
  private readonly programs = new Map<string, ProgramFacts>();
  private readonly vouchers = new Map<string, VoucherFacts>();
  private readonly contractRows = new Map<string, number>();
  private readonly contracts: ContractFacts[] = [];
  /** provider USCC, NUL, invoice number: an invoice is redeemed once per provider. */
  private readonly invoices = new Set<string>();

  contract(row: number): ContractFacts | undefined {
    return this.contracts[row];
  }

  contractOf(id: string): ContractFacts | undefined {
    const row = this.contractRows.get(id);
    return row === undefined ? undefined : this.contracts[row];
  }

  /** Why the entry's repeated facts disagree with what earlier entries established, or undefined. */
  check(entry: Entry, link: RedemptionLink | undefined): Problem {
    const d = entry.data;
    switch (entry.type) {
      case 'program.funded':
        return this.programs.has(d['programId'] as string) ? `program ${String(d['programId'])} is funded twice` : undefined;
      case 'voucher.issued': {
        const program = this.programs.get(d['programId'] as string);
        if (!program) return `issues a voucher from program ${String(d['programId'])}, which no earlier program.funded entry creates`;
        if (this.vouchers.has(d['voucherId'] as string)) return `voucher ${String(d['voucherId'])} is issued twice`;
        return firstDifference(`program ${String(d['programId'])}`, [
          ['region', d['region'], program.region],
          ['kind', d['kind'], program.kind],
        ]);
      }
      case 'voucher.revoked':
      case 'voucher.expired': {
        const voucher = this.vouchers.get(d['voucherId'] as string);
        if (!voucher) return `closes voucher ${String(d['voucherId'])}, which no earlier voucher.issued entry issues`;
        return firstDifference(`voucher ${String(d['voucherId'])}`, [
          ['programId', d['programId'], voucher.programId],
          ['region', d['region'], voucher.region],
          ['kind', d['kind'], voucher.kind],
          ...(entry.type === 'voucher.expired' ? [['expiresOn', d['expiresOn'], voucher.expiresOn] as [string, unknown, unknown]] : []),
        ]);
      }
      case 'redemption.recorded':
        return this.redemptionProblem(d);
      case 'redemption.reversed':
        return link ? this.reversalProblem(d, link) : undefined;
      default:
        return undefined;
    }
  }

  private redemptionProblem(d: Data): Problem {
    const voucherId = d['voucherId'] as string;
    const voucher = this.vouchers.get(voucherId);
    if (!voucher) return `redeems voucher ${voucherId}, which no earlier voucher.issued entry issues`;
    const contract = d['contract'] as Data;
    const program = this.programs.get(voucher.programId);
    if (!program) return `redeems voucher ${voucherId}, whose program ${voucher.programId} no earlier program.funded entry creates`;
    const mismatch =
      firstDifference(`voucher ${voucherId}`, [
        ['programId', d['programId'], voucher.programId],
        ['region', d['region'], voucher.region],
        ['kind', d['kind'], voucher.kind],
        ['contract.beneficiaryUscc', contract['beneficiaryUscc'], voucher.beneficiary],
      ]) ?? firstDifference(`program ${voucher.programId}`, [['policyId', d['policyId'], program.policyId]]);
    if (mismatch) return mismatch;
    const executedOn = d['executedOn'] as string;
    if (executedOn > voucher.expiresOn) return `executedOn ${executedOn} is after voucher ${voucherId} expired on ${voucher.expiresOn}`;
    // The program's own terms for the bucket, exactly as its program.funded entry recorded them.
    const limit = program.limits.get(d['bucket'] as string);
    if (!limit) return `program ${voucher.programId} has no limits for bucket ${String(d['bucket'])}`;
    if (compareRate(rate(d['rate'])!, limit.rate) !== 0) return `rate ${String(d['rate'])} is not program ${voucher.programId}'s rate ${limit.rateText} for ${String(d['bucket'])}`;
    const programCap = d['programAnnualCap'] === null ? null : fen(d['programAnnualCap']);
    if (programCap !== limit.annualCap) return `programAnnualCap ${String(d['programAnnualCap'])} is not program ${voucher.programId}'s annual cap for ${String(d['bucket'])}`;
    const known = this.contractOf(contract['id'] as string);
    if (known) {
      // Non-repetition: a contract is subsidised through one voucher only.
      if (known.voucherId !== voucherId) return `contract ${known.id} is already subsidised through voucher ${known.voucherId}, not ${voucherId}`;
      const terms = firstDifference(`the contract's earlier redemptions`, [
        ...CONTRACT_TERMS.map((term): [string, unknown, unknown] => [`contract.${term}`, contract[term], known[term]]),
        ['bucket', d['bucket'], known.bucket],
      ]);
      if (terms) return terms;
    }
    if (this.invoices.has(`${String(contract['providerUscc'])}\u0000${String(d['invoiceNumber'])}`))
      return `invoice ${String(d['invoiceNumber'])} was already redeemed by provider ${String(contract['providerUscc'])}`;
    return undefined;
  }

  private reversalProblem(d: Data, link: RedemptionLink): Problem {
    const contract = this.contracts[link.contract];
    const voucher = contract && this.vouchers.get(contract.voucherId);
    const program = voucher && this.programs.get(voucher.programId);
    if (!contract || !voucher || !program) return `reverses redemption ${String(d['redemptionId'])}, whose contract or voucher the chain does not hold`;
    return firstDifference(`redemption ${String(d['redemptionId'])}`, [
      ['contractId', d['contractId'], contract.id],
      ['voucherId', d['voucherId'], contract.voucherId],
      ['programId', d['programId'], voucher.programId],
      ['region', d['region'], voucher.region],
      ['kind', d['kind'], voucher.kind],
      // The clawback is paid back from the payable the subsidy was paid to.
      ['providerUscc', d['providerUscc'], contract.providerUscc],
      ['beneficiaryUscc', d['beneficiaryUscc'], voucher.beneficiary],
      ['policyId', d['policyId'], program.policyId],
      ['bucket', d['bucket'], contract.bucket],
      // Cap is freed in the year of the original execution.
      ['year', d['year'], link.year],
    ]);
  }

  /** Records what the entry establishes; for a redemption, returns its contract's row. */
  apply(entry: Entry): number | undefined {
    const d = entry.data;
    switch (entry.type) {
      case 'program.funded': {
        if (this.programs.has(d['programId'] as string)) return undefined;
        const limits: ProgramFacts['limits'] = new Map();
        for (const [bucket, limit] of Object.entries(d['limits'] as Record<string, Data>))
          limits.set(bucket, { rate: rate(limit['rate'])!, rateText: String(limit['rate']), annualCap: limit['annualCap'] === null ? null : fen(limit['annualCap'])! });
        this.programs.set(d['programId'] as string, { region: d['region'] as string, kind: d['kind'] as string, policyId: d['policyId'] as string, limits });
        return undefined;
      }
      case 'voucher.issued': {
        if (this.vouchers.has(d['voucherId'] as string)) return undefined;
        const beneficiary = (d['beneficiary'] as Data)['uscc'] as string;
        this.vouchers.set(d['voucherId'] as string, { programId: d['programId'] as string, region: d['region'] as string, kind: d['kind'] as string, beneficiary, expiresOn: d['expiresOn'] as string });
        return undefined;
      }
      case 'redemption.recorded': {
        const contract = d['contract'] as Data;
        this.invoices.add(`${String(contract['providerUscc'])}\u0000${String(d['invoiceNumber'])}`);
        const id = contract['id'] as string;
        const row = this.contractRows.get(id);
        if (row !== undefined) return row;
        this.contractRows.set(id, this.contracts.length);
        this.contracts.push({
          id,
          voucherId: d['voucherId'] as string,
          bucket: d['bucket'] as string,
          number: contract['number'] as string,
          providerUscc: contract['providerUscc'] as string,
          beneficiaryUscc: contract['beneficiaryUscc'] as string,
          amount: contract['amount'] as string,
          autonomous: contract['autonomous'],
          signedOn: contract['signedOn'] as string,
        });
        return this.contracts.length - 1;
      }
      default:
        return undefined;
    }
  }
}
