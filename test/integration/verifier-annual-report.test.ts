// The verifier's annual report (decision 0043) over genuine ledgers written through the API and exported by GET
// /v1/ledger/export: settlement in December 2025 (a co-funded program, a payment, a clawback after it and a
// recovery), then claims and oversight in 2026 (approved claims, payments, closes). Its position through the head is
// what GET /v1/programs/:id/balances says, program by program; a region-filtered export gives the same report with
// --partial; and the full verifier holds on the same export.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareAnnualReports, exportEntries, recomputeAnnualReport } from '../../src/verifier/annual-report.js';
import { runVerification } from '../../src/verifier/run.js';
import { buildClaimsLedger } from '../helpers/claims-ledger.js';
import { HANGZHOU, ZHEJIANG } from '../helpers/fixtures.js';
import { buildOversightLedger } from '../helpers/oversight-ledger.js';
import { buildSettlementLedger } from '../helpers/settlement-ledger.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

interface Entry {
  seq: number;
  recordedAt: string;
  data: Record<string, unknown>;
}

let t: TestApp;
let dir: string;
let file: string;
let entries: Entry[];
/** After every entry: the reports of 2025 are complete, those of 2026 not yet. */
const NOW = new Date('2026-06-01T00:00:00.000Z');
const fen = (text: string) => BigInt(text.replace('.', ''));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vl-annual-report-'));
  t = await buildTestApp();
  await buildSettlementLedger(t);
  await buildClaimsLedger(t);
  await buildOversightLedger(t);
  file = join(dir, 'ledger.ndjson');
  writeFileSync(file, (await t.auditor.get('/v1/ledger/export?format=ndjson')).text);
  entries = [...exportEntries(file)] as Entry[];
}, 180_000);
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the annual report recomputed from a genuine export', () => {
  it('the full verifier holds on the export the report is folded from', async () => {
    const verified = await runVerification({ file });
    expect(verified.firstFailure).toBeNull();
  });

  it('its position through the head is the sum of the programs’ balances; the year’s money sums across rows', async () => {
    const { report, chain } = await recomputeAnnualReport(exportEntries(file), { year: 2026, region: ZHEJIANG, now: NOW });
    expect([report.throughSeq, report.complete, chain.unproven.length]).toEqual([entries.at(-1)!.seq, false, 1]);
    const programs = [...new Set(entries.map((e) => e.data['programId']).filter((id): id is string => typeof id === 'string'))];
    const sums = { funded: 0n, available: 0n, onVouchers: 0n, reserved: 0n, owedToProviders: 0n, paid: 0n };
    for (const id of programs) {
      const res = await t.auditor.get(`/v1/programs/${id}/balances`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      for (const key of Object.keys(sums) as (keyof typeof sums)[]) sums[key] += fen((res.body as { current: Record<string, string> }).current[key]!);
    }
    expect(Object.fromEntries(Object.entries(report.position).map(([key, value]) => [key, fen(value)]))).toEqual(sums);
    for (const key of ['subsidyGranted', 'clawedBack', 'paid', 'recovered', 'executed', 'funded'] as const) {
      const sum = (rows: { [figure in typeof key]: string }[]) => rows.reduce((s, row) => s + fen(row[key]), 0n);
      expect(sum(report.regions), key).toBe(fen(report.totals[key]));
      expect(sum(report.kinds), key).toBe(fen(report.totals[key]));
    }
    expect(report.buckets.reduce((s, b) => s + fen(b.subsidyNet), 0n)).toBe(fen(report.totals.subsidyNet));
    expect(report.months.reduce((s, m) => s + fen(m.subsidyGranted), 0n)).toBe(fen(report.totals.subsidyGranted));
    expect(report.funders.reduce((s, f) => s + fen(f.paidNet), 0n)).toBe(fen(report.totals.paidNet));
    expect(report.totals.programs).toBeGreaterThan(0);
    expect(Number(report.totals.subsidyGranted)).toBeGreaterThan(0);
  });

  it('2025 has ended: through its last seq, the settlement ledger alone', async () => {
    const last2025 = entries.filter((e) => e.recordedAt < '2025-12-31T16:00:00.000Z').at(-1)!.seq;
    const { report } = await recomputeAnnualReport(exportEntries(file), { year: 2025, region: ZHEJIANG, now: NOW });
    expect([report.throughSeq, report.complete]).toEqual([last2025, true]);
    // A redemption of 1,000.10 (subsidy 100.01), paid 60.01 / 40.00, 50.00 clawed back, 20.01 recovered.
    expect([report.totals.subsidyGranted, report.totals.clawedBack, report.totals.paid, report.totals.recovered]).toEqual([
      '100.01',
      '50.00',
      '100.01',
      '20.01',
    ]);
    // 1,000,000.00 funded 0.6 / 0.4 and the 1,000.01 increase (Hangzhou's 600.01; the province's 400.00 pending);
    // the 20.01 recovered 12.01 / 8.00.
    expect(report.funders.map((f) => [f.region, f.funder, f.appropriated, f.paid, f.recovered, f.paidNet])).toEqual([
      [HANGZHOU, ZHEJIANG, '400000.00', '40.00', '8.00', '32.00'],
      [HANGZHOU, HANGZHOU, '600600.01', '60.01', '12.01', '48.00'],
    ]);
  });

  it('a region-filtered export, with --partial, gives the same report as the whole ledger', async () => {
    const filtered = join(dir, 'hangzhou.ndjson');
    writeFileSync(filtered, (await t.auditor.get(`/v1/ledger/export?format=ndjson&region=${HANGZHOU}`)).text);
    const whole = await recomputeAnnualReport(exportEntries(file), { year: 2026, region: HANGZHOU, now: NOW });
    const partial = await recomputeAnnualReport(exportEntries(filtered), {
      year: 2026,
      region: HANGZHOU,
      now: NOW,
      throughSeq: whole.report.throughSeq,
      partial: true,
    });
    expect(compareAnnualReports(partial.report, whole.report)).toMatchObject({ agree: true });
    // The province's listing and delisting are not in Hangzhou's export.
    expect(partial.chain.gaps).toEqual(entries.filter((e) => e.data['region'] === ZHEJIANG).map((e) => [e.seq, e.seq]));
    expect(partial.chain.unproven[0]).toMatch(/^a partial export: 2 seqs are missing up to seq \d+/);
  });

  it("agrees with the service's own report figure for figure, for each year and region", async () => {
    for (const [year, region] of [
      [2025, ZHEJIANG],
      [2026, ZHEJIANG],
      [2026, HANGZHOU],
    ] as const) {
      const served = await t.auditor.get(`/v1/reports/annual?year=${year}&region=${region}`);
      expect(served.status, JSON.stringify(served.body)).toBe(200);
      const { report } = await recomputeAnnualReport(exportEntries(file), {
        year,
        region,
        throughSeq: served.body.throughSeq,
        now: new Date(served.body.generatedAt),
      });
      expect(compareAnnualReports(served.body, report)).toMatchObject({ agree: true });
      // The same members in the same order: the two folds were written apart, from decision 0043 alone.
      expect(JSON.stringify({ ...served.body, generatedAt: null })).toBe(JSON.stringify({ ...report, generatedAt: null }));
    }
  });
});
