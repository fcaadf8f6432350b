// The annual report of decision 0043 recomputed from an export, independently of the service (src/reports/): one
// fold over the entries in seq order, in bigint fen, checking as it goes what it reads (seq continuity, each entry's
// hash, its link to the entry before, balanced postings). `npm run verify -- report` prints it, or compares it
// figure by figure with the service's report JSON (compareAnnualReports).
import { fen, yuan } from './arithmetic.js';
import { isInstant, shanghaiDate } from './calendar.js';
import { type Entry, GENESIS, hashProblem, shapeProblem } from './entry.js';
import { ndjsonBatches, valueOf } from './sources.js';

type Data = Record<string, unknown>;

/** The figures of a row of `totals`, `regions` and `kinds`, in the order decision 0043 lists them. */
export interface AnnualFigures {
  programs: number;
  appropriated: string;
  returned: string;
  funded: string;
  vouchersIssued: number;
  vouchersIssuedAmount: string;
  vouchersExpired: number;
  vouchersExpiredAmount: string;
  vouchersRevoked: number;
  vouchersRevokedAmount: string;
  subsidyGranted: string;
  clawedBack: string;
  subsidyNet: string;
  paid: string;
  recovered: string;
  paidNet: string;
  executed: string;
  enterprises: number;
  providers: number;
  autonomousShare: string | null;
  leverage: string | null;
}

export interface AnnualBucketRow {
  bucket: string;
  kind: string;
  redemptions: number;
  subsidyGranted: string;
  clawedBack: string;
  subsidyNet: string;
  executed: string;
  enterprises: number;
  providers: number;
  leverage: string | null;
}

export interface AnnualFunderRow {
  region: string;
  funder: string;
  appropriated: string;
  returned: string;
  funded: string;
  paid: string;
  recovered: string;
  paidNet: string;
}

export interface AnnualMonthRow {
  month: string;
  vouchersIssuedAmount: string;
  subsidyGranted: string;
  clawedBack: string;
  paid: string;
  recovered: string;
}

export interface AnnualPosition {
  funded: string;
  available: string;
  onVouchers: string;
  reserved: string;
  owedToProviders: string;
  paid: string;
}

/** The report JSON of decision 0043, member for member. */
export interface AnnualReport {
  year: number;
  region: string;
  throughSeq: number;
  complete: boolean;
  generatedAt: string;
  totals: AnnualFigures;
  regions: ({ region: string } & AnnualFigures)[];
  kinds: ({ kind: string } & AnnualFigures)[];
  buckets: AnnualBucketRow[];
  funders: AnnualFunderRow[];
  months: AnnualMonthRow[];
  position: AnnualPosition;
}

/** What the fold checked of the chain, to be said beside the report. */
export interface AnnualReportChain {
  /** Entries read and folded (seq ≤ throughSeq). */
  entries: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** Seqs missing from the export up to throughSeq (only with `partial`: without it a gap fails). */
  gaps: [number, number][];
  /** What the checks could not establish (a filtered export), in words; empty when the chain is whole. */
  unproven: string[];
}

export interface RecomputedAnnualReport {
  report: AnnualReport;
  chain: AnnualReportChain;
}

export interface AnnualReportOptions {
  year: number;
  /** A 6-digit region code (GB/T 2260). */
  region: string;
  /** Fold through this seq (a report's throughSeq); default: decision 0043's bound. */
  throughSeq?: number;
  /** The time of the run: whether the year has ended (Asia/Shanghai), and generatedAt. */
  now: Date;
  /**
   * An export filtered by region (`--region`), with gaps by design: each entry's own hash is checked and links
   * only where seqs follow each other; the gaps are listed instead of failing.
   */
  partial?: boolean;
}

/** The ledger fails a check the fold makes (exit 1): the first failing seq and why. */
export class AnnualReportFailure extends Error {
  constructor(
    readonly seq: number,
    readonly reason: string,
  ) {
    super(`seq ${seq}: ${reason}`);
  }
}

/** The fold cannot run (exit 2): a bad year, region or throughSeq, an export that does not reach throughSeq. */
export class AnnualReportUnrunnable extends Error {
  /** For a throughSeq past the year's last seq: that seq, when the export shows it. */
  constructor(
    message: string,
    readonly bound?: number,
  ) {
    super(message);
  }
}

const REGION = /^[1-8][0-9]{5}$/;
export const KINDS = ['compute', 'corpus', 'model'] as const;
const AUTONOMOUS_BUCKET = 'compute.autonomous';

/** GB/T 2260: a province XX0000 covers XXxxxx, a prefecture XXYY00 covers XXYYxx, a county only itself. */
function covers(outer: string, inner: string): boolean {
  if (outer.endsWith('0000')) return inner.startsWith(outer.slice(0, 2));
  if (outer.endsWith('00')) return inner.startsWith(outer.slice(0, 4));
  return inner === outer;
}

/** The `regions` row of a program region within `report`: the report's own region, or the region directly below it that holds it. */
function regionRowOf(report: string, region: string): string {
  if (region === report) return report;
  if (report.endsWith('0000')) return region.endsWith('00') ? region : `${region.slice(0, 4)}00`; // a province: its prefectures
  return region; // a prefecture: its counties
}

/** ⌊a × 10⁴ ÷ b⌋ ÷ 10⁴, four decimals always written; null when b is zero. A mathematical floor (toward −∞). */
export function ratio(a: bigint, b: bigint): string | null {
  if (b === 0n) return null;
  const n = a * 10_000n;
  let q = n / b;
  if (n % b !== 0n && n < 0n !== b < 0n) q -= 1n;
  const abs = q < 0n ? -q : q;
  return `${q < 0n ? '-' : ''}${abs / 10_000n}.${String(abs % 10_000n).padStart(4, '0')}`;
}

/** A row's sums over its entries of the year. */
class Row {
  readonly programs = new Set<string>();
  appropriated = 0n;
  returned = 0n;
  vouchersIssued = 0;
  vouchersIssuedAmount = 0n;
  vouchersExpired = 0;
  vouchersExpiredAmount = 0n;
  vouchersRevoked = 0;
  vouchersRevokedAmount = 0n;
  subsidyGranted = 0n;
  clawedBack = 0n;
  paid = 0n;
  recovered = 0n;
  executed = 0n;
  readonly enterprises = new Set<string>();
  readonly providers = new Set<string>();
  /** subsidyNet of bucket compute.autonomous, and of kind compute. */
  autonomousNet = 0n;
  computeNet = 0n;

  add(c: Contribution, programId: string): void {
    this.programs.add(programId);
    this.appropriated += c.appropriated;
    this.returned += c.returned;
    this.vouchersIssued += c.vouchersIssued;
    this.vouchersIssuedAmount += c.vouchersIssuedAmount;
    this.vouchersExpired += c.vouchersExpired;
    this.vouchersExpiredAmount += c.vouchersExpiredAmount;
    this.vouchersRevoked += c.vouchersRevoked;
    this.vouchersRevokedAmount += c.vouchersRevokedAmount;
    this.subsidyGranted += c.subsidyGranted;
    this.clawedBack += c.clawedBack;
    this.paid += c.paid;
    this.recovered += c.recovered;
    this.executed += c.executed;
    if (c.enterprise !== undefined) this.enterprises.add(c.enterprise);
    if (c.provider !== undefined) this.providers.add(c.provider);
    const net = c.subsidyGranted - c.clawedBack;
    if (c.bucket === AUTONOMOUS_BUCKET) this.autonomousNet += net;
    if (c.kind === 'compute') this.computeNet += net;
  }

  figures(): AnnualFigures {
    const subsidyNet = this.subsidyGranted - this.clawedBack;
    return {
      programs: this.programs.size,
      appropriated: yuan(this.appropriated),
      returned: yuan(this.returned),
      funded: yuan(this.appropriated - this.returned),
      vouchersIssued: this.vouchersIssued,
      vouchersIssuedAmount: yuan(this.vouchersIssuedAmount),
      vouchersExpired: this.vouchersExpired,
      vouchersExpiredAmount: yuan(this.vouchersExpiredAmount),
      vouchersRevoked: this.vouchersRevoked,
      vouchersRevokedAmount: yuan(this.vouchersRevokedAmount),
      subsidyGranted: yuan(this.subsidyGranted),
      clawedBack: yuan(this.clawedBack),
      subsidyNet: yuan(subsidyNet),
      paid: yuan(this.paid),
      recovered: yuan(this.recovered),
      paidNet: yuan(this.paid - this.recovered),
      executed: yuan(this.executed),
      enterprises: this.enterprises.size,
      providers: this.providers.size,
      autonomousShare: ratio(this.autonomousNet, this.computeNet),
      leverage: ratio(this.executed, subsidyNet),
    };
  }
}

class BucketRow {
  redemptions = 0;
  subsidyGranted = 0n;
  clawedBack = 0n;
  executed = 0n;
  readonly enterprises = new Set<string>();
  readonly providers = new Set<string>();
  constructor(readonly kind: string) {}
}

class FunderRow {
  appropriated = 0n;
  returned = 0n;
  paid = 0n;
  recovered = 0n;
}

class MonthRow {
  vouchersIssuedAmount = 0n;
  subsidyGranted = 0n;
  clawedBack = 0n;
  paid = 0n;
  recovered = 0n;
}

class Position {
  funded = 0n;
  available = 0n;
  onVouchers = 0n;
  reserved = 0n;
  owedToProviders = 0n;
  paid = 0n;
  add(account: string, amount: bigint): void {
    const colon = account.indexOf(':');
    switch (colon < 0 ? account : account.slice(0, colon)) {
      case 'appropriation':
        this.funded -= amount;
        break;
      case 'program':
        this.available += amount;
        break;
      case 'voucher':
        this.onVouchers += amount;
        break;
      case 'reserved':
        this.reserved += amount;
        break;
      case 'payable':
        this.owedToProviders += amount;
        break;
      case 'disbursed':
        this.paid += amount;
        break;
    }
  }
  get zero(): boolean {
    return !this.funded && !this.available && !this.onVouchers && !this.reserved && !this.owedToProviders && !this.paid;
  }
  json(): AnnualPosition {
    return {
      funded: yuan(this.funded),
      available: yuan(this.available),
      onVouchers: yuan(this.onVouchers),
      reserved: yuan(this.reserved),
      owedToProviders: yuan(this.owedToProviders),
      paid: yuan(this.paid),
    };
  }
}

/** What one entry of the year adds to its rows. */
interface Contribution {
  kind: string;
  appropriated: bigint;
  returned: bigint;
  vouchersIssued: number;
  vouchersIssuedAmount: bigint;
  vouchersExpired: number;
  vouchersExpiredAmount: bigint;
  vouchersRevoked: number;
  vouchersRevokedAmount: bigint;
  subsidyGranted: bigint;
  clawedBack: bigint;
  paid: bigint;
  recovered: bigint;
  executed: bigint;
  enterprise?: string;
  provider?: string;
  /** The cap bucket of a redemption, an approved claim or a reversal. */
  bucket?: string;
  /** Whether it is a redemption or an approved claim (a bucket row's `redemptions`). */
  redemption: boolean;
  /** Per funder region: appropriated, returned, paid, recovered (from its own accounts' postings). */
  funders: Map<string, FunderRow>;
}

/** The entry's amount member `key` in fen; a failure naming the seq when it is not a two-decimal amount. */
function amountOf(entry: Entry, value: unknown, path: string): bigint {
  const parsed = fen(value);
  if (parsed === undefined) throw new AnnualReportFailure(entry.seq, `${path} is not a two-decimal amount string`);
  return parsed;
}

function textOf(entry: Entry, value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new AnnualReportFailure(entry.seq, `${path} is not a non-empty string`);
  return value;
}

function contributionOf(entry: Entry, postings: bigint[]): Contribution {
  const d = entry.data;
  const c: Contribution = {
    kind: String(d['kind']),
    appropriated: 0n,
    returned: 0n,
    vouchersIssued: 0,
    vouchersIssuedAmount: 0n,
    vouchersExpired: 0,
    vouchersExpiredAmount: 0n,
    vouchersRevoked: 0,
    vouchersRevokedAmount: 0n,
    subsidyGranted: 0n,
    clawedBack: 0n,
    paid: 0n,
    recovered: 0n,
    executed: 0n,
    redemption: false,
    funders: new Map(),
  };
  const funder = (region: string) => {
    let row = c.funders.get(region);
    if (!row) c.funders.set(region, (row = new FunderRow()));
    return row;
  };
  /** Each posting to `prefix:<region>`, with its funder region. */
  const each = (prefix: string, use: (region: string, amount: bigint) => void) => {
    entry.postings.forEach((p, i) => {
      if (p.account.startsWith(prefix)) use(p.account.slice(prefix.length), postings[i]!);
    });
  };
  switch (entry.type) {
    case 'program.funded':
      each('appropriation:', (region, amount) => {
        c.appropriated -= amount;
        funder(region).appropriated -= amount;
      });
      break;
    case 'program.budget_changed':
      if (d['direction'] === 'increase')
        each('appropriation:', (region, amount) => {
          c.appropriated -= amount;
          funder(region).appropriated -= amount;
        });
      else if (d['direction'] === 'decrease')
        each('appropriation:', (region, amount) => {
          c.returned += amount;
          funder(region).returned += amount;
        });
      else throw new AnnualReportFailure(entry.seq, 'data.direction is neither "increase" nor "decrease"');
      break;
    case 'program.closed': {
      each('appropriation:', (region, amount) => {
        c.returned += amount;
        funder(region).returned += amount;
      });
      const vouchers = d['vouchers'];
      if (!Array.isArray(vouchers)) throw new AnnualReportFailure(entry.seq, 'data.vouchers is not an array');
      vouchers.forEach((v: Data, i) => {
        c.vouchersExpired++;
        c.vouchersExpiredAmount += amountOf(entry, v?.['returned'], `data.vouchers[${i}].returned`);
      });
      break;
    }
    case 'voucher.issued': {
      c.vouchersIssued = 1;
      c.vouchersIssuedAmount = amountOf(entry, d['amount'], 'data.amount');
      const beneficiary = d['beneficiary'] as Data | undefined;
      c.enterprise = textOf(entry, beneficiary?.['uscc'], 'data.beneficiary.uscc');
      break;
    }
    case 'voucher.expired':
      c.vouchersExpired = 1;
      c.vouchersExpiredAmount = amountOf(entry, d['returned'], 'data.returned');
      break;
    case 'voucher.revoked':
      c.vouchersRevoked = 1;
      c.vouchersRevokedAmount = amountOf(entry, d['returned'], 'data.returned');
      break;
    case 'redemption.recorded': {
      const contract = d['contract'] as Data | undefined;
      c.subsidyGranted = amountOf(entry, d['subsidy'], 'data.subsidy');
      c.executed = amountOf(entry, d['executedAmount'], 'data.executedAmount');
      c.enterprise = textOf(entry, contract?.['beneficiaryUscc'], 'data.contract.beneficiaryUscc');
      c.provider = textOf(entry, contract?.['providerUscc'], 'data.contract.providerUscc');
      c.bucket = textOf(entry, d['bucket'], 'data.bucket');
      c.redemption = true;
      break;
    }
    case 'claim.approved':
      c.subsidyGranted = amountOf(entry, d['subsidy'], 'data.subsidy');
      c.executed = amountOf(entry, d['basis'], 'data.basis');
      c.enterprise = textOf(entry, d['beneficiaryUscc'], 'data.beneficiaryUscc');
      c.provider = textOf(entry, d['providerUscc'], 'data.providerUscc');
      c.bucket = textOf(entry, d['bucket'], 'data.bucket');
      c.redemption = true;
      break;
    case 'redemption.reversed':
      c.clawedBack = amountOf(entry, d['clawback'], 'data.clawback');
      c.executed = -amountOf(entry, d['executedAmount'], 'data.executedAmount');
      c.bucket = textOf(entry, d['bucket'], 'data.bucket');
      break;
    case 'payment.disbursed':
      each('disbursed:', (region, amount) => {
        c.paid += amount;
        funder(region).paid += amount;
      });
      break;
    case 'payment.recovered':
      each('disbursed:', (region, amount) => {
        c.recovered -= amount;
        funder(region).recovered -= amount;
      });
      break;
  }
  return c;
}

/** The report being folded: rows by their keys. */
class Fold {
  readonly totals = new Row();
  readonly regions = new Map<string, Row>();
  readonly regionPositions = new Map<string, Position>();
  readonly kinds = new Map<string, Row>();
  readonly buckets = new Map<string, BucketRow>();
  /** By `${regionRow}|${funder}`. */
  readonly funders = new Map<string, FunderRow>();
  readonly months: MonthRow[] = Array.from({ length: 12 }, () => new MonthRow());
  readonly position = new Position();

  constructor(
    private readonly year: number,
    private readonly region: string,
  ) {}

  apply(entry: Entry, postings: bigint[]): void {
    const d = entry.data;
    const programId = d['programId'];
    const programRegion = d['region'];
    // Scope: an entry of a program whose region lies within the report's region.
    if (typeof programId !== 'string' || programId.length === 0) return;
    if (typeof programRegion !== 'string' || !REGION.test(programRegion)) throw new AnnualReportFailure(entry.seq, 'data.region is not a 6-digit region code');
    if (!covers(this.region, programRegion)) return;
    const regionRow = regionRowOf(this.region, programRegion);
    let regionPosition = this.regionPositions.get(regionRow);
    if (!regionPosition) this.regionPositions.set(regionRow, (regionPosition = new Position()));
    entry.postings.forEach((p, i) => {
      this.position.add(p.account, postings[i]!);
      regionPosition.add(p.account, postings[i]!);
    });
    const date = shanghaiDate(entry.recordedAt);
    if (Number(date.slice(0, 4)) !== this.year) return;

    const c = contributionOf(entry, postings);
    this.totals.add(c, programId);
    this.rowOf(this.regions, regionRow).add(c, programId);
    this.rowOf(this.kinds, c.kind).add(c, programId);
    if (c.bucket !== undefined) {
      let bucket = this.buckets.get(c.bucket);
      if (!bucket) this.buckets.set(c.bucket, (bucket = new BucketRow(c.kind)));
      if (c.redemption) bucket.redemptions++;
      bucket.subsidyGranted += c.subsidyGranted;
      bucket.clawedBack += c.clawedBack;
      bucket.executed += c.executed;
      if (c.redemption && c.enterprise !== undefined) bucket.enterprises.add(c.enterprise);
      if (c.redemption && c.provider !== undefined) bucket.providers.add(c.provider);
    }
    for (const [funder, amounts] of c.funders) {
      const key = `${regionRow}|${funder}`;
      let row = this.funders.get(key);
      if (!row) this.funders.set(key, (row = new FunderRow()));
      row.appropriated += amounts.appropriated;
      row.returned += amounts.returned;
      row.paid += amounts.paid;
      row.recovered += amounts.recovered;
    }
    const month = this.months[Number(date.slice(5, 7)) - 1]!;
    month.vouchersIssuedAmount += c.vouchersIssuedAmount;
    month.subsidyGranted += c.subsidyGranted;
    month.clawedBack += c.clawedBack;
    month.paid += c.paid;
    month.recovered += c.recovered;
  }

  private rowOf(rows: Map<string, Row>, key: string): Row {
    let row = rows.get(key);
    if (!row) rows.set(key, (row = new Row()));
    return row;
  }

  report(throughSeq: number, complete: boolean, generatedAt: string): AnnualReport {
    const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const regionKeys = new Set([...this.regions.keys(), ...[...this.regionPositions].filter(([, p]) => !p.zero).map(([key]) => key)]);
    return {
      year: this.year,
      region: this.region,
      throughSeq,
      complete,
      generatedAt,
      totals: this.totals.figures(),
      regions: [...regionKeys].sort(byCode).map((region) => ({ region, ...(this.regions.get(region) ?? new Row()).figures() })),
      kinds: KINDS.filter((kind) => this.kinds.has(kind)).map((kind) => ({ kind, ...this.kinds.get(kind)!.figures() })),
      buckets: [...this.buckets.keys()].sort(byCode).map((bucket) => {
        const b = this.buckets.get(bucket)!;
        const subsidyNet = b.subsidyGranted - b.clawedBack;
        return {
          bucket,
          kind: b.kind,
          redemptions: b.redemptions,
          subsidyGranted: yuan(b.subsidyGranted),
          clawedBack: yuan(b.clawedBack),
          subsidyNet: yuan(subsidyNet),
          executed: yuan(b.executed),
          enterprises: b.enterprises.size,
          providers: b.providers.size,
          leverage: ratio(b.executed, subsidyNet),
        };
      }),
      funders: [...this.funders.keys()].sort(byCode).map((key) => {
        const [region, funder] = key.split('|') as [string, string];
        const f = this.funders.get(key)!;
        return {
          region,
          funder,
          appropriated: yuan(f.appropriated),
          returned: yuan(f.returned),
          funded: yuan(f.appropriated - f.returned),
          paid: yuan(f.paid),
          recovered: yuan(f.recovered),
          paidNet: yuan(f.paid - f.recovered),
        };
      }),
      months: this.months.map((m, i) => ({
        month: `${this.year}-${String(i + 1).padStart(2, '0')}`,
        vouchersIssuedAmount: yuan(m.vouchersIssuedAmount),
        subsidyGranted: yuan(m.subsidyGranted),
        clawedBack: yuan(m.clawedBack),
        paid: yuan(m.paid),
        recovered: yuan(m.recovered),
      })),
      position: this.position.json(),
    };
  }
}

/** 1 January of `year` 00:00 Asia/Shanghai (UTC+8, no daylight saving), as the service records instants. */
export const yearStartInstant = (year: number): string => `${year - 1}-12-31T16:00:00.000Z`;

const gapText = ([from, to]: [number, number]) => (from === to ? `seq ${from}` : `seqs ${from}–${to}`);

/**
 * Folds an export's entries (parsed NDJSON values, in seq order) into decision 0043's report of `region` for `year`.
 * Entries past throughSeq are not read. Throws AnnualReportFailure (the ledger fails a check: a gap without
 * `partial`, a hash, a link, unbalanced postings, a member the report reads that is not of its type) or
 * AnnualReportUnrunnable (a bad year or region, a throughSeq the export does not reach or that lies past the year).
 */
export async function recomputeAnnualReport(
  entries: AsyncIterable<unknown> | Iterable<unknown>,
  options: AnnualReportOptions,
): Promise<RecomputedAnnualReport> {
  const { year, region, now } = options;
  const partial = options.partial ?? false;
  const nowInstant = now.toISOString();
  const currentYear = Number(shanghaiDate(nowInstant).slice(0, 4));
  if (!Number.isSafeInteger(year) || year < 2020 || year > currentYear)
    throw new AnnualReportUnrunnable(`year ${year} is not from 2020 to the current year ${currentYear} (Asia/Shanghai)`);
  if (!REGION.test(region)) throw new AnnualReportUnrunnable(`region ${region} is not a 6-digit region code`);
  if (options.throughSeq !== undefined && (!Number.isSafeInteger(options.throughSeq) || options.throughSeq < 0))
    throw new AnnualReportUnrunnable(`throughSeq ${options.throughSeq} is not a whole number`);
  const cutoff = yearStartInstant(year + 1);
  const complete = nowInstant >= cutoff;

  const fold = new Fold(year, region);
  const gaps: [number, number][] = [];
  let previous: Entry | undefined;
  let read = 0;
  let firstSeq: number | null = null;
  /** The entry that ended the fold: the first past throughSeq, or (the default of a year that has ended) recorded on or after 1 January Y+1. */
  let stoppedAt: Entry | undefined;
  for await (const value of entries) {
    const shape = shapeProblem(value);
    const expected = previous ? previous.seq + 1 : 1;
    if (shape) throw new AnnualReportFailure(expected, `the entry after ${previous ? `seq ${previous.seq}` : 'the start'} ${shape}`);
    const entry = value as Entry;
    if (!isInstant(entry.recordedAt)) throw new AnnualReportFailure(entry.seq, 'recordedAt is not an ISO instant (YYYY-MM-DDTHH:MM:SS.sssZ)');
    if (entry.seq < expected)
      throw new AnnualReportFailure(entry.seq, `seq ${entry.seq} comes after seq ${previous?.seq}: entries are out of order or repeated`);
    // Without --partial a gap fails, where it lies up to throughSeq.
    const through = options.throughSeq ?? Number.MAX_SAFE_INTEGER;
    if (!partial && entry.seq > expected && expected <= through) {
      const missing: [number, number] = [expected, Math.min(entry.seq - 1, through)];
      throw new AnnualReportFailure(
        expected,
        `${gapText(missing)} ${missing[1] > expected ? 'are' : 'is'} missing from the export (for an export filtered by region, pass --partial)`,
      );
    }
    const pastThrough = options.throughSeq !== undefined ? entry.seq > options.throughSeq : complete && entry.recordedAt >= cutoff;
    if (pastThrough) {
      stoppedAt = entry;
      break;
    }
    if (entry.seq > expected) gaps.push([expected, entry.seq - 1]);
    else if (entry.prevHash !== (previous ? previous.hash : GENESIS))
      throw new AnnualReportFailure(
        entry.seq,
        previous ? `prevHash does not match the hash of seq ${previous.seq}` : 'the first entry’s prevHash is not the genesis hash',
      );
    const hash = hashProblem(entry);
    if (hash) throw new AnnualReportFailure(entry.seq, hash);
    const postings = entry.postings.map((p, i) => amountOf(entry, p.amount, `postings[${i}].amount`));
    const sum = postings.reduce((a, b) => a + b, 0n);
    if (sum !== 0n) throw new AnnualReportFailure(entry.seq, `postings sum to ${yuan(sum)}, not zero`);
    if (complete && entry.recordedAt >= cutoff)
      // Only with a throughSeq given: the service refuses one past the year's last seq.
      throw new AnnualReportUnrunnable(
        `throughSeq ${options.throughSeq} is past the year's last seq: seq ${entry.seq} was recorded ${entry.recordedAt}, on or after 1 January ${year + 1} (Asia/Shanghai)`,
        previous?.seq,
      );
    fold.apply(entry, postings);
    read++;
    firstSeq ??= entry.seq;
    previous = entry;
  }

  const lastSeq = previous?.seq ?? null;
  // A year before the ledger's first entry has an empty report through seq 0.
  const throughSeq = options.throughSeq ?? lastSeq ?? 0;
  const unproven: string[] = [];
  if ((lastSeq ?? 0) < throughSeq) {
    if (lastSeq === null && !partial) throw new AnnualReportUnrunnable(`the export holds no entry up to seq ${throughSeq}`);
    if (!partial) throw new AnnualReportUnrunnable(`the export ends at seq ${lastSeq}, before throughSeq ${throughSeq}`);
    gaps.push([(lastSeq ?? 0) + 1, throughSeq]);
  }
  if (gaps.length > 0) {
    const missing = gaps.reduce((n, [from, to]) => n + to - from + 1, 0);
    unproven.push(
      `a partial export: ${missing} seq${missing === 1 ? ' is' : 's are'} missing up to seq ${throughSeq} (${gaps.slice(0, 3).map(gapText).join(', ')}${gaps.length > 3 ? ', …' : ''}); ` +
        'each entry’s own hash holds and links are checked where seqs follow each other, but that no entry of the region was left out is not proven',
    );
  }
  if (options.throughSeq === undefined && !complete)
    unproven.push(`${year} has not ended: throughSeq is the export's last seq ${lastSeq}, later entries are not in the report`);
  if (stoppedAt === undefined && options.throughSeq === undefined && complete)
    unproven.push(`the export ends at seq ${lastSeq}, before any entry recorded in ${year + 1}: entries of ${year} after it, if any, are not in the report`);
  // Complete only through the year's last entry: a report cut short before it (a throughSeq whose next entry was
  // recorded in the year) is not the year's, however long ago the year ended (decision 0043).
  const cutShort = stoppedAt !== undefined && stoppedAt.recordedAt < cutoff;
  return {
    report: fold.report(throughSeq, complete && !cutShort, nowInstant),
    chain: { entries: read, firstSeq, lastSeq, gaps, unproven },
  };
}

/** The entries of an NDJSON export, parsed line by line (a line that is not JSON is passed on as its text, to fail). */
export function* exportEntries(path: string): Generator<unknown> {
  for (const batch of ndjsonBatches(path)) for (const line of batch.lines) yield valueOf(line);
}

/** The first difference between a report and its recomputation, and how many figures were compared. */
export interface AnnualReportComparison {
  agree: boolean;
  /** Figures compared (every member of every row, the position and year, region, throughSeq, complete). */
  figures: number;
  /** The first difference: `regions[330100].subsidyNet: report 240000.00, ledger 240000.01`. */
  difference?: string;
}

const ROW_KEYS: Record<'regions' | 'kinds' | 'buckets' | 'funders' | 'months', (row: Data) => string> = {
  regions: (row) => String(row['region']),
  kinds: (row) => String(row['kind']),
  buckets: (row) => String(row['bucket']),
  funders: (row) => `${String(row['region'])},${String(row['funder'])}`,
  months: (row) => String(row['month']),
};

const shown = (value: unknown) => (value === undefined ? '(absent)' : typeof value === 'string' ? value : JSON.stringify(value));
const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Compares a report (the service's JSON, parsed) with the recomputed one, figure by figure: the header (year, region,
 * throughSeq, complete; not generatedAt), totals, each row of each table matched by its key (a row in one and not
 * the other is a difference), and the position. Stops at the first difference.
 */
export function compareAnnualReports(report: unknown, recomputed: AnnualReport): AnnualReportComparison {
  let figures = 0;
  const differs = (path: string, theirs: unknown, ours: unknown): string | undefined => {
    figures++;
    return JSON.stringify(theirs) === JSON.stringify(ours) ? undefined : `${path}: report ${shown(theirs)}, ledger ${shown(ours)}`;
  };
  /** Every member of `ours`, then any member `theirs` has besides. */
  const members = (path: string, theirs: unknown, ours: Data): string | undefined => {
    if (!isObject(theirs)) return `${path}: report ${shown(theirs)}, ledger an object`;
    for (const key of Object.keys(ours)) {
      const problem = differs(`${path}.${key}`, theirs[key], ours[key]);
      if (problem) return problem;
    }
    const extra = Object.keys(theirs).find((key) => !(key in ours));
    return extra === undefined ? undefined : `${path}.${extra}: report ${shown(theirs[extra])}, ledger (absent)`;
  };
  const compare = (): string | undefined => {
    if (!isObject(report)) return `report: not a JSON object`;
    for (const key of ['year', 'region', 'throughSeq', 'complete'] as const) {
      const problem = differs(key, report[key], recomputed[key]);
      if (problem) return problem;
    }
    const totals = members('totals', report['totals'], recomputed.totals as unknown as Data);
    if (totals) return totals;
    for (const table of ['regions', 'kinds', 'buckets', 'funders', 'months'] as const) {
      const theirs = report[table];
      if (!Array.isArray(theirs)) return `${table}: report ${shown(theirs)}, ledger a list of ${recomputed[table].length} rows`;
      const keyOf = ROW_KEYS[table];
      const byKey = new Map<string, Data>();
      for (const row of theirs as unknown[]) {
        if (!isObject(row)) return `${table}: report lists ${shown(row)}, not a row`;
        const key = keyOf(row);
        if (byKey.has(key)) return `${table}[${key}]: report lists the row twice`;
        byKey.set(key, row);
      }
      const ours = new Map<string, Data>((recomputed[table] as unknown as Data[]).map((row) => [keyOf(row), row]));
      for (const [key, row] of ours) {
        const path = `${table}[${key}]`;
        const their = byKey.get(key);
        if (!their) return `${path}: report (no row), ledger a row`;
        const problem = members(path, their, row);
        if (problem) return problem;
      }
      const extra = [...byKey.keys()].find((key) => !ours.has(key));
      if (extra !== undefined) return `${table}[${extra}]: report a row, ledger (no row)`;
    }
    const position = members('position', report['position'], recomputed.position as unknown as Data);
    if (position) return position;
    const extra = Object.keys(report).find((key) => !(key in recomputed));
    return extra === undefined ? undefined : `${extra}: report ${shown(report[extra])}, ledger (absent)`;
  };
  const difference = compare();
  return difference === undefined ? { agree: true, figures } : { agree: false, figures, difference };
}

/** The report for people: the header, the chain's caveats, and each table. */
export function formatAnnualReport({ report, chain }: RecomputedAnnualReport): string {
  const lines = [
    `Annual report of region ${report.region} for ${report.year}, recomputed from the export through seq ${report.throughSeq}` +
      ` (${report.complete ? 'the year has ended' : 'the year has not ended'}; generated ${report.generatedAt})`,
    `chain: ${chain.entries} entries read (seq ${chain.firstSeq}–${chain.lastSeq}), hashes${chain.gaps.length ? '' : ', links'} and balances checked`,
    ...chain.unproven.map((text) => `UNPROVEN: ${text}`),
    '',
  ];
  const table = (title: string, rows: Data[]) => {
    lines.push(`${title}:`);
    if (rows.length === 0) lines.push('  (none)');
    for (const row of rows)
      lines.push(
        `  ${Object.entries(row)
          .map(([key, value]) => `${key} ${value === null ? '—' : String(value)}`)
          .join(', ')}`,
      );
  };
  table('totals', [report.totals as unknown as Data]);
  table('regions', report.regions as unknown as Data[]);
  table('kinds', report.kinds as unknown as Data[]);
  table('buckets', report.buckets as unknown as Data[]);
  table('funders', report.funders as unknown as Data[]);
  table('months', report.months as unknown as Data[]);
  table('position', [report.position as unknown as Data]);
  return lines.join('\n');
}
