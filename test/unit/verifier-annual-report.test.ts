// The verifier's annual report (decision 0043) over a hand-built chain, hashed and linked as the service would, with
// every figure worked out by hand below: a co-funded program (0.6/0.4) whose co-funder confirms in the year, vouchers
// issued, expired and revoked, a redemption clawed back after it was paid and the overpayment recovered, a claim
// approved on less than was executed, a program close; entries of the year before (the position only), of the next
// year (left out) and outside the region (not counted). Then forgeries and gaps (failing at their seq), a filtered
// export with --partial, and the comparison naming the first differing figure.
import canonicalize from 'canonicalize';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type AnnualReport,
  AnnualReportFailure,
  AnnualReportUnrunnable,
  compareAnnualReports,
  exportEntries,
  formatAnnualReport,
  ratio,
  recomputeAnnualReport,
} from '../../src/verifier/annual-report.js';
import { uscc } from '../helpers/fixtures.js';
import type { ExportedEntry } from '../helpers/tamper.js';

type Data = Record<string, unknown>;
type Entry = ExportedEntry;

const HANGZHOU = '330100';
const XIHU = '330106';
const ZHEJIANG = '330000';
const NINGBO = '330200';
const [E1, E2, E3, E4] = [uscc(101), uscc(102), uscc(103), uscc(104)];
const [PV1, PV2, PV3] = [uscc(1), uscc(2), uscc(3)];
const id = (prefix: string, n: number) => `${prefix}_00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [P1, P2, P3] = [id('prg', 1), id('prg', 2), id('prg', 3)];
const [V1, V2, V3, V4, V5] = [1, 2, 3, 4, 5].map((n) => id('vch', n)) as [string, string, string, string, string];
const [R1, R2, R3, R4] = [1, 2, 3, 4].map((n) => id('rdm', n)) as [string, string, string, string];
const issuer = (region: string) => ({ sub: `issuer-${region}`, role: 'issuer', region });
const hashOf = (unhashed: Omit<Entry, 'hash'>) => createHash('sha256').update(canonicalize(unhashed)!).digest('hex');

/** Entries hashed and linked as the service writes them; only the members the report reads, and the postings. */
function chain(): Entry[] {
  const entries: Entry[] = [];
  const add = (recordedAt: string, type: string, data: Data, postings: [string, string][] = []) => {
    const unhashed = {
      seq: entries.length + 1,
      type,
      recordedAt,
      actor: issuer(String(data['region'])),
      data,
      postings: postings.map(([account, amount]) => ({ account, amount })),
      prevHash: entries.at(-1)?.hash ?? '0'.repeat(64),
    };
    entries.push({ ...unhashed, hash: hashOf(unhashed) });
  };
  const p1 = { region: HANGZHOU, programId: P1, kind: 'compute' };
  const p2 = { region: XIHU, programId: P2, kind: 'corpus' };
  // 1 (2024): P1, 5,000,000.00 funded 0.6 by Hangzhou (at once) and 0.4 by the province (pending).
  add('2024-11-10T02:00:00.000Z', 'program.funded', { ...p1, budget: '5000000.00', funding: [{ region: HANGZHOU }, { region: ZHEJIANG }] }, [
    [`appropriation:${HANGZHOU}`, '-3000000.00'],
    [`program:${P1}`, '3000000.00'],
  ]);
  // 2: the province confirms its 2,000,000.00.
  add('2025-01-15T02:00:00.000Z', 'program.funded', { ...p1, funder: ZHEJIANG, amount: '2000000.00' }, [
    [`appropriation:${ZHEJIANG}`, '-2000000.00'],
    [`program:${P1}`, '2000000.00'],
  ]);
  // 3–5: three vouchers.
  for (const [day, voucherId, beneficiary, amount, negative] of [
    ['10', V1, E1, '1000000.00', '-1000000.00'],
    ['11', V2, E2, '500000.00', '-500000.00'],
    ['12', V3, E3, '200000.00', '-200000.00'],
  ] as const)
    add(`2025-02-${day}T02:00:00.000Z`, 'voucher.issued', { ...p1, voucherId, beneficiary: { uscc: beneficiary, name: '企业' }, amount }, [
      [`program:${P1}`, negative],
      [`voucher:${voucherId}`, amount],
    ]);
  // 6: autonomous compute, 2,000,000.00 executed at 30%: 600,000.00.
  add(
    '2025-03-05T02:00:00.000Z',
    'redemption.recorded',
    {
      ...p1,
      redemptionId: R1,
      voucherId: V1,
      contract: { providerUscc: PV1, beneficiaryUscc: E1 },
      executedAmount: '2000000.00',
      bucket: 'compute.autonomous',
      subsidy: '600000.00',
    },
    [
      [`voucher:${V1}`, '-600000.00'],
      [`payable:${PV1}`, '600000.00'],
    ],
  );
  // 7: non-autonomous compute, 1,000,000.00 at 20%: 200,000.00 (never paid).
  add(
    '2025-03-20T02:00:00.000Z',
    'redemption.recorded',
    {
      ...p1,
      redemptionId: R2,
      voucherId: V2,
      contract: { providerUscc: PV2, beneficiaryUscc: E2 },
      executedAmount: '1000000.00',
      bucket: 'compute.non_autonomous',
      subsidy: '200000.00',
    },
    [
      [`voucher:${V2}`, '-200000.00'],
      [`payable:${PV2}`, '200000.00'],
    ],
  );
  // 8: PV1 paid 600,000.00, 0.6/0.4.
  add('2025-04-10T02:00:00.000Z', 'payment.disbursed', { ...p1, providerUscc: PV1, amount: '600000.00' }, [
    [`payable:${PV1}`, '-600000.00'],
    [`disbursed:${HANGZHOU}`, '360000.00'],
    [`disbursed:${ZHEJIANG}`, '240000.00'],
  ]);
  // 9: 500,000.00 of R1 reversed after payment: 150,000.00 clawed back, back to the voucher.
  add(
    '2025-05-06T02:00:00.000Z',
    'redemption.reversed',
    { ...p1, redemptionId: R1, voucherId: V1, bucket: 'compute.autonomous', executedAmount: '500000.00', clawback: '150000.00' },
    [
      [`payable:${PV1}`, '-150000.00'],
      [`voucher:${V1}`, '150000.00'],
    ],
  );
  // 10: the overpayment recovered from PV1, 0.6/0.4.
  add('2025-06-18T02:00:00.000Z', 'payment.recovered', { ...p1, providerUscc: PV1, amount: '150000.00' }, [
    [`disbursed:${HANGZHOU}`, '-90000.00'],
    [`disbursed:${ZHEJIANG}`, '-60000.00'],
    [`payable:${PV1}`, '150000.00'],
  ]);
  // 11: V3 revoked whole; 12: V2 expires with 300,000.00 left.
  add('2025-07-01T02:00:00.000Z', 'voucher.revoked', { ...p1, voucherId: V3, returned: '200000.00' }, [
    [`voucher:${V3}`, '-200000.00'],
    [`program:${P1}`, '200000.00'],
  ]);
  add('2025-08-31T17:00:00.000Z', 'voucher.expired', { ...p1, voucherId: V2, returned: '300000.00' }, [
    [`voucher:${V2}`, '-300000.00'],
    [`program:${P1}`, '300000.00'],
  ]);
  // 13: P2 in Xihu (a county of Hangzhou), a corpus program that takes claims, funded by Xihu alone.
  add('2025-09-01T02:00:00.000Z', 'program.funded', { ...p2, budget: '1000000.00', funding: [{ region: XIHU }] }, [
    [`appropriation:${XIHU}`, '-1000000.00'],
    [`program:${P2}`, '1000000.00'],
  ]);
  add('2025-09-02T02:00:00.000Z', 'voucher.issued', { ...p2, voucherId: V4, beneficiary: { uscc: E1, name: '企业' }, amount: '400000.00' }, [
    [`program:${P2}`, '-400000.00'],
    [`voucher:${V4}`, '400000.00'],
  ]);
  // 15: a claim of 1,000,000.00 executed reserves 300,000.00; 16: approved on the 800,000.00 paid: 240,000.00, 60,000.00 back.
  add('2025-09-10T02:00:00.000Z', 'claim.submitted', { ...p2, redemptionId: R3, voucherId: V4, bucket: 'corpus', subsidy: '300000.00' }, [
    [`voucher:${V4}`, '-300000.00'],
    [`reserved:${R3}`, '300000.00'],
  ]);
  add(
    '2025-10-15T02:00:00.000Z',
    'claim.approved',
    {
      ...p2,
      redemptionId: R3,
      voucherId: V4,
      providerUscc: PV3,
      beneficiaryUscc: E1,
      bucket: 'corpus',
      executedAmount: '1000000.00',
      paidAmount: '800000.00',
      basis: '800000.00',
      reserved: '300000.00',
      subsidy: '240000.00',
      released: '60000.00',
    },
    [
      [`reserved:${R3}`, '-300000.00'],
      [`payable:${PV3}`, '240000.00'],
      [`voucher:${V4}`, '60000.00'],
    ],
  );
  // 17: a claim still open at the year's end holds 30,000.00.
  add('2025-11-03T02:00:00.000Z', 'claim.submitted', { ...p2, redemptionId: R4, voucherId: V4, bucket: 'corpus', subsidy: '30000.00' }, [
    [`voucher:${V4}`, '-30000.00'],
    [`reserved:${R4}`, '30000.00'],
  ]);
  // 18: P1 closes at 23:00 on 31 December (Asia/Shanghai): V1's 550,000.00 and the 3,800,000.00 available, 4,350,000.00
  // back to the funders by what each confirmed (3,000,000.00 : 2,000,000.00).
  add(
    '2025-12-31T15:00:00.000Z',
    'program.closed',
    { ...p1, vouchers: [{ voucherId: V1, returned: '550000.00' }], vouchersReturned: '550000.00', availableBefore: '3800000.00', returned: '4350000.00' },
    [
      [`voucher:${V1}`, '-550000.00'],
      [`program:${P1}`, '-3800000.00'],
      [`appropriation:${HANGZHOU}`, '2610000.00'],
      [`appropriation:${ZHEJIANG}`, '1740000.00'],
    ],
  );
  // 19: Ningbo's program (outside 330100); 20: a listing (no program).
  add('2025-12-31T15:30:00.000Z', 'program.funded', { region: NINGBO, programId: P3, kind: 'compute', budget: '9999.00' }, [
    [`appropriation:${NINGBO}`, '-9999.00'],
    [`program:${P3}`, '9999.00'],
  ]);
  add('2025-12-31T15:40:00.000Z', 'watchlist.listed', { region: HANGZHOU, uscc: E3 });
  // 21: 00:00 on 1 January 2026 (Asia/Shanghai): the next year.
  add('2025-12-31T16:00:00.000Z', 'voucher.issued', { ...p2, voucherId: V5, beneficiary: { uscc: E4, name: '企业' }, amount: '100000.00' }, [
    [`program:${P2}`, '-100000.00'],
    [`voucher:${V5}`, '100000.00'],
  ]);
  return entries;
}

const NOW = new Date('2026-03-01T00:00:00.000Z');
const zero = '0.00';

/** Every figure of the report of Hangzhou (330100) for 2025, through seq 20, worked out by hand. */
const figures330100 = {
  programs: 1,
  appropriated: '2000000.00',
  returned: '4350000.00',
  funded: '-2350000.00',
  vouchersIssued: 3,
  vouchersIssuedAmount: '1700000.00',
  vouchersExpired: 2, // V2 expired, V1 by the close
  vouchersExpiredAmount: '850000.00',
  vouchersRevoked: 1,
  vouchersRevokedAmount: '200000.00',
  subsidyGranted: '800000.00',
  clawedBack: '150000.00',
  subsidyNet: '650000.00',
  paid: '600000.00',
  recovered: '150000.00',
  paidNet: '450000.00',
  executed: '2500000.00', // 2,000,000 + 1,000,000 − 500,000
  enterprises: 3,
  providers: 2,
  autonomousShare: '0.6923', // 450,000 ÷ 650,000
  leverage: '3.8461', // 2,500,000 ÷ 650,000
};
const figures330106 = {
  programs: 1,
  appropriated: '1000000.00',
  returned: zero,
  funded: '1000000.00',
  vouchersIssued: 1,
  vouchersIssuedAmount: '400000.00',
  vouchersExpired: 0,
  vouchersExpiredAmount: zero,
  vouchersRevoked: 0,
  vouchersRevokedAmount: zero,
  subsidyGranted: '240000.00',
  clawedBack: zero,
  subsidyNet: '240000.00',
  paid: zero,
  recovered: zero,
  paidNet: zero,
  executed: '800000.00', // the claim's basis, not the 1,000,000.00 executed
  enterprises: 1,
  providers: 1,
  autonomousShare: null, // no compute
  leverage: '3.3333',
};
const month = (m: string, changes: Data = {}) => ({
  month: `2025-${m}`,
  vouchersIssuedAmount: zero,
  subsidyGranted: zero,
  clawedBack: zero,
  paid: zero,
  recovered: zero,
  ...changes,
});
const expected2025: Omit<AnnualReport, 'generatedAt'> = {
  year: 2025,
  region: HANGZHOU,
  throughSeq: 20,
  complete: true,
  totals: {
    programs: 2,
    appropriated: '3000000.00',
    returned: '4350000.00',
    funded: '-1350000.00',
    vouchersIssued: 4,
    vouchersIssuedAmount: '2100000.00',
    vouchersExpired: 2,
    vouchersExpiredAmount: '850000.00',
    vouchersRevoked: 1,
    vouchersRevokedAmount: '200000.00',
    subsidyGranted: '1040000.00',
    clawedBack: '150000.00',
    subsidyNet: '890000.00',
    paid: '600000.00',
    recovered: '150000.00',
    paidNet: '450000.00',
    executed: '3300000.00',
    enterprises: 3,
    providers: 3,
    autonomousShare: '0.6923',
    leverage: '3.7078', // 3,300,000 ÷ 890,000 = 3.70786…
  },
  regions: [
    { region: HANGZHOU, ...figures330100 },
    { region: XIHU, ...figures330106 },
  ],
  kinds: [
    { kind: 'compute', ...figures330100 },
    { kind: 'corpus', ...figures330106 },
  ],
  buckets: [
    {
      bucket: 'compute.autonomous',
      kind: 'compute',
      redemptions: 1,
      subsidyGranted: '600000.00',
      clawedBack: '150000.00',
      subsidyNet: '450000.00',
      executed: '1500000.00',
      enterprises: 1,
      providers: 1,
      leverage: '3.3333',
    },
    {
      bucket: 'compute.non_autonomous',
      kind: 'compute',
      redemptions: 1,
      subsidyGranted: '200000.00',
      clawedBack: zero,
      subsidyNet: '200000.00',
      executed: '1000000.00',
      enterprises: 1,
      providers: 1,
      leverage: '5.0000',
    },
    {
      bucket: 'corpus',
      kind: 'corpus',
      redemptions: 1,
      subsidyGranted: '240000.00',
      clawedBack: zero,
      subsidyNet: '240000.00',
      executed: '800000.00',
      enterprises: 1,
      providers: 1,
      leverage: '3.3333',
    },
  ],
  funders: [
    {
      region: HANGZHOU,
      funder: ZHEJIANG,
      appropriated: '2000000.00',
      returned: '1740000.00',
      funded: '260000.00',
      paid: '240000.00',
      recovered: '60000.00',
      paidNet: '180000.00',
    },
    // Hangzhou's own 3,000,000.00 was appropriated in 2024.
    {
      region: HANGZHOU,
      funder: HANGZHOU,
      appropriated: zero,
      returned: '2610000.00',
      funded: '-2610000.00',
      paid: '360000.00',
      recovered: '90000.00',
      paidNet: '270000.00',
    },
    { region: XIHU, funder: XIHU, appropriated: '1000000.00', returned: zero, funded: '1000000.00', paid: zero, recovered: zero, paidNet: zero },
  ],
  months: [
    month('01'),
    month('02', { vouchersIssuedAmount: '1700000.00' }),
    month('03', { subsidyGranted: '800000.00' }),
    month('04', { paid: '600000.00' }),
    month('05', { clawedBack: '150000.00' }),
    month('06', { recovered: '150000.00' }),
    month('07'),
    month('08'),
    month('09', { vouchersIssuedAmount: '400000.00' }),
    month('10', { subsidyGranted: '240000.00' }),
    month('11'),
    month('12'),
  ],
  // Cumulative from 2024: 3,000,000 + 2,000,000 + 1,000,000 − 4,350,000 = 600,000 + 130,000 + 30,000 + 440,000 + 450,000.
  position: {
    funded: '1650000.00',
    available: '600000.00',
    onVouchers: '130000.00',
    reserved: '30000.00',
    owedToProviders: '440000.00',
    paid: '450000.00',
  },
};

const recompute = (entries: unknown[], options: { year?: number; region?: string; throughSeq?: number; partial?: boolean; now?: Date } = {}) =>
  recomputeAnnualReport(entries, { year: 2025, region: HANGZHOU, now: NOW, ...options });

async function failure(promise: Promise<unknown>): Promise<AnnualReportFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AnnualReportFailure);
  return err as AnnualReportFailure;
}

describe('the annual report recomputed by the verifier', () => {
  it('folds the year through its last seq: every figure of every table, the position cumulative', async () => {
    const { report, chain: checked } = await recompute(chain());
    const { generatedAt, ...rest } = report;
    expect(generatedAt).toBe(NOW.toISOString());
    expect(rest).toEqual(expected2025);
    // Member order as decision 0043 lists it.
    expect(Object.keys(report)).toEqual([
      'year',
      'region',
      'throughSeq',
      'complete',
      'generatedAt',
      'totals',
      'regions',
      'kinds',
      'buckets',
      'funders',
      'months',
      'position',
    ]);
    expect(Object.keys(report.regions[0]!)).toEqual(['region', ...Object.keys(figures330100)]);
    expect(checked).toEqual({ entries: 20, firstSeq: 1, lastSeq: 20, gaps: [], unproven: [] });
    // The tables' money sums to the totals.
    const sum = (rows: Data[], key: string) => rows.reduce((s, row) => s + BigInt(String(row[key]).replace('.', '')), 0n);
    for (const key of ['subsidyNet', 'executed', 'paid', 'funded'])
      expect(sum(report.regions as unknown as Data[], key)).toBe(BigInt(String((report.totals as unknown as Data)[key]).replace('.', '')));
    expect(formatAnnualReport({ report, chain: checked })).toContain('subsidyNet 890000.00');
  });

  it('the province rolls its prefectures up; a county is its own row only; Ningbo is out of Hangzhou', async () => {
    const province = (await recompute(chain(), { region: ZHEJIANG })).report;
    expect(province.regions.map((r) => [r.region, r.subsidyNet, r.programs])).toEqual([
      [HANGZHOU, '890000.00', 2],
      [NINGBO, zero, 1],
    ]);
    expect(province.totals.appropriated).toBe('3009999.00');
    const xihu = (await recompute(chain(), { region: XIHU })).report;
    expect(xihu.regions.map((r) => r.region)).toEqual([XIHU]);
    expect(xihu.totals).toEqual(figures330106);
    expect(xihu.funders.map((f) => `${f.region}|${f.funder}`)).toEqual(['330106|330106']);
  });

  it('a year not ended runs through the head and is not complete; a throughSeq repeats an earlier report', async () => {
    const current = (await recompute(chain(), { year: 2026 })).report;
    expect([current.throughSeq, current.complete, current.totals.vouchersIssuedAmount, current.position.available]).toEqual([
      21,
      false,
      '100000.00',
      '500000.00',
    ]);
    // Hangzhou's row has no entry in 2026 but a position (650,000.00 owed and paid): listed, its figures zero.
    expect(current.regions.map((r) => [r.region, r.programs, r.subsidyNet])).toEqual([
      [HANGZHOU, 0, zero],
      [XIHU, 1, zero],
    ]);

    const earlier = (await recompute(chain(), { throughSeq: 12 })).report;
    expect(earlier.throughSeq).toBe(12);
    expect(earlier.totals.subsidyNet).toBe('650000.00');
    expect(earlier.totals.vouchersExpired).toBe(1);
    expect(earlier.position).toEqual({
      funded: '5000000.00',
      available: '3800000.00',
      onVouchers: '550000.00',
      reserved: zero,
      owedToProviders: '200000.00',
      paid: '450000.00',
    });
  });

  it('cannot run past the year’s last seq, beyond the export, or for a year to come', async () => {
    const past = await recompute(chain(), { throughSeq: 21 }).catch((e: unknown) => e);
    expect(past).toBeInstanceOf(AnnualReportUnrunnable);
    expect((past as AnnualReportUnrunnable).bound).toBe(20);
    await expect(recompute(chain().slice(0, 15), { throughSeq: 18 })).rejects.toThrow('the export ends at seq 15, before throughSeq 18');
    await expect(recompute(chain(), { year: 2027 })).rejects.toBeInstanceOf(AnnualReportUnrunnable);
    await expect(recompute(chain(), { region: '33010' })).rejects.toBeInstanceOf(AnnualReportUnrunnable);
  });

  it('a changed amount fails its seq’s hash', async () => {
    const entries = chain();
    (entries[6]!.data as Data)['subsidy'] = '200000.01';
    const failed = await failure(recompute(entries));
    expect([failed.seq, failed.reason]).toEqual([7, 'the hash does not match the entry’s content']);
    const posting = chain();
    posting[9]!.postings[0]!.amount = '-90000.10';
    expect((await failure(recompute(posting))).seq).toBe(10);
  });

  it('a forged entry re-hashed breaks the link of the next; a gap fails naming the first missing seq', async () => {
    const forged = chain();
    const { hash: _old, ...unhashed } = forged[6]!;
    (unhashed.data as Data)['subsidy'] = '200000.01';
    forged[6] = { ...unhashed, hash: hashOf(unhashed) };
    const failed = await failure(recompute(forged));
    expect([failed.seq, failed.reason]).toEqual([8, 'prevHash does not match the hash of seq 7']);

    const gap = chain().filter((e) => e.seq !== 5 && e.seq !== 6);
    const missing = await failure(recompute(gap));
    expect(missing.seq).toBe(5);
    expect(missing.reason).toContain('seqs 5–6 are missing from the export');
    const first = await failure(recompute(chain().slice(1)));
    expect(first.seq).toBe(1);
  });

  it('a region-filtered export with --partial: the same report, its gaps said to be unproven', async () => {
    const filtered = chain().filter((e) => e.seq !== 19 && e.seq !== 20);
    await expect(recompute(filtered)).rejects.toBeInstanceOf(AnnualReportFailure);
    const { report, chain: checked } = await recompute(filtered, { partial: true, throughSeq: 20 });
    const { generatedAt: _g, ...rest } = report;
    expect(rest).toEqual(expected2025);
    expect(checked.gaps).toEqual([[19, 20]]);
    expect(checked.unproven[0]).toContain('a partial export: 2 seqs are missing up to seq 20 (seqs 19–20)');
    // Each entry's own hash is still checked.
    filtered[3]!.data['amount'] = '500000.01';
    expect((await failure(recompute(filtered, { partial: true }))).seq).toBe(4);
  });

  it('reads an NDJSON export, a line that is not JSON failing at its place', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'annual-report-'));
    const file = join(dir, 'ledger.ndjson');
    writeFileSync(
      file,
      `${chain()
        .map((e) => JSON.stringify(e))
        .join('\n')}\n`,
    );
    const { report } = await recompute([...exportEntries(file)]);
    expect(report.totals.subsidyNet).toBe('890000.00');
    const broken = join(dir, 'broken.ndjson');
    const lines = chain().map((e) => JSON.stringify(e));
    lines[2] = lines[2]!.slice(0, 40);
    writeFileSync(broken, lines.join('\n'));
    expect((await failure(recompute([...exportEntries(broken)]))).seq).toBe(3);
  });

  it('compares every figure, naming the first that differs and ignoring generatedAt', async () => {
    const { report } = await recompute(chain());
    const service = JSON.parse(JSON.stringify({ ...report, generatedAt: '2026-01-05T01:00:00.000Z' })) as AnnualReport;
    // Rows are matched by their keys, whatever their order.
    service.regions.reverse();
    const agreed = compareAnnualReports(service, report);
    // 4 header members, 21 totals, 2 × 22 regions, 2 × 22 kinds, 3 × 10 buckets, 3 × 8 funders, 12 × 6 months, 6 position.
    expect(agreed).toEqual({ agree: true, figures: 4 + 21 + 44 + 44 + 30 + 24 + 72 + 6 });

    const altered = structuredClone(service);
    altered.regions.find((r) => r.region === XIHU)!.subsidyNet = '240000.01';
    expect(compareAnnualReports(altered, report).difference).toBe('regions[330106].subsidyNet: report 240000.01, ledger 240000.00');
    const ratioAltered = structuredClone(service);
    ratioAltered.totals.autonomousShare = null;
    expect(compareAnnualReports(ratioAltered, report).difference).toBe('totals.autonomousShare: report null, ledger 0.6923');
    const missing = structuredClone(service);
    missing.buckets.pop();
    expect(compareAnnualReports(missing, report).difference).toBe('buckets[corpus]: report (no row), ledger a row');
    const extra = structuredClone(service);
    extra.funders.push({ ...extra.funders[0]!, funder: NINGBO });
    expect(compareAnnualReports(extra, report).difference).toBe('funders[330100,330200]: report a row, ledger (no row)');
    const position = structuredClone(service);
    position.position.reserved = '0.00';
    expect(compareAnnualReports(position, report).difference).toBe('position.reserved: report 0.00, ledger 30000.00');
    const seq = structuredClone(service);
    seq.throughSeq = 19;
    expect(compareAnnualReports(seq, report).difference).toBe('throughSeq: report 19, ledger 20');
  });

  it('ratios are floors to four decimals, null over zero', () => {
    expect([ratio(3n, 4n), ratio(2n, 3n), ratio(1n, 1n), ratio(5n, 0n), ratio(-1n, 3n), ratio(10n, -4n)]).toEqual([
      '0.7500',
      '0.6666',
      '1.0000',
      null,
      '-0.3334',
      '-2.5000',
    ]);
  });
});

describe('npm run verify -- report', () => {
  const repo = fileURLToPath(new URL('../..', import.meta.url));
  const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url));
  const verify = (...args: string[]) => {
    const run = spawnSync(process.execPath, ['--import', tsx, join(repo, 'scripts/verify.ts'), 'report', ...args], { encoding: 'utf8' });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  it('prints the report, compares it (exit 0 or 1 naming the figure), fails a forged export (1) and cannot run on misuse (2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'annual-report-cli-'));
    const file = join(dir, 'ledger.ndjson');
    writeFileSync(
      file,
      `${chain()
        .map((e) => JSON.stringify(e))
        .join('\n')}\n`,
    );
    const args = [file, '--year', '2025', '--region', HANGZHOU];

    const printed = verify(...args);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('recomputed from the export through seq 20');
    const json = verify(...args, '--json');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as AnnualReport;
    expect(report.totals).toEqual(expected2025.totals);

    const service = join(dir, 'report.json');
    writeFileSync(service, JSON.stringify({ ...report, generatedAt: '2026-01-05T01:00:00.000Z' }));
    const agrees = verify(...args, '--compare', service);
    expect(agrees.code, agrees.stdout + agrees.stderr).toBe(0);
    expect(agrees.stdout.trim().split('\n')[0]).toBe('the report agrees with the ledger through seq 20: 245 figures compared');
    expect(agrees.stdout).toContain('--checkpoint NOTE --log-key KEY (a public checkpoint of tree size ≥ 20)');

    report.regions[1]!.subsidyNet = '240000.01';
    writeFileSync(service, JSON.stringify(report));
    const differs = verify(...args, '--compare', service);
    expect(differs.code).toBe(1);
    expect(differs.stdout.trim()).toBe('DIFFERS: regions[330106].subsidyNet: report 240000.01, ledger 240000.00');

    const forged = chain();
    forged[6]!.data['subsidy'] = '200000.01';
    writeFileSync(file, forged.map((e) => JSON.stringify(e)).join('\n'));
    const failed = verify(...args);
    expect(failed.code).toBe(1);
    expect(failed.stdout.trim()).toBe('FAILED at seq 7: the hash does not match the entry’s content');

    writeFileSync(
      file,
      chain()
        .slice(0, 15)
        .map((e) => JSON.stringify(e))
        .join('\n'),
    );
    const short = verify(...args, '--through-seq', '18');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/^npm run verify: the report could not be recomputed: the export ends at seq 15, before throughSeq 18/);
    expect(verify(join(dir, 'missing.ndjson'), '--year', '2025', '--region', HANGZHOU).code).toBe(2);
    expect(verify(file, '--year', '2025').code).toBe(2);
    expect(verify(file, '--year', '2025', '--region', HANGZHOU, '--compare', join(dir, 'missing.json')).code).toBe(2);
  }, 60_000);
});
