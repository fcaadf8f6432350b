import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEntries } from '../../src/ledger/ledger.reader.js';
import { buildSampleLedger } from '../helpers/sample-ledger.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

const ndjson = (text: string) => text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { seq: number; data: Record<string, unknown> });

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

  it('CSV has one row per posting with the entry repeated, exact amounts, RFC 4180 quoting and an optional BOM', async () => {
    await buildSampleLedger(t);
    const res = await t.auditor.get('/v1/ledger/export?format=csv&bom=1').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe('seq,type,recorded_at,actor_sub,actor_role,actor_scope,region,program_id,kind,posting_index,account,amount,prev_hash,hash,data');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    const entries = await readEntries(t.db, {}, 1000);
    expect(rows).toHaveLength(entries.reduce((n, e) => n + e.postings.length, 0));
    const reversal = entries.find((e) => e.data['reason'] === '红字发票 credit note, "partial"')!;
    const reversalRows = rows.filter((r) => r['seq'] === String(reversal.seq));
    expect(reversalRows.map((r) => [r['posting_index'], r['account'], r['amount']])).toEqual(reversal.postings.map((p, i) => [String(i), p.account, p.amount]));
    expect(JSON.parse(reversalRows[0]!['data']!)).toEqual(reversal.data);
    expect(reversalRows[0]).toMatchObject({ type: 'redemption.reversed', hash: reversal.hash, prev_hash: reversal.prevHash, region: '330100', actor_role: 'provider' });
    const withoutBom = await t.auditor.get('/v1/ledger/export?format=csv');
    expect(withoutBom.text.startsWith('seq,')).toBe(true);
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
