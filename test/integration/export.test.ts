import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEntries } from '../../src/ledger/ledger.reader.js';
import { ENTERPRISE, PROVIDER } from '../helpers/fixtures.js';
import { buildSampleLedger } from '../helpers/sample-ledger.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

const binary = (req: ReturnType<TestApp['auditor']['get']>) =>
  req.buffer(true).parse((r, cb) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => cb(null, Buffer.concat(chunks)));
  });

/** A UTC instant as Beijing wall time, written out by hand: 2025-12-15T04:00:00.000Z is 2025-12-15 12:00:00.000. */
const shanghai = (iso: string) => {
  const [date, time] = iso.split('T') as [string, string];
  const hour = Number(time.slice(0, 2)) + 8;
  if (hour >= 24) throw new Error('the sample ledger records before 16:00 UTC');
  return `${date} ${String(hour).padStart(2, '0')}${time.slice(2, 12)}`;
};

const ndjson = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { seq: number; data: Record<string, unknown> });

describe('GET /v1/ledger/export', () => {
  it('NDJSON lines are byte for byte the entries of GET /v1/ledger', async () => {
    await buildSampleLedger(t);
    const res = await t.auditor.get('/v1/ledger/export?format=ndjson');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const page = await t.auditor.get('/v1/ledger?limit=1000');
    expect(res.text).toBe(page.body.entries.map((e: unknown) => `${JSON.stringify(e)}\n`).join(''));
    expect(page.body.entries.length).toBeGreaterThan(12);
  });

  it('CSV has one row per posting with readable columns, amounts and codes kept as text, Shanghai times and a BOM by default', async () => {
    await buildSampleLedger(t);
    const res = await binary(t.auditor.get('/v1/ledger/export?format=csv'));
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe(
      'seq,type,recorded_at,actor_sub,actor_role,actor_scope,region,program_id,kind,voucher_id,beneficiary_uscc,beneficiary_name,provider_uscc,' +
        'contract_number,invoice_number,executed_amount,rate,subsidy,clawback,posting_index,account,amount,prev_hash,hash,data',
    );
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const entries = await readEntries(t.db, {}, 1000);
    expect(rows).toHaveLength(entries.reduce((n, e) => n + e.postings.length, 0));

    // The genesis hash stays 64 zeros and amounts keep their decimals: ="…" is text to a spreadsheet.
    expect(rows[0]).toMatchObject({ seq: '1', type: 'program.funded', prev_hash: `="${'0'.repeat(64)}"`, region: '="330100"', actor_scope: '="330100"' });
    expect(rows[0]!['amount']).toBe('="-100000000.00"');
    expect(rows[1]!['amount']).toBe('="100000000.00"');

    // The first redemption: 30,000,000.00 executed at 0.10 on contract HT-…, invoice INV-…, for the beneficiary
    // named on the voucher (a name the redemption entry itself does not carry).
    const redemption = entries.find((e) => e.type === 'redemption.recorded')!;
    const contract = redemption.data['contract'] as { number: string; providerUscc: string; beneficiaryUscc: string };
    const redemptionRows = rows.filter((r) => r['seq'] === String(redemption.seq));
    expect(redemptionRows[0]).toMatchObject({
      type: 'redemption.recorded',
      // recorded 2025-12-15T04:00:00Z by the test clock: 12:00 in Beijing.
      recorded_at: `${shanghai(redemption.recordedAt)}`,
      voucher_id: redemption.data['voucherId'],
      beneficiary_uscc: `="${ENTERPRISE}"`,
      beneficiary_name: '杭州示例智能科技有限公司',
      provider_uscc: `="${PROVIDER}"`,
      contract_number: `="${contract.number}"`,
      invoice_number: `="${String(redemption.data['invoiceNumber'])}"`,
      executed_amount: '="30000000.00"',
      rate: '="0.10"',
      subsidy: '="3000000.00"', // 30,000,000.00 × 0.10
      clawback: '',
      hash: `="${redemption.hash}"`,
    });
    expect(redemptionRows.map((r) => [r['posting_index'], r['account'], r['amount']])).toEqual(
      redemption.postings.map((p, i) => [String(i), p.account, `="${p.amount}"`]),
    );
    expect(JSON.parse(redemptionRows[0]!['data']!)).toEqual(redemption.data);

    // Its partial reversal (333.33 executed): the clawback, and the contract number and invoice looked up by id.
    const reversal = entries.find((e) => e.data['reason'] === '红字发票 credit note, "partial"')!;
    const reversalRow = rows.find((r) => r['seq'] === String(reversal.seq))!;
    expect(reversalRow).toMatchObject({
      type: 'redemption.reversed',
      actor_role: 'provider',
      actor_scope: `="${PROVIDER}"`,
      executed_amount: '="333.33"',
      clawback: '="33.34"', // 333.33 × 0.10 = 33.333, rounded up in the government's favour
      subsidy: '',
      contract_number: `="${contract.number}"`,
      invoice_number: `="${String(redemption.data['invoiceNumber'])}"`,
      beneficiary_name: '杭州示例智能科技有限公司',
      prev_hash: `="${reversal.prevHash}"`,
    });

    const withoutBom = await t.auditor.get('/v1/ledger/export?format=csv&bom=0');
    expect(withoutBom.text.startsWith('seq,')).toBe(true);
    const chinese = await t.auditor.get('/v1/ledger/export?format=csv&bom=0&lang=zh');
    expect(chinese.text.split('\r\n')[0]).toBe(
      '序号,类型,记账时间（北京时间）,操作人,操作人角色,操作人地区或机构,地区,项目编号,券种,券编号,受益企业统一社会信用代码,受益企业名称,服务商统一社会信用代码,' +
        '合同编号,发票号码,执行金额,补贴比例,补贴金额,追回金额,分录序号,账户,金额,前一条哈希,哈希,数据（JSON）',
    );
    expect(chinese.text.split('\r\n')[1]).toBe(withoutBom.text.split('\r\n')[1]);
    for (const [query, field] of [
      ['format=ndjson&bom=1', 'bom'],
      ['format=ndjson&lang=zh', 'lang'],
      ['format=csv&lang=fr', 'lang'],
      ['format=csv&bom=yes', 'bom'],
    ] as const) {
      const bad = await t.auditor.get(`/v1/ledger/export?${query}`);
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('CSV keeps free text such as a beneficiary name from running as a formula', async () => {
    const s = scenario(t);
    const hz = await s.ready({ voucher: { beneficiary: { uscc: ENTERPRISE, name: '=HYPERLINK("http://x","点我")' } } });
    await s.redeem(hz.voucher.id, hz.contract.id, '100.00');
    const rows = parse((await binary(t.auditor.get('/v1/ledger/export?format=csv&bom=0'))).body.toString('utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    const named = rows.filter((r) => r['beneficiary_name'] !== '');
    expect(named.length).toBeGreaterThanOrEqual(3);
    expect(new Set(named.map((r) => r['beneficiary_name']))).toEqual(new Set(['\'=HYPERLINK("http://x","点我")']));
  });

  it('filters by seq, recorded date, program, kind and region', async () => {
    const { corpus } = await buildSampleLedger(t);
    const seqs = (res: { text: string }) => ndjson(res.text).map((e) => e.seq);
    expect(seqs(await t.auditor.get('/v1/ledger/export?fromSeq=3&toSeq=5'))).toEqual([3, 4, 5]);
    const byProgram = ndjson((await t.auditor.get(`/v1/ledger/export?programId=${corpus.id}`)).text);
    expect(byProgram.length).toBeGreaterThan(2);
    expect(byProgram.every((e) => e.data['programId'] === corpus.id)).toBe(true);
    expect(ndjson((await t.auditor.get('/v1/ledger/export?kind=corpus')).text).map((e) => e.seq)).toEqual(byProgram.map((e) => e.seq));
    expect(ndjson((await t.auditor.get('/v1/ledger/export?region=330200')).text).map((e) => e.seq)).toEqual(byProgram.map((e) => e.seq));
    // Recorded dates are Asia/Shanghai days: the sample moves the clock to 12-16 and then 12-21.
    const day16 = ndjson((await t.auditor.get('/v1/ledger/export?from=2025-12-16&to=2025-12-16')).text);
    expect(day16.length).toBeGreaterThan(0);
    expect(day16.every((e) => (e as unknown as { recordedAt: string }).recordedAt.startsWith('2025-12-16'))).toBe(true);
    expect(seqs(await t.auditor.get('/v1/ledger/export?to=2025-12-14'))).toEqual([]);
  });

  it('a regional auditor exports only what its region covers and may not ask for another region', async () => {
    await buildSampleLedger(t);
    const ningbo = await t.as({ role: 'auditor', region: '330200' });
    const rows = ndjson((await ningbo.get('/v1/ledger/export')).text);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((e) => e.data['region'] === '330200')).toBe(true);
    expect((await ningbo.get('/v1/ledger/export?region=330100')).body).toMatchObject({ status: 403, field: 'region' });
    expect((await t.issuer.get('/v1/ledger/export')).status).toBe(403);
  });

  it('bad filters are 400s naming the parameter', async () => {
    expect((await t.auditor.get('/v1/ledger/export?format=xml')).body).toMatchObject({ status: 400, field: 'format' });
    expect((await t.auditor.get('/v1/ledger/export?format=ndjson&bom=1')).body).toMatchObject({ status: 400, field: 'bom' });
    expect((await t.auditor.get('/v1/ledger/export?fromSeq=5&toSeq=2')).body).toMatchObject({ status: 400, field: 'toSeq' });
    expect((await t.auditor.get('/v1/ledger/export?from=2025-02-30')).body).toMatchObject({ status: 400, field: 'from' });
    expect((await t.auditor.get('/v1/ledger/export?kind=gpu')).body).toMatchObject({ status: 400, field: 'kind' });
  });

  it('pages through more entries than one database batch without losing or repeating any', async () => {
    for (let i = 0; i < 1203; i++) await t.issuer.post('/v1/programs', { name: `p${i}`, kind: 'model', budget: '1.00' });
    const seqs = ndjson((await t.auditor.get('/v1/ledger/export')).text).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 1203 }, (_, i) => i + 1));
  }, 60_000);
});
