// What `npm run bench -- --json FILE` writes and `--compare [FILE]` reads: each measure under a stable key, with
// the figure that is compared between runs. A measure with a floor is compared by its ratio to the floor
// measured in the same run (the machine is shared, and absolute figures swing by up to 2×); one without a
// floor (peak RSS, /healthz p99, the tree's share of an append) by its value.

export interface Measure {
  /** What the table of docs/benchmarks.md calls it. */
  label: string;
  value: number;
  unit: string;
  /** The floor measured in the same run, where there is one. */
  floor?: number;
  /** value / floor where there is a floor, else the value itself: the figure compared between runs. */
  compared: number;
  /** Whether a larger `compared` is better (throughput) or worse (latency, memory, share). */
  better: 'higher' | 'lower';
  target: string;
  met?: boolean;
}

export interface BenchRun {
  date: string;
  machine: string;
  /** The database measured (absent in runs before PostgreSQL was): `sqlite`, or `pg` with the HTTP section only. */
  engine?: 'sqlite' | 'pg';
  /** The SQLite ledger's entries; 0 on PostgreSQL, which starts from an empty database. */
  entries: number;
  quick: boolean;
  measures: Record<string, Measure>;
}

export interface Comparison {
  key: string;
  label: string;
  baseline?: number;
  now?: number;
  /** now / baseline − 1, signed so that a positive change is an improvement. */
  change?: number;
  regressed: boolean;
}

/** A measure is flagged when it moved the wrong way by more than this share of its baseline. */
export const REGRESSION_THRESHOLD = 0.2;

/** Each measure of either run, now beside the baseline; missing on one side is never a regression. */
export function compareRuns(baseline: BenchRun, now: BenchRun, threshold = REGRESSION_THRESHOLD): Comparison[] {
  const keys = [...new Set([...Object.keys(baseline.measures), ...Object.keys(now.measures)])];
  return keys.map((key) => {
    const before = baseline.measures[key];
    const after = now.measures[key];
    const label = after?.label ?? before!.label;
    if (!before || !after || before.compared === 0) return { key, label, baseline: before?.compared, now: after?.compared, regressed: false };
    const raw = after.compared / before.compared - 1;
    const change = after.better === 'higher' ? raw : -raw;
    return { key, label, baseline: before.compared, now: after.compared, change, regressed: change < -threshold };
  });
}

const shown = (n: number | undefined) => (n === undefined ? '—' : n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3));

/** The comparison as a table, each regression marked. */
export function comparisonTable(rows: Comparison[], threshold = REGRESSION_THRESHOLD): string {
  const cells = rows.map((row) => [
    row.label,
    shown(row.baseline),
    shown(row.now),
    row.change === undefined ? 'not in both runs' : `${row.change >= 0 ? '+' : ''}${(row.change * 100).toFixed(1)}%`,
    row.regressed ? `REGRESSED (worse by over ${threshold * 100}%)` : '',
  ]);
  const headers = ['measure (ratio to its floor, or value)', 'baseline', 'now', 'change (+ is better)', ''];
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
