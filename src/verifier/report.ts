import { yuan } from './arithmetic.js';
import type { ClaimSummary } from './claims.js';
import type { OversightSummary } from './oversight.js';
import type { CheckResult, Unproven, VerifyOutcome } from './verify.js';

export interface Report {
  ok: boolean;
  partial: boolean;
  entries: number;
  firstSeq: number | null;
  lastSeq: number | null;
  gaps: [number, number][];
  checks: CheckResult[];
  firstFailure: { seq: number; check: string; reason: string } | null;
  /** What no verified checkpoint covers; null when one holds the last entry. */
  unproven: Unproven | null;
  /** The claims the chain leaves (decision 0041); absent when it has none, so that such a report is unchanged. */
  claims?: ClaimSummary;
  /** Closes, listings, groups and spot checks (decision 0042); absent when it has none, so that such a report is unchanged. */
  oversight?: OversightSummary;
}

export function buildReport(outcome: VerifyOutcome, partial: boolean, extra: CheckResult[] = []): Report {
  const checks = [...outcome.checks.values(), ...extra];
  const failures = checks.filter((c) => c.status === 'fail' && c.first).map((c) => ({ seq: c.first!.seq, check: c.name, reason: c.first!.reason }));
  failures.sort((a, b) => a.seq - b.seq);
  return {
    ok: failures.length === 0 && checks.every((c) => c.status !== 'fail'),
    partial: partial || outcome.gaps.length > 0,
    entries: outcome.entries,
    firstSeq: outcome.firstSeq,
    lastSeq: outcome.lastSeq,
    gaps: outcome.gaps,
    checks,
    firstFailure: failures[0] ?? null,
    unproven: outcome.unproven,
    ...(outcome.claims ? { claims: outcome.claims } : {}),
    ...(outcome.oversight ? { oversight: outcome.oversight } : {}),
  };
}

/** Materialised balances (from the database) against the sums of every posting. */
export function balancesCheck(materialised: Map<string, bigint>, derived: Map<string, bigint>): CheckResult {
  const accounts = new Set([...materialised.keys(), ...derived.keys()]);
  const wrong = [...accounts].filter((a) => (materialised.get(a) ?? 0n) !== (derived.get(a) ?? 0n)).sort();
  const detail = 'materialised balances equal the sum of postings';
  if (wrong.length === 0) return { name: 'balances', status: 'pass', detail, failures: 0 };
  const a = wrong[0]!;
  return {
    name: 'balances',
    status: 'fail',
    detail,
    failures: wrong.length,
    first: { seq: 0, reason: `account ${a} holds ${yuan(materialised.get(a) ?? 0n)} but its postings sum to ${yuan(derived.get(a) ?? 0n)}` },
  };
}

/**
 * The head the database keeps (ledger_head) against the last entry of the chain: the writers move both in one
 * transaction, so a difference means one of them was altered. `undefined`: the database has no such table.
 */
export function headCheck(stored: { seq: bigint; hash: unknown } | null | undefined, lastSeq: number | null, lastHash: string | null): CheckResult {
  const detail = 'ledger_head holds the seq and hash of the last entry';
  if (stored === undefined) return { name: 'head', status: 'skipped', detail: `${detail} — skipped: the database has no ledger_head table`, failures: 0 };
  const seq = BigInt(lastSeq ?? 0);
  const hash = lastHash ?? '0'.repeat(64);
  if (stored === null) return { name: 'head', status: 'fail', detail, failures: 1, first: { seq: 0, reason: 'ledger_head has no row' } };
  if (stored.seq === seq && stored.hash === hash) return { name: 'head', status: 'pass', detail, failures: 0 };
  const shown = typeof stored.hash === 'string' ? `${stored.hash.slice(0, 16)}…` : String(stored.hash);
  return {
    name: 'head',
    status: 'fail',
    detail,
    failures: 1,
    first: { seq: Number(seq), reason: `ledger_head says seq ${stored.seq} hash ${shown}, the chain ends at seq ${seq} hash ${hash.slice(0, 16)}…` },
  };
}

export function triggersCheck(missing: string[], detail = 'the database refuses UPDATE and DELETE on ledger tables (triggers present)'): CheckResult {
  return missing.length === 0
    ? { name: 'triggers', status: 'pass', detail, failures: 0 }
    : { name: 'triggers', status: 'fail', detail, failures: missing.length, first: { seq: 0, reason: `missing or altered: ${missing.join(', ')}` } };
}

const counted = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line for what decision 0042's entries leave: closes, listings, groups and spot checks. */
function oversightLine(o: OversightSummary): string {
  return (
    `oversight: ${counted(o.closed, 'program closed', 'programs closed')}, ${counted(o.listings, 'listing')} (${o.delisted} delisted), ` +
    `${counted(o.groups, 'related-party group')}, ${counted(o.spotChecks, 'spot check')} (${o.drawn} drawn, ${o.results} results, ${o.failed} failed)`
  );
}

export function formatReport(report: Report): string {
  const mark = { pass: 'PASS', fail: 'FAIL', skipped: 'SKIP' } as const;
  const lines = [
    `entries: ${report.entries}${report.firstSeq !== null ? ` (seq ${report.firstSeq}–${report.lastSeq})` : ''}${report.partial ? ', PARTIAL' : ''}`,
    ...(report.gaps.length ? [`gaps: ${report.gaps.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(', ')}`] : []),
    ...(report.claims
      ? [`claims: ${report.claims.open} open holding ${report.claims.holding}, ${report.claims.approved} approved, ${report.claims.released} released`]
      : []),
    ...(report.oversight ? [oversightLine(report.oversight)] : []),
    ...report.checks.map(
      (c) =>
        `${mark[c.status]}  ${c.name.padEnd(15)} ${c.detail}${c.first ? `\n      first failure at seq ${c.first.seq}: ${c.first.reason}${c.failures > 1 ? ` (+${c.failures - 1} more)` : ''}` : ''}`,
    ),
    ...(report.unproven ? [`UNPROVEN: ${report.unproven.reason}${report.lastSeq !== null ? ` (last checked: seq ${report.lastSeq})` : ''}`] : []),
    report.ok
      ? `OK: every check holds${report.partial ? ' for the entries present (partial export)' : ''}`
      : `FAILED at seq ${report.firstFailure?.seq}: ${report.firstFailure?.check}: ${report.firstFailure?.reason}`,
  ];
  return lines.join('\n');
}
