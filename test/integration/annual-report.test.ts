// The annual report (decision 0043) through the real API, with worked figures: a program co-funded 0.6 / 0.4 by
// Hangzhou and the province in 2025; in 2026 vouchers issued, revoked and expired, redemptions at 10% and 30%, a
// batch paid, a clawback after payment and its recovery, a budget decrease, and a program of Xihu district.
// Every instant is 10:00 Asia/Shanghai.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashEntry } from '../../src/ledger/ledger.hash.js';
import type { LedgerEntry } from '../../src/ledger/ledger.types.js';
import { formatFen, parseSignedYuan } from '../../src/shared/money.js';
import { NOTE_ED25519, rawPublicKey, verifierKeyString } from '../../src/transparency/note.js';
import { compareAnnualReports, recomputeAnnualReport } from '../../src/verifier/annual-report.js';
import { at, registerProvider } from '../helpers/claims-ledger.js';
import { ENTERPRISE, HANGZHOU, OTHER_ENTERPRISE, PROVIDER, XIHU, ZHEJIANG } from '../helpers/fixtures.js';
import { ok } from '../helpers/oversight-ledger.js';
import { runScript } from '../helpers/processes.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type Client, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let xihu: Client;
let province: Client;
let programA: string;
let programB: string;

const problemOf = (res: { status: number; body: any }) => ({ status: res.status, code: res.body.code as string, field: res.body.field as string | undefined });

beforeAll(async () => {
  t = await buildTestApp({ now: at('2025-12-15') });
  const s = scenario(t);
  xihu = await t.as({ sub: 'xh-finance', role: 'issuer', region: XIHU });
  province = await t.as({ sub: 'zj-finance', role: 'issuer', region: ZHEJIANG });
  const checker = await t.as({ sub: 'checker-hz', role: 'issuer', region: HANGZHOU });

  // 2025: the program is funded by both, and a voucher of 500,000.00 issued.
  const a = await s.program({
    name: '杭州·省市共担算力券',
    budget: '1000000.00',
    funding: [
      { region: HANGZHOU, ratio: '0.6' },
      { region: ZHEJIANG, ratio: '0.4' },
    ],
  });
  programA = a.id;
  await ok(province.post(`/v1/programs/${programA}/funding/${ZHEJIANG}/confirm`));
  const v1 = await s.voucher(programA, { amount: '500000.00', expiresOn: '2026-12-31' });

  // 2026-01-20: a voucher revoked, one that will expire, two redemptions (10% and 30%) and a batch paid.
  t.clock.set(at('2026-01-20'));
  const v2 = await s.voucher(programA, { amount: '10000.00', beneficiary: { uscc: OTHER_ENTERPRISE, name: '杭州另一家智能科技有限公司' } });
  await ok(t.issuer.post(`/v1/vouchers/${v2.id}/revoke`, { reason: '企业主动放弃' }));
  await s.voucher(programA, { amount: '20000.00', expiresOn: '2026-02-28' });
  await registerProvider(t);
  const c1 = await s.contract({ autonomous: false });
  const c2 = await s.contract({ autonomous: true });
  const r1 = await ok<{ id: string }>(s.redeem(v1.id, c1.id, '1000000.10', { executedOn: '2026-01-20' }), 201);
  await ok(s.redeem(v1.id, c2.id, '200000.00', { executedOn: '2026-01-20' }), 201);
  const batch = await ok<{ id: string; lines: { id: string }[] }>(t.issuer.post('/v1/payment-batches', { programId: programA, cutoff: '2026-01-20' }), 201);
  await ok(checker.post(`/v1/payment-batches/${batch.id}/approve`));
  await ok(t.issuer.post(`/v1/payment-batches/${batch.id}/lines/${batch.lines[0]!.id}/paid`, { bankReference: 'ICBC-2026-0001', paidOn: '2026-01-20' }));

  // 2026-02-10: a credit note after payment claws 10,000.00 back, which the provider then returns.
  t.clock.set(at('2026-02-10'));
  await ok(t.provider.post(`/v1/redemptions/${r1.id}/reversals`, { executedAmount: '100000.00', reason: '部分算力未交付' }), 201);
  await ok(
    t.issuer.post(`/v1/providers/${PROVIDER}/recoveries`, {
      programId: programA,
      amount: '10000.00',
      bankReference: 'RET-2026-0001',
      receivedOn: '2026-02-10',
    }),
    201,
  );

  // 2026-03-02: the third voucher has expired; Xihu runs a program of its own; Hangzhou lowers its budget.
  t.clock.set(at('2026-03-02'));
  await ok(t.issuer.post('/v1/vouchers/expiry-sweep', {}));
  const b = await s.program({ name: '西湖区算力券', budget: '50000.00' }, xihu);
  programB = b.id;
  const vb = await s.voucher(programB, { amount: '30000.00' }, xihu);
  const c3 = await s.contract({ autonomous: true });
  await ok(s.redeem(vb.id, c3.id, '5000.00', { executedOn: '2026-03-02' }), 201);
  await ok(t.issuer.post(`/v1/programs/${programA}/budget-changes`, { amount: '1000.00', direction: 'decrease', reason: '年中预算调整' }), 201);
});
afterAll(() => t.close());

const zero = {
  appropriated: '0.00',
  returned: '0.00',
  funded: '0.00',
  vouchersIssued: 0,
  vouchersIssuedAmount: '0.00',
  vouchersExpired: 0,
  vouchersExpiredAmount: '0.00',
  vouchersRevoked: 0,
  vouchersRevokedAmount: '0.00',
  subsidyGranted: '0.00',
  clawedBack: '0.00',
  subsidyNet: '0.00',
  paid: '0.00',
  recovered: '0.00',
  paidNet: '0.00',
  executed: '0.00',
  enterprises: 0,
  providers: 0,
  autonomousShare: null,
  leverage: null,
};

const hangzhou2026 = {
  programs: 2,
  appropriated: '50000.00',
  returned: '1000.00',
  funded: '49000.00',
  vouchersIssued: 3,
  vouchersIssuedAmount: '60000.00',
  vouchersExpired: 1,
  vouchersExpiredAmount: '20000.00',
  vouchersRevoked: 1,
  vouchersRevokedAmount: '10000.00',
  // 100,000.01 at 10% of 1,000,000.10, 60,000.00 at 30% of 200,000.00, 1,500.00 at 30% of 5,000.00.
  subsidyGranted: '161500.01',
  // A credit note of 100,000.00 on 1,000,000.10 claws back a tenth of 100,000.01.
  clawedBack: '10000.00',
  subsidyNet: '151500.01',
  paid: '160000.01',
  recovered: '10000.00',
  paidNet: '150000.01',
  executed: '1105000.10',
  enterprises: 2,
  providers: 1,
  // 61,500.00 of 151,500.01 went to autonomous compute; 1,105,000.10 was executed on it.
  autonomousShare: '0.4059',
  leverage: '7.2937',
};

describe('the annual report of a region', () => {
  it("states every figure of Hangzhou's 2026 through the head, by region, kind, bucket, funder and month", async () => {
    const head = await ok<{ entries: { seq: number }[] }>(t.auditor.get('/v1/ledger?afterSeq=0&limit=500'));
    const report = await ok<any>(t.issuer.get('/v1/reports/annual?year=2026'));
    expect(report).toMatchObject({ year: 2026, region: HANGZHOU, throughSeq: head.entries.at(-1)!.seq, complete: false });
    expect(report.totals).toEqual(hangzhou2026);
    expect(report.regions).toEqual([
      {
        region: HANGZHOU,
        ...zero,
        programs: 1,
        returned: '1000.00',
        funded: '-1000.00',
        vouchersIssued: 2,
        vouchersIssuedAmount: '30000.00',
        vouchersExpired: 1,
        vouchersExpiredAmount: '20000.00',
        vouchersRevoked: 1,
        vouchersRevokedAmount: '10000.00',
        subsidyGranted: '160000.01',
        clawedBack: '10000.00',
        subsidyNet: '150000.01',
        paid: '160000.01',
        recovered: '10000.00',
        paidNet: '150000.01',
        executed: '1100000.10',
        enterprises: 2,
        providers: 1,
        autonomousShare: '0.3999',
        leverage: '7.3333',
      },
      {
        region: XIHU,
        ...zero,
        programs: 1,
        appropriated: '50000.00',
        funded: '50000.00',
        vouchersIssued: 1,
        vouchersIssuedAmount: '30000.00',
        subsidyGranted: '1500.00',
        subsidyNet: '1500.00',
        executed: '5000.00',
        enterprises: 1,
        providers: 1,
        autonomousShare: '1.0000',
        leverage: '3.3333',
      },
    ]);
    expect(report.kinds).toEqual([{ kind: 'compute', ...hangzhou2026 }]);
    expect(report.buckets).toEqual([
      {
        bucket: 'compute.autonomous',
        kind: 'compute',
        redemptions: 2,
        subsidyGranted: '61500.00',
        clawedBack: '0.00',
        subsidyNet: '61500.00',
        executed: '205000.00',
        enterprises: 1,
        providers: 1,
        leverage: '3.3333',
      },
      {
        bucket: 'compute.non_autonomous',
        kind: 'compute',
        redemptions: 1,
        subsidyGranted: '100000.01',
        clawedBack: '10000.00',
        subsidyNet: '90000.01',
        executed: '900000.10',
        enterprises: 1,
        providers: 1,
        leverage: '10.0000',
      },
    ]);
    // The batch of 160,000.01 split 0.6 / 0.4 by the largest remainder; the recovery 6,000.00 / 4,000.00; the decrease 600.00 / 400.00.
    expect(report.funders).toEqual([
      {
        region: HANGZHOU,
        funder: ZHEJIANG,
        appropriated: '0.00',
        returned: '400.00',
        funded: '-400.00',
        paid: '64000.00',
        recovered: '4000.00',
        paidNet: '60000.00',
      },
      {
        region: HANGZHOU,
        funder: HANGZHOU,
        appropriated: '0.00',
        returned: '600.00',
        funded: '-600.00',
        paid: '96000.01',
        recovered: '6000.00',
        paidNet: '90000.01',
      },
      { region: XIHU, funder: XIHU, appropriated: '50000.00', returned: '0.00', funded: '50000.00', paid: '0.00', recovered: '0.00', paidNet: '0.00' },
    ]);
    expect(report.months.slice(0, 4)).toEqual([
      { month: '2026-01', vouchersIssuedAmount: '30000.00', subsidyGranted: '160000.01', clawedBack: '0.00', paid: '160000.01', recovered: '0.00' },
      { month: '2026-02', vouchersIssuedAmount: '0.00', subsidyGranted: '0.00', clawedBack: '10000.00', paid: '0.00', recovered: '10000.00' },
      { month: '2026-03', vouchersIssuedAmount: '30000.00', subsidyGranted: '1500.00', clawedBack: '0.00', paid: '0.00', recovered: '0.00' },
      { month: '2026-04', vouchersIssuedAmount: '0.00', subsidyGranted: '0.00', clawedBack: '0.00', paid: '0.00', recovered: '0.00' },
    ]);
    expect(report.months).toHaveLength(12);
    expect(report.months[11].month).toBe('2026-12');
  });

  it("has a position equal to the sum of the programs' balances: funded = available + onVouchers + reserved + owed + paid", async () => {
    const report = await ok<any>(t.issuer.get('/v1/reports/annual?year=2026'));
    expect(report.position).toEqual({
      funded: '1049000.00',
      available: '519000.00',
      onVouchers: '378499.99',
      reserved: '0.00',
      owedToProviders: '1500.00',
      paid: '150000.01',
    });
    const sum = (key: string, ...balances: Record<string, string>[]) => formatFen(balances.reduce((total, b) => total + parseSignedYuan(b[key]!), 0n));
    const a = (await ok<any>(t.issuer.get(`/v1/programs/${programA}/balances`))).current;
    const b = (await ok<any>(xihu.get(`/v1/programs/${programB}/balances`))).current;
    expect(report.position.funded).toBe(sum('funded', a, b));
    expect(report.position.available).toBe(sum('available', a, b));
    expect(report.position.onVouchers).toBe(sum('onVouchers', a, b));
    expect(report.position.owedToProviders).toBe(sum('owedToProviders', a, b));
    expect(report.position.reserved).toBe(sum('reserved', a, b));
    expect(report.position.paid).toBe(sum('paid', a, b));
  });

  it('stops a closed year at its last entry, and rolls the districts up into their city for the province', async () => {
    const closed = await ok<any>(t.auditor.get(`/v1/reports/annual?year=2025&region=${HANGZHOU}`));
    // The funding, the province's confirmation and the first voucher were the 2025 entries.
    expect(closed).toMatchObject({ year: 2025, throughSeq: 3, complete: true });
    expect(closed.totals).toMatchObject({
      programs: 1,
      appropriated: '1000000.00',
      funded: '1000000.00',
      vouchersIssued: 1,
      vouchersIssuedAmount: '500000.00',
      enterprises: 1,
    });
    expect(closed.position).toEqual({
      funded: '1000000.00',
      available: '500000.00',
      onVouchers: '500000.00',
      reserved: '0.00',
      owedToProviders: '0.00',
      paid: '0.00',
    });
    // A cut before the year's last entry is not the year's report, however long ago the year ended.
    expect(await ok<any>(t.auditor.get(`/v1/reports/annual?year=2025&region=${HANGZHOU}&throughSeq=2`))).toMatchObject({ throughSeq: 2, complete: false });
    expect(closed.funders).toEqual([
      {
        region: HANGZHOU,
        funder: ZHEJIANG,
        appropriated: '400000.00',
        returned: '0.00',
        funded: '400000.00',
        paid: '0.00',
        recovered: '0.00',
        paidNet: '0.00',
      },
      {
        region: HANGZHOU,
        funder: HANGZHOU,
        appropriated: '600000.00',
        returned: '0.00',
        funded: '600000.00',
        paid: '0.00',
        recovered: '0.00',
        paidNet: '0.00',
      },
    ]);

    const provincial = await ok<any>(t.auditor.get('/v1/reports/annual?year=2026'));
    expect(provincial.region).toBe(ZHEJIANG);
    expect(provincial.totals).toEqual(hangzhou2026);
    expect(provincial.regions).toEqual([{ region: HANGZHOU, ...hangzhou2026 }]);

    // Repeating an earlier report: through seq 3, 2026 has nothing yet but the position of 2025.
    const early = await ok<any>(t.issuer.get('/v1/reports/annual?year=2026&throughSeq=3'));
    expect(early.totals).toEqual({ programs: 0, ...zero });
    expect(early.regions).toEqual([{ region: HANGZHOU, programs: 0, ...zero }]);
    expect(early.position.funded).toBe('1000000.00');
  });

  it('answers the spreadsheet with one sheet per table, money as numbers to the cent, headers frozen', async () => {
    const res = await t.issuer
      .get('/v1/reports/annual?year=2026&format=xlsx')
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="annual-report-${HANGZHOU}-2026.xlsx"`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Uint8Array.from(res.body as Buffer).buffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['说明', '总览', '按地区', '按券种', '按补贴档', '资金方', '按月']);
    // When it was made, in Beijing time as every date of the report; its header frozen as every sheet's.
    const about = workbook.getWorksheet('说明')!;
    expect(about.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const beijing = new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    expect(about.getColumn('B').values).toContain(`${beijing}（北京时间）`);
    const regions = workbook.getWorksheet('按地区')!;
    expect(regions.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const header = regions.getRow(1).values as unknown[];
    const column = (name: string) => header.indexOf(name);
    const xihuRow = regions.getRow(3);
    expect(xihuRow.getCell(column('地区代码')).value).toBe(XIHU);
    expect(xihuRow.getCell(column('净补贴')).value).toBe(1500);
    expect(xihuRow.getCell(column('净补贴')).numFmt).toBe('#,##0.00');
    expect(regions.getRow(2).getCell(column('核定补贴')).value).toBe(160000.01);
    expect(regions.getRow(2).getCell(column('撬动倍数')).value).toBe(7.3333);
    const summary = workbook.getWorksheet('总览')!;
    const figure = (label: string) => summary.getColumn(1).values.indexOf(label);
    expect(summary.getRow(figure('净补贴')).getCell(2).value).toBe(151500.01);
    expect(summary.getRow(figure('执行金额')).getCell(2).value).toBe(1105000.1);
    expect(summary.getRow(figure('累计净到位资金')).getCell(2).value).toBe(1049000);
    const funders = workbook.getWorksheet('资金方')!;
    expect(funders.getRow(3).values).toEqual([undefined, HANGZHOU, HANGZHOU, 0, 600, -600, 96000.01, 6000, 90000.01]);
  });

  it('answers one table as CSV with Chinese headers and a BOM', async () => {
    const res = await t.issuer.get('/v1/reports/annual?year=2026&format=csv&table=funders');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="annual-report-${HANGZHOU}-2026-funders.csv"`);
    expect(res.text.split('\n').slice(0, 3)).toEqual([
      '\uFEFF项目地区,出资地区,拨入资金,退回资金,净到位资金,拨付,拨付收回,净拨付',
      `${HANGZHOU},${ZHEJIANG},0.00,400.00,-400.00,64000.00,4000.00,60000.00`,
      `${HANGZHOU},${HANGZHOU},0.00,600.00,-600.00,96000.01,6000.00,90000.01`,
    ]);
    const regions = await t.issuer.get('/v1/reports/annual?year=2026&format=csv');
    expect(regions.headers['content-disposition']).toContain('-2026-regions.csv');
    expect(regions.text.split('\n')[2]).toBe(
      `${XIHU},1,50000.00,0.00,50000.00,1,30000.00,0,0.00,0,0.00,1500.00,0.00,1500.00,0.00,0.00,0.00,5000.00,1,1,1.0000,3.3333`,
    );
  });

  it('is repeated by npm run verify -- report from an export alone, proven the log’s own with the public checkpoint, naming the first figure a forged report changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vl-annual-'));
    try {
      const exported = join(dir, 'ledger.ndjson');
      writeFileSync(exported, (await t.auditor.get('/v1/ledger/export?format=ndjson')).text);
      const report = await ok<any>(t.issuer.get('/v1/reports/annual?year=2026'));
      const genuine = join(dir, 'report.json');
      writeFileSync(genuine, JSON.stringify(report));
      const args = ['scripts/verify.ts', 'report', exported, '--year', '2026', '--region', HANGZHOU, '--compare'];
      const agreed = await runScript([...args, genuine], process.env);
      expect(agreed.code, agreed.output).toBe(0);
      expect(agreed.output).toContain(`the report agrees with the ledger through seq ${report.throughSeq}`);

      expect(agreed.output).toContain('NOTE: that this export is the log');

      // With the public checkpoint and log key, one command proves the export is the log's and the figures are its.
      const note = join(dir, 'note.txt');
      writeFileSync(note, (await request(t.app).get('/v1/public/checkpoint')).text);
      const logKey = (await request(t.app).get('/v1/public/log-key')).text.trim();
      const proven = await runScript([...args, genuine, '--checkpoint', note, '--log-key', logKey], process.env);
      expect(proven.code, proven.output).toBe(0);
      const treeSize = Number(readFileSync(note, 'utf8').split('\n')[1]);
      expect(treeSize).toBeGreaterThanOrEqual(report.throughSeq);
      expect(proven.output).toContain(`PROVEN: the export is the log's own through seq ${treeSize}`);
      expect(proven.output).not.toContain('NOTE:');

      // The last entry rewritten and re-hashed: its chain and the report's figures still hold, the checkpoint's root does not.
      const lines = readFileSync(exported, 'utf8').trimEnd().split('\n');
      const last = JSON.parse(lines.at(-1)!) as LedgerEntry;
      const { hash: _hash, ...unhashed } = { ...last, actor: { ...last.actor, sub: 'someone-else' } };
      lines[lines.length - 1] = JSON.stringify({ ...unhashed, hash: hashEntry(unhashed) });
      const rewritten = join(dir, 'rewritten.ndjson');
      writeFileSync(rewritten, `${lines.join('\n')}\n`);
      const rewrittenArgs = ['scripts/verify.ts', 'report', rewritten, '--year', '2026', '--region', HANGZHOU, '--compare', genuine];
      expect((await runScript(rewrittenArgs, process.env)).code).toBe(0);
      const caught = await runScript([...rewrittenArgs, '--checkpoint', note, '--log-key', logKey], process.env);
      expect(caught.code, caught.output).toBe(1);
      expect(caught.output).toContain("FAILED: the export is not proven the log's own: checkpoint");

      // Another log's key, and a checkpoint without a key to check it with.
      const otherKey = verifierKeyString('voucher-ledger.test', NOTE_ED25519, rawPublicKey(generateKeyPairSync('ed25519').privateKey));
      expect((await runScript([...args, genuine, '--checkpoint', note, '--log-key', otherKey], process.env)).code).toBe(1);
      const keyless = await runScript([...args, genuine, '--checkpoint', note], process.env);
      expect(keyless.code).toBe(2);
      expect(keyless.output).toContain('--checkpoint needs --log-key KEY or --jwks FILE');

      report.regions[1].subsidyNet = '1500.01';
      const forged = join(dir, 'forged.json');
      writeFileSync(forged, JSON.stringify(report));
      const differs = await runScript([...args, forged], process.env);
      expect(differs.code, differs.output).toBe(1);
      expect(differs.output).toContain(`DIFFERS: regions[${XIHU}].subsidyNet: report 1500.01, ledger 1500.00`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a region outside the caller, a year to come or before 2020, a bound past the year, and other roles', async () => {
    expect(problemOf(await xihu.get(`/v1/reports/annual?year=2026&region=${HANGZHOU}`))).toEqual({ status: 403, code: 'forbidden', field: 'region' });
    expect(problemOf(await t.issuer.get('/v1/reports/annual?year=2027'))).toEqual({ status: 400, code: 'validation_failed', field: 'year' });
    expect(problemOf(await t.issuer.get('/v1/reports/annual?year=2019'))).toEqual({ status: 400, code: 'validation_failed', field: 'year' });
    expect(problemOf(await t.issuer.get('/v1/reports/annual'))).toEqual({ status: 400, code: 'validation_failed', field: 'year' });
    // A parameter given twice is told so, not that it is no year.
    const twice = await t.issuer.get('/v1/reports/annual?year=2026&year=2025');
    expect(twice.body.errors).toEqual([{ field: 'year', message: 'must be given once' }]);
    expect(problemOf(await t.issuer.get('/v1/reports/annual?year=2025&throughSeq=4'))).toEqual({ status: 400, code: 'validation_failed', field: 'throughSeq' });
    expect(problemOf(await t.issuer.get('/v1/reports/annual?year=2026&table=funders'))).toEqual({ status: 400, code: 'validation_failed', field: 'table' });
    expect(problemOf(await t.issuer.get('/v1/reports/annual?year=2026&format=pdf'))).toEqual({ status: 400, code: 'validation_failed', field: 'format' });
    expect((await t.provider.get('/v1/reports/annual?year=2026')).status).toBe(403);
    const enterprise = await t.as({ role: 'enterprise', org: ENTERPRISE });
    expect((await enterprise.get('/v1/reports/annual?year=2026')).status).toBe(403);
  });
});

describe('the year’s cut', () => {
  it('ends a year at the first entry of the next, even when a second server stamps an older date after it', async () => {
    const skewed = await buildTestApp({ now: '2026-01-01T00:00:01.000+08:00' });
    try {
      const s = scenario(skewed);
      const first = await s.program({ budget: '1000.00' });
      // A second server on the same database, its clock two seconds behind, appends next.
      skewed.clock.set('2025-12-31T23:59:59.000+08:00');
      await s.voucher(first.id, { amount: '100.00' });
      const { entries } = await ok<{ entries: { seq: number; recordedAt: string }[] }>(skewed.auditor.get('/v1/ledger?afterSeq=0'));
      expect(entries.map((entry) => entry.recordedAt)).toEqual(['2025-12-31T16:00:01.000Z', '2025-12-31T15:59:59.000Z']);
      skewed.clock.set('2026-01-02T10:00:00.000+08:00');
      const closed = await ok<any>(skewed.issuer.get('/v1/reports/annual?year=2025'));
      expect(closed).toMatchObject({ throughSeq: 0, complete: true });
      // The voucher is in the position, in neither year's flows: both folds say so alike.
      const open = await ok<any>(skewed.issuer.get('/v1/reports/annual?year=2026'));
      expect(open.totals).toMatchObject({ appropriated: '1000.00', vouchersIssued: 0 });
      expect(open.position).toMatchObject({ funded: '1000.00', onVouchers: '100.00' });
      // The verifier's fold agrees on both, the empty year included.
      const exported = (await skewed.auditor.get('/v1/ledger/export?format=ndjson')).text.split('\n').filter((line) => line.startsWith('{"seq"'));
      for (const served of [closed, open]) {
        const { report } = await recomputeAnnualReport(
          exported.map((line) => JSON.parse(line) as unknown),
          { year: served.year, region: HANGZHOU, throughSeq: served.throughSeq, now: new Date(served.generatedAt) },
        );
        expect(compareAnnualReports(served, report)).toMatchObject({ agree: true });
      }
    } finally {
      await skewed.close();
    }
  });
});
