// npm run bench -- --compare: each measure beside the accepted baseline, by its ratio to the floor of its own
// run, and flagged when it is more than 20% worse (worked figures from the runs of 2026-11-30 and 2026-12-05).
import { describe, expect, it } from 'vitest';
import { type BenchRun, comparisonTable, compareRuns, type Measure } from '../../scripts/bench/compare.js';

const throughput = (label: string, value: number, floor: number): Measure => ({
  label,
  value,
  unit: '/s',
  floor,
  compared: value / floor,
  better: 'higher',
  target: '≥ 0.7× floor',
});
const ceiling = (label: string, value: number, unit: string): Measure => ({ label, value, unit, compared: value, better: 'lower', target: '< 150 MB' });
const byKey = (rows: ReturnType<typeof compareRuns>, key: string) => rows.find((row) => row.key === key)!;
const run = (measures: Record<string, Measure>): BenchRun => ({ date: '2026-12-05T00:00:00Z', machine: 'test', entries: 1_000_000, quick: false, measures });

describe('bench --compare', () => {
  const baseline = run({
    'inproc.1': throughput('in-process, 1 in flight', 1_107, 15_159), // 0.0730×
    'http.redemptions': throughput('HTTP redemptions/s', 465, 6_267), // 0.0742×
    'export.csv.rss': ceiling('export CSV peak RSS', 185.8, 'MB'),
    'verify.rate': throughput('verifier entries/s', 28_385, 63_393),
  });

  it('compares ratios to the same run’s floor, not absolute figures: a faster machine is not an improvement', () => {
    // Both figures doubled on a faster disk: the ratio, 0.0730×, did not move.
    const row = byKey(compareRuns(baseline, run({ 'inproc.1': throughput('in-process, 1 in flight', 2_214, 30_318) })), 'inproc.1');
    expect(row.regressed).toBe(false);
    expect(row.change).toBeCloseTo(0, 10);
  });

  it('flags a ratio more than 20% worse, and not one 19% worse', () => {
    // 833 / 14,373 = 0.05796×, against 0.07303×: 20.6% worse
    const worse = byKey(compareRuns(baseline, run({ 'inproc.1': throughput('in-process, 1 in flight', 833, 14_373) })), 'inproc.1');
    expect(worse.change).toBeCloseTo(0.05796 / 0.07303 - 1, 3);
    expect(worse.regressed).toBe(true);
    // 0.0742 × 0.81 = 0.0601: 725 / 12,063 is 19% worse
    const within = byKey(compareRuns(baseline, run({ 'http.redemptions': throughput('HTTP redemptions/s', 725, 12_063) })), 'http.redemptions');
    expect(within.change).toBeCloseTo(-0.19, 2);
    expect(within.regressed).toBe(false);
  });

  it('for memory and latency, more is worse: 185.8 → 261 MB is 40.5% worse; 185.8 → 140 MB is better', () => {
    const grew = byKey(compareRuns(baseline, run({ 'export.csv.rss': ceiling('export CSV peak RSS', 261, 'MB') })), 'export.csv.rss');
    expect(grew.change).toBeCloseTo(-(261 / 185.8 - 1), 6);
    expect(grew.regressed).toBe(true);
    const shrank = byKey(compareRuns(baseline, run({ 'export.csv.rss': ceiling('export CSV peak RSS', 140, 'MB') })), 'export.csv.rss');
    expect(shrank.change).toBeGreaterThan(0);
    expect(shrank.regressed).toBe(false);
  });

  it('a measure in only one run is shown, never flagged, and the table marks each regression', () => {
    const rows = compareRuns(
      baseline,
      run({ 'inproc.1': throughput('in-process, 1 in flight', 833, 14_373), 'merkle.share': ceiling('Merkle tree share', 0.037, 'share') }),
    );
    expect(rows.map((row) => [row.key, row.regressed])).toEqual([
      ['inproc.1', true],
      ['http.redemptions', false],
      ['export.csv.rss', false],
      ['verify.rate', false],
      ['merkle.share', false],
    ]);
    const table = comparisonTable(rows);
    expect(table).toMatch(/in-process, 1 in flight +\| 0\.073 +\| 0\.058 +\| -20\.6% +\| REGRESSED \(worse by over 20%\)/);
    expect(table).toMatch(/verifier entries\/s +\| 0\.448 +\| — +\| not in both runs/);
  });

  it('a PostgreSQL run (--engine pg) shares no key with a SQLite baseline, and is compared with a PostgreSQL one by its ratio', () => {
    const onPostgres = (value: number, floor: number): BenchRun => ({
      ...run({ 'pg.http.redemptions': throughput('PostgreSQL HTTP redemptions/s', value, floor) }),
      engine: 'pg',
      entries: 0,
    });
    expect(compareRuns(baseline, onPostgres(123, 510)).filter((row) => row.regressed || row.change !== undefined)).toEqual([]);
    // 123 / 510 = 0.241×, then 38 / 202 = 0.188×: 22.0% worse
    const row = byKey(compareRuns(onPostgres(123, 510), onPostgres(38, 202)), 'pg.http.redemptions');
    expect(row.change).toBeCloseTo(38 / 202 / (123 / 510) - 1, 6);
    expect(row.regressed).toBe(true);
  });
});
