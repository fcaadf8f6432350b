// The annual report (decision 0043) as a pure fold over ledger entries in seq order: each figure is a sum of
// entry members or postings, in integer fen, so that the verifier's own fold over an export can repeat it.
import { shanghaiDate } from '../../shared/dates.js';
import { type Fen, formatFen, parseSignedYuan } from '../../shared/money.js';
import { covers } from '../../shared/region.js';

export const KIND_ORDER = ['compute', 'corpus', 'model'] as const;
const AUTONOMOUS_BUCKET = 'compute.autonomous';

/** What the report covers: the year's entries, and everything through `throughSeq` for the position. */
export interface ReportScope {
  year: number;
  region: string;
  throughSeq: number;
}

/** The sums of one row (a region, a kind, or the whole scope) over the year's entries. */
class RowSums {
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
  computeSubsidyNet = 0n;
  autonomousSubsidyNet = 0n;
}

class BucketSums {
  redemptions = 0;
  subsidyGranted = 0n;
  clawedBack = 0n;
  executed = 0n;
  readonly enterprises = new Set<string>();
  readonly providers = new Set<string>();
  constructor(readonly kind: string) {}
}

class FunderSums {
  appropriated = 0n;
  returned = 0n;
  paid = 0n;
  recovered = 0n;
}

class MonthSums {
  vouchersIssuedAmount = 0n;
  subsidyGranted = 0n;
  clawedBack = 0n;
  paid = 0n;
  recovered = 0n;
}

class PositionSums {
  funded = 0n;
  available = 0n;
  onVouchers = 0n;
  reserved = 0n;
  owedToProviders = 0n;
  paid = 0n;
  isZero(): boolean {
    return [this.funded, this.available, this.onVouchers, this.reserved, this.owedToProviders, this.paid].every((fen) => fen === 0n);
  }
}

type Data = Record<string, unknown>;

/** An entry as the fold reads it: the ledger's own form, which the rules name without loading it. */
export interface ReportedEntry {
  seq: number;
  type: string;
  recordedAt: string;
  data: { region: string; programId?: string; kind?: string; [key: string]: unknown };
  postings: readonly { account: string; amount: string }[];
}

/** The kind of a ledger account (`program`, `voucher`, `appropriation`, …): its name before the first colon. */
const accountKind = (account: string): string => account.slice(0, account.indexOf(':'));
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const fen = (value: unknown): Fen => (typeof value === 'string' ? parseSignedYuan(value) : 0n);
const member = (data: Data, key: string): Data => (data[key] ?? {}) as Data;

/**
 * The row of `scope` a program region falls in: the scope's own programs, or the region directly below it that
 * holds the program (a province's prefecture, a prefecture's county).
 */
export function regionRowOf(scope: string, programRegion: string): string {
  if (programRegion === scope) return scope;
  if (scope.endsWith('0000')) return `${programRegion.slice(0, 4)}00`;
  return programRegion;
}

/** ⌊a × 10⁴ ÷ b⌋ ÷ 10⁴ as a string with four decimals, or null when b is zero (decision 0043). */
export function ratio(numerator: Fen, denominator: Fen): string | null {
  if (denominator === 0n) return null;
  const scaled = numerator * 10_000n;
  let quotient = scaled / denominator;
  if (quotient * denominator !== scaled && scaled < 0n !== denominator < 0n) quotient -= 1n;
  const negative = quotient < 0n;
  const magnitude = negative ? -quotient : quotient;
  return `${negative ? '-' : ''}${magnitude / 10_000n}.${(magnitude % 10_000n).toString().padStart(4, '0')}`;
}

export interface AnnualFold {
  add(entry: ReportedEntry): void;
  result(generatedAt: Date): AnnualReport;
}

/** A fold for `scope`: give it every entry of the scope with seq ≤ throughSeq, in seq order. */
export function annualFold(scope: ReportScope, complete: boolean): AnnualFold {
  const totals = new RowSums();
  const regions = new Map<string, RowSums>();
  const regionPositions = new Map<string, PositionSums>();
  const kinds = new Map<string, RowSums>();
  const buckets = new Map<string, BucketSums>();
  const funders = new Map<string, FunderSums>();
  const months = Array.from({ length: 12 }, () => new MonthSums());
  const position = new PositionSums();
  const yearText = String(scope.year);

  const getOrAdd = <K, V>(map: Map<K, V>, key: K, make: () => V): V => {
    let value = map.get(key);
    if (value === undefined) map.set(key, (value = make()));
    return value;
  };

  function addPosition(entry: ReportedEntry, sums: PositionSums): void {
    for (const posting of entry.postings) {
      const amount = parseSignedYuan(posting.amount);
      switch (accountKind(posting.account)) {
        case 'appropriation':
          sums.funded -= amount;
          break;
        case 'program':
          sums.available += amount;
          break;
        case 'voucher':
          sums.onVouchers += amount;
          break;
        case 'reserved':
          sums.reserved += amount;
          break;
        case 'payable':
          sums.owedToProviders += amount;
          break;
        case 'disbursed':
          sums.paid += amount;
          break;
      }
    }
  }

  function addToRows(rows: RowSums[], entry: ReportedEntry, data: Data, month: MonthSums, funderSums: (funder: string) => FunderSums): void {
    const each = (apply: (row: RowSums) => void) => rows.forEach(apply);
    each((row) => row.programs.add(text(data.programId)));
    const grant = (subsidy: Fen, executed: Fen, beneficiary: string, provider: string) => {
      const bucket = getOrAdd(buckets, text(data.bucket), () => new BucketSums(text(data.kind)));
      bucket.redemptions += 1;
      bucket.subsidyGranted += subsidy;
      bucket.executed += executed;
      bucket.enterprises.add(beneficiary);
      bucket.providers.add(provider);
      month.subsidyGranted += subsidy;
      each((row) => {
        row.subsidyGranted += subsidy;
        row.executed += executed;
        row.enterprises.add(beneficiary);
        row.providers.add(provider);
        if (data.kind === 'compute') row.computeSubsidyNet += subsidy;
        if (data.bucket === AUTONOMOUS_BUCKET) row.autonomousSubsidyNet += subsidy;
      });
    };
    const closeVouchers = (count: number, amount: Fen, how: 'expired' | 'revoked') =>
      each((row) => {
        if (how === 'expired') {
          row.vouchersExpired += count;
          row.vouchersExpiredAmount += amount;
        } else {
          row.vouchersRevoked += count;
          row.vouchersRevokedAmount += amount;
        }
      });
    switch (entry.type) {
      case 'voucher.issued': {
        const amount = fen(data.amount);
        month.vouchersIssuedAmount += amount;
        each((row) => {
          row.vouchersIssued += 1;
          row.vouchersIssuedAmount += amount;
          row.enterprises.add(text(member(data, 'beneficiary').uscc));
        });
        break;
      }
      case 'voucher.expired':
        closeVouchers(1, fen(data.returned), 'expired');
        break;
      case 'voucher.revoked':
        closeVouchers(1, fen(data.returned), 'revoked');
        break;
      case 'program.closed': {
        const vouchers = Array.isArray(data.vouchers) ? (data.vouchers as Data[]) : [];
        closeVouchers(
          vouchers.length,
          vouchers.reduce((sum, voucher) => sum + fen(voucher.returned), 0n),
          'expired',
        );
        break;
      }
      case 'redemption.recorded': {
        const contract = member(data, 'contract');
        grant(fen(data.subsidy), fen(data.executedAmount), text(contract.beneficiaryUscc), text(contract.providerUscc));
        break;
      }
      case 'claim.approved':
        grant(fen(data.subsidy), fen(data.basis), text(data.beneficiaryUscc), text(data.providerUscc));
        break;
      case 'redemption.reversed': {
        const clawback = fen(data.clawback);
        const executed = fen(data.executedAmount);
        const bucket = getOrAdd(buckets, text(data.bucket), () => new BucketSums(text(data.kind)));
        bucket.clawedBack += clawback;
        bucket.executed -= executed;
        month.clawedBack += clawback;
        each((row) => {
          row.clawedBack += clawback;
          row.executed -= executed;
          if (data.kind === 'compute') row.computeSubsidyNet -= clawback;
          if (data.bucket === AUTONOMOUS_BUCKET) row.autonomousSubsidyNet -= clawback;
        });
        break;
      }
    }
    // Funds and payments come from the postings of the funders' own accounts.
    for (const posting of entry.postings) {
      const kind = accountKind(posting.account);
      if (kind !== 'appropriation' && kind !== 'disbursed') continue;
      const funder = posting.account.slice(kind.length + 1);
      const amount = parseSignedYuan(posting.amount);
      const sums = funderSums(funder);
      if (kind === 'appropriation') {
        if (amount < 0n) sums.appropriated -= amount;
        else sums.returned += amount;
        each((row) => (amount < 0n ? (row.appropriated -= amount) : (row.returned += amount)));
      } else {
        if (amount > 0n) sums.paid += amount;
        else sums.recovered -= amount;
        if (amount > 0n) month.paid += amount;
        else month.recovered -= amount;
        each((row) => (amount > 0n ? (row.paid += amount) : (row.recovered -= amount)));
      }
    }
  }

  return {
    add(entry) {
      const data = entry.data as Data;
      const programId = data.programId;
      if (typeof programId !== 'string' || entry.seq > scope.throughSeq || !covers(scope.region, entry.data.region)) return;
      const regionRow = regionRowOf(scope.region, entry.data.region);
      addPosition(entry, position);
      addPosition(
        entry,
        getOrAdd(regionPositions, regionRow, () => new PositionSums()),
      );
      const date = shanghaiDate(new Date(entry.recordedAt));
      if (date.slice(0, 4) !== yearText) return;
      const rows = [totals, getOrAdd(regions, regionRow, () => new RowSums())];
      if (typeof data.kind === 'string') rows.push(getOrAdd(kinds, data.kind, () => new RowSums()));
      const month = months[Number(date.slice(5, 7)) - 1]!;
      addToRows(rows, entry, data, month, (funder) => getOrAdd(funders, `${regionRow}|${funder}`, () => new FunderSums()));
    },
    result(generatedAt) {
      const regionCodes = new Set([...regions.keys(), ...[...regionPositions].filter(([, sums]) => !sums.isZero()).map(([code]) => code)]);
      return {
        year: scope.year,
        region: scope.region,
        throughSeq: scope.throughSeq,
        complete,
        generatedAt: generatedAt.toISOString(),
        totals: figuresOf(totals),
        regions: [...regionCodes].sort().map((region) => ({ region, ...figuresOf(regions.get(region) ?? new RowSums()) })),
        kinds: KIND_ORDER.filter((kind) => kinds.has(kind)).map((kind) => ({ kind, ...figuresOf(kinds.get(kind)!) })),
        buckets: [...buckets.keys()].sort().map((bucket) => bucketRow(bucket, buckets.get(bucket)!)),
        funders: [...funders.keys()].sort().map((key) => funderRow(key, funders.get(key)!)),
        months: months.map((sums, index) => monthRow(`${yearText}-${String(index + 1).padStart(2, '0')}`, sums)),
        position: {
          funded: formatFen(position.funded),
          available: formatFen(position.available),
          onVouchers: formatFen(position.onVouchers),
          reserved: formatFen(position.reserved),
          owedToProviders: formatFen(position.owedToProviders),
          paid: formatFen(position.paid),
        },
      };
    },
  };
}

function figuresOf(row: RowSums): ReportFigures {
  const subsidyNet = row.subsidyGranted - row.clawedBack;
  return {
    programs: row.programs.size,
    appropriated: formatFen(row.appropriated),
    returned: formatFen(row.returned),
    funded: formatFen(row.appropriated - row.returned),
    vouchersIssued: row.vouchersIssued,
    vouchersIssuedAmount: formatFen(row.vouchersIssuedAmount),
    vouchersExpired: row.vouchersExpired,
    vouchersExpiredAmount: formatFen(row.vouchersExpiredAmount),
    vouchersRevoked: row.vouchersRevoked,
    vouchersRevokedAmount: formatFen(row.vouchersRevokedAmount),
    subsidyGranted: formatFen(row.subsidyGranted),
    clawedBack: formatFen(row.clawedBack),
    subsidyNet: formatFen(subsidyNet),
    paid: formatFen(row.paid),
    recovered: formatFen(row.recovered),
    paidNet: formatFen(row.paid - row.recovered),
    executed: formatFen(row.executed),
    enterprises: row.enterprises.size,
    providers: row.providers.size,
    autonomousShare: ratio(row.autonomousSubsidyNet, row.computeSubsidyNet),
    leverage: ratio(row.executed, subsidyNet),
  };
}

function bucketRow(bucket: string, sums: BucketSums): BucketRow {
  const subsidyNet = sums.subsidyGranted - sums.clawedBack;
  return {
    bucket,
    kind: sums.kind,
    redemptions: sums.redemptions,
    subsidyGranted: formatFen(sums.subsidyGranted),
    clawedBack: formatFen(sums.clawedBack),
    subsidyNet: formatFen(subsidyNet),
    executed: formatFen(sums.executed),
    enterprises: sums.enterprises.size,
    providers: sums.providers.size,
    leverage: ratio(sums.executed, subsidyNet),
  };
}

function funderRow(key: string, sums: FunderSums): FunderRow {
  const [region = '', funder = ''] = key.split('|');
  return {
    region,
    funder,
    appropriated: formatFen(sums.appropriated),
    returned: formatFen(sums.returned),
    funded: formatFen(sums.appropriated - sums.returned),
    paid: formatFen(sums.paid),
    recovered: formatFen(sums.recovered),
    paidNet: formatFen(sums.paid - sums.recovered),
  };
}

const monthRow = (month: string, sums: MonthSums): MonthRow => ({
  month,
  vouchersIssuedAmount: formatFen(sums.vouchersIssuedAmount),
  subsidyGranted: formatFen(sums.subsidyGranted),
  clawedBack: formatFen(sums.clawedBack),
  paid: formatFen(sums.paid),
  recovered: formatFen(sums.recovered),
});

export interface ReportFigures {
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

export interface BucketRow {
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

export interface FunderRow {
  region: string;
  funder: string;
  appropriated: string;
  returned: string;
  funded: string;
  paid: string;
  recovered: string;
  paidNet: string;
}

export interface MonthRow {
  month: string;
  vouchersIssuedAmount: string;
  subsidyGranted: string;
  clawedBack: string;
  paid: string;
  recovered: string;
}

export interface ReportPosition {
  funded: string;
  available: string;
  onVouchers: string;
  reserved: string;
  owedToProviders: string;
  paid: string;
}

export interface AnnualReport {
  year: number;
  region: string;
  throughSeq: number;
  complete: boolean;
  generatedAt: string;
  totals: ReportFigures;
  regions: ({ region: string } & ReportFigures)[];
  kinds: ({ kind: string } & ReportFigures)[];
  buckets: BucketRow[];
  funders: FunderRow[];
  months: MonthRow[];
  position: ReportPosition;
}
