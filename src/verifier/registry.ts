// What earlier entries established about programs, vouchers and contracts, against which every later entry's
// repeated facts are checked: a voucher's program, region, kind, beneficiary and expiry; a contract's terms,
// its one voucher and its cap bucket; a program's policy, limits, claim terms, period and close; invoices once
// nationwide (decision 0042; a claim's too, whatever its end: decision 0041). A forger who rewrites one of these
// facts in one entry and re-hashes the chain is caught at the first entry that repeats it.
import { type ApplicationTermsFacts, applicationTermsOf } from './applications.js';
import { compareRate, fen, type Rate, rate } from './arithmetic.js';
import { type ClaimTerms, claimTermsOf } from './claims.js';
import { type PeriodFacts, periodOf } from './closing.js';
import type { Entry } from './entry.js';
import { fundersOf, fundingFactsProblem, isConfirmation } from './funding.js';
import { KeyTable } from './key-table.js';

type Data = Record<string, unknown>;
type Problem = string | undefined;

export interface ProgramFacts {
  region: string;
  kind: string;
  policyId: string;
  limits: Map<string, { rate: Rate; rateText: string; annualCap: bigint | null }>;
  /** The funders in listed order, as the program's first program.funded entry recorded them (funding.ts). */
  funders: { region: string; ratio: string }[];
  /** Whether its redemptions need a registered provider (false for programs funded before the provider register). */
  requireRegisteredProviders: boolean;
  /** Its application round, when it issues vouchers by application (applications.ts), else null. */
  applications: ApplicationTermsFacts | null;
  /** Its claim terms when its redemptions are claims (claims.ts, decision 0041), else null. */
  claims: ClaimTerms | null;
  /** Its period when it was created with one (closing.ts, decision 0042), else null. */
  period: PeriodFacts | null;
  /** The seq of its program.closed entry, null while it is open: a closed program takes nothing new. */
  closedAt: number | null;
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
  /** The contract's registered service, null when it names none or was recorded before the provider register. */
  serviceCode: unknown;
}

/** What a reversal is checked against: its redemption's contract (by row) and year. */
export interface RedemptionLink {
  contract: number;
  year: number;
}

/** Undefined when `recorded` is `expected`; else why, naming what established it (a message only on failure). */
function same(label: string, recorded: unknown, expected: unknown, source: string, id: unknown): Problem {
  return recorded === expected
    ? undefined
    : `${label} is ${JSON.stringify(recorded)} but ${source}${id === undefined ? '' : ` ${String(id)}`} says ${JSON.stringify(expected)}`;
}

/** Whether region `outer` covers `inner` (GB/T 2260: a province its XX****, a prefecture its XXYY**, a county itself). */
function covers(outer: string, inner: string): boolean {
  if (outer.endsWith('0000')) return inner.startsWith(outer.slice(0, 2));
  if (outer.endsWith('00')) return inner.startsWith(outer.slice(0, 4));
  return inner === outer;
}

/** Why the entry adds to a closed program (decision 0042: vouchers, applications, redemptions, claims, budget increases). */
function closedProblem(d: Data, program: ProgramFacts | undefined, what: string): Problem {
  return program && program.closedAt !== null
    ? `program ${String(d['programId'])} was closed at seq ${program.closedAt}: a closed program takes no more ${what}`
    : undefined;
}

/**
 * A program that requires registered providers records, on each redemption, the registration that admitted the
 * provider, in a region covering the program's, and a compute contract's registered service; any other program
 * records none (decision 0018). A redemption written before the provider register has no providerRegistration.
 */
function registrationProblem(d: Data, program: ProgramFacts, programId: string): Problem {
  const recorded = d['providerRegistration'] as Data | null | undefined;
  if (!program.requireRegisteredProviders)
    return recorded === undefined || recorded === null
      ? undefined
      : `records a providerRegistration, but program ${programId} does not require registered providers`;
  if (recorded === undefined || recorded === null)
    return `program ${programId} requires registered providers, but the redemption records no providerRegistration`;
  const region = recorded['region'] as string;
  if (!covers(region, program.region)) return `providerRegistration.region ${region} does not cover program ${programId}'s region ${program.region}`;
  if (d['kind'] === 'compute' && (d['contract'] as Data)['serviceCode'] === null)
    return `program ${programId} requires registered providers, but the compute contract names no serviceCode`;
  return undefined;
}

/** What every redemption of a contract repeats of it, unchanged (contracts are records, never edited). */
const CONTRACT_TERMS = ['number', 'providerUscc', 'beneficiaryUscc', 'amount', 'autonomous', 'signedOn'] as const;
const CONTRACT_LABELS = CONTRACT_TERMS.map((term) => `contract.${term}`);

export class Registry {
  private readonly programs = new Map<string, ProgramFacts>();
  private readonly vouchers = new Map<string, VoucherFacts>();
  private readonly contractRows = new Map<string, number>();
  private readonly contracts: ContractFacts[] = [];
  /**
   * Invoice numbers, once nationwide, across providers and programs (decision 0042): one per redemption, so
   * compact, each with the index of the provider that used it first in `invoiceProviders` (4 bytes more per
   * invoice than the per-provider sets it replaces; naming the earlier redemption itself would cost its id).
   */
  private readonly invoices = new KeyTable('values');
  private readonly invoiceProviders: string[] = [];
  private readonly providerIndex = new Map<string, number>();
  /** The first redemption written since the provider register: the service never writes the older shape after it. */
  private firstRegisterRedemption: number | undefined;

  /** The program as its first program.funded entry set it up (funders included), or undefined. */
  program(id: string): ProgramFacts | undefined {
    return this.programs.get(id);
  }

  /** Every voucher issued from the program (a walk over all vouchers: for its close, once per program). */
  vouchersOf(programId: string): string[] {
    const ids: string[] = [];
    for (const [id, voucher] of this.vouchers) if (voucher.programId === programId) ids.push(id);
    return ids;
  }

  /** The program a voucher was issued from, as its voucher.issued entry says. */
  voucherProgram(id: string): string | undefined {
    return this.vouchers.get(id)?.programId;
  }

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
        if (isConfirmation(entry)) return fundingFactsProblem(entry, this.programs.get(d['programId'] as string));
        return this.programs.has(d['programId'] as string) ? `program ${String(d['programId'])} is funded twice` : undefined;
      case 'program.budget_changed': {
        const program = this.programs.get(d['programId'] as string);
        // Money a reversal brings back after the close goes back by closing again, not by a budget change (decision 0042).
        return fundingFactsProblem(entry, program) ?? closedProblem(d, program, 'budget changes');
      }
      case 'application.submitted':
        return closedProblem(d, this.programs.get(d['programId'] as string), 'applications');
      case 'voucher.issued': {
        const program = this.programs.get(d['programId'] as string);
        if (!program) return `issues a voucher from program ${String(d['programId'])}, which no earlier program.funded entry creates`;
        if (this.vouchers.has(d['voucherId'] as string)) return `voucher ${String(d['voucherId'])} is issued twice`;
        return (
          same('region', d['region'], program.region, 'program', d['programId']) ??
          same('kind', d['kind'], program.kind, 'program', d['programId']) ??
          closedProblem(d, program, 'vouchers') ??
          // A voucher may not outlive its program's period (decision 0042).
          (program.period && (d['expiresOn'] as string) > program.period.closesOn
            ? `expiresOn ${String(d['expiresOn'])} is after program ${String(d['programId'])}'s period closes on ${program.period.closesOn}`
            : undefined)
        );
      }
      case 'voucher.revoked':
      case 'voucher.expired': {
        const id = d['voucherId'];
        const voucher = this.vouchers.get(id as string);
        if (!voucher) return `closes voucher ${String(id)}, which no earlier voucher.issued entry issues`;
        return (
          same('programId', d['programId'], voucher.programId, 'voucher', id) ??
          same('region', d['region'], voucher.region, 'voucher', id) ??
          same('kind', d['kind'], voucher.kind, 'voucher', id) ??
          (entry.type === 'voucher.expired' ? same('expiresOn', d['expiresOn'], voucher.expiresOn, 'voucher', id) : undefined)
        );
      }
      case 'redemption.recorded':
        // Without this, a forger could drop providerRegistration and serviceCode from a redemption of a program
        // without the flag and pass it off as one written before the register.
        if (!('providerRegistration' in d) && this.firstRegisterRedemption !== undefined)
          return `a redemption in the shape written before the provider register comes after seq ${this.firstRegisterRedemption}, written since`;
        return this.redemptionProblem(d, false);
      case 'claim.submitted':
        return this.redemptionProblem(d, true);
      case 'redemption.reversed':
        return link ? this.reversalProblem(d, link) : undefined;
      default:
        return undefined;
    }
  }

  /** A redemption.recorded, or a claim.submitted (`claim`), which repeats the same facts (decision 0041). */
  private redemptionProblem(d: Data, claim: boolean): Problem {
    const voucherId = d['voucherId'] as string;
    const voucher = this.vouchers.get(voucherId);
    if (!voucher) return `redeems voucher ${voucherId}, which no earlier voucher.issued entry issues`;
    const program = this.programs.get(voucher.programId);
    if (!program) return `redeems voucher ${voucherId}, whose program ${voucher.programId} no earlier program.funded entry creates`;
    // On a program that takes claims every redemption is a claim, and only there (decision 0041).
    if (claim !== (program.claims !== null))
      return claim
        ? `program ${voucher.programId} takes no claims: its redemptions are redemption.recorded entries`
        : `program ${voucher.programId} takes claims: its redemptions are claim.submitted entries, owed only once approved`;
    const closed = closedProblem({ programId: voucher.programId }, program, claim ? 'claims' : 'redemptions');
    if (closed) return closed;
    const contract = d['contract'] as Data;
    const mismatch =
      same('programId', d['programId'], voucher.programId, 'voucher', voucherId) ??
      same('region', d['region'], voucher.region, 'voucher', voucherId) ??
      same('kind', d['kind'], voucher.kind, 'voucher', voucherId) ??
      same('contract.beneficiaryUscc', contract['beneficiaryUscc'], voucher.beneficiary, 'voucher', voucherId) ??
      same('policyId', d['policyId'], program.policyId, 'program', voucher.programId) ??
      registrationProblem(d, program, voucher.programId);
    if (mismatch) return mismatch;
    const executedOn = d['executedOn'] as string;
    if (executedOn > voucher.expiresOn) return `executedOn ${executedOn} is after voucher ${voucherId} expired on ${voucher.expiresOn}`;
    // The program's own terms for the bucket, exactly as its program.funded entry recorded them.
    const limit = program.limits.get(d['bucket'] as string);
    if (!limit) return `program ${voucher.programId} has no limits for bucket ${String(d['bucket'])}`;
    if (compareRate(rate(d['rate'])!, limit.rate) !== 0)
      return `rate ${String(d['rate'])} is not program ${voucher.programId}'s rate ${limit.rateText} for ${String(d['bucket'])}`;
    const programCap = d['programAnnualCap'] === null ? null : fen(d['programAnnualCap']);
    if (programCap !== limit.annualCap)
      return `programAnnualCap ${String(d['programAnnualCap'])} is not program ${voucher.programId}'s annual cap for ${String(d['bucket'])}`;
    const known = this.contractOf(contract['id'] as string);
    if (known) {
      // Non-repetition: a contract is subsidised through one voucher only.
      if (known.voucherId !== voucherId) return `contract ${known.id} is already subsidised through voucher ${known.voucherId}, not ${voucherId}`;
      const earlier = "the contract's earlier redemptions";
      for (let i = 0; i < CONTRACT_TERMS.length; i++) {
        const term = CONTRACT_TERMS[i]!;
        const problem = same(CONTRACT_LABELS[i]!, contract[term], known[term], earlier, undefined);
        if (problem) return problem;
      }
      const service = same('contract.serviceCode', contract['serviceCode'] ?? null, known.serviceCode, earlier, undefined);
      if (service) return service;
      const bucket = same('bucket', d['bucket'], known.bucket, earlier, undefined);
      if (bucket) return bucket;
    }
    const earlier = this.invoices.find(d['invoiceNumber'] as string);
    if (earlier >= 0) return `invoice ${String(d['invoiceNumber'])} was already redeemed by provider ${this.invoiceProviders[earlier]!}`;
    return undefined;
  }

  private reversalProblem(d: Data, link: RedemptionLink): Problem {
    const contract = this.contracts[link.contract];
    const voucher = contract && this.vouchers.get(contract.voucherId);
    const program = voucher && this.programs.get(voucher.programId);
    const id = d['redemptionId'];
    if (!contract || !voucher || !program) return `reverses redemption ${String(id)}, whose contract or voucher the chain does not hold`;
    const of = 'redemption';
    return (
      same('contractId', d['contractId'], contract.id, of, id) ??
      same('voucherId', d['voucherId'], contract.voucherId, of, id) ??
      same('programId', d['programId'], voucher.programId, of, id) ??
      same('region', d['region'], voucher.region, of, id) ??
      same('kind', d['kind'], voucher.kind, of, id) ??
      // The clawback is paid back from the payable the subsidy was paid to.
      same('providerUscc', d['providerUscc'], contract.providerUscc, of, id) ??
      same('beneficiaryUscc', d['beneficiaryUscc'], voucher.beneficiary, of, id) ??
      same('policyId', d['policyId'], program.policyId, of, id) ??
      same('bucket', d['bucket'], contract.bucket, of, id) ??
      // Cap is freed in the year of the original execution.
      same('year', d['year'], link.year, of, id)
    );
  }

  /** Records what the entry establishes; for a redemption or a claim's submission, returns its contract's row. */
  apply(entry: Entry): number | undefined {
    const d = entry.data;
    switch (entry.type) {
      case 'program.funded': {
        if (isConfirmation(entry) || this.programs.has(d['programId'] as string)) return undefined;
        const limits: ProgramFacts['limits'] = new Map();
        for (const [bucket, limit] of Object.entries(d['limits'] as Record<string, Data>))
          limits.set(bucket, {
            rate: rate(limit['rate'])!,
            rateText: String(limit['rate']),
            annualCap: limit['annualCap'] === null ? null : fen(limit['annualCap'])!,
          });
        this.programs.set(d['programId'] as string, {
          region: d['region'] as string,
          kind: d['kind'] as string,
          policyId: d['policyId'] as string,
          limits,
          funders: fundersOf(d),
          requireRegisteredProviders: d['requireRegisteredProviders'] === true,
          applications: applicationTermsOf(d),
          claims: claimTermsOf(d),
          period: periodOf(d),
          closedAt: null,
        });
        return undefined;
      }
      case 'program.closed': {
        const program = this.programs.get(d['programId'] as string);
        if (program && program.closedAt === null) program.closedAt = entry.seq;
        return undefined;
      }
      case 'voucher.issued': {
        if (this.vouchers.has(d['voucherId'] as string)) return undefined;
        const beneficiary = (d['beneficiary'] as Data)['uscc'] as string;
        this.vouchers.set(d['voucherId'] as string, {
          programId: d['programId'] as string,
          region: d['region'] as string,
          kind: d['kind'] as string,
          beneficiary,
          expiresOn: d['expiresOn'] as string,
        });
        return undefined;
      }
      case 'redemption.recorded':
      case 'claim.submitted': {
        if ('providerRegistration' in d) this.firstRegisterRedemption ??= entry.seq;
        const contract = d['contract'] as Data;
        const provider = contract['providerUscc'] as string;
        let index = this.providerIndex.get(provider);
        if (index === undefined) {
          this.providerIndex.set(provider, (index = this.invoiceProviders.length));
          this.invoiceProviders.push(provider);
        }
        this.invoices.intern(d['invoiceNumber'] as string, index);
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
          serviceCode: contract['serviceCode'] ?? null,
        });
        return this.contracts.length - 1;
      }
      default:
        return undefined;
    }
  }
}
