// GET /v1/ledger's filters (type, program, region, kind, Asia/Shanghai dates), paged by seq, and the same
// filters on the export: what an auditor's console page reads.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NINGBO } from '../helpers/fixtures.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp({ now: '2025-12-15T04:00:00Z' });
});
afterEach(() => t.close());

type Entry = { seq: number; type: string; recordedAt: string; data: Record<string, unknown> };
const seqs = (body: { entries: Entry[] }) => body.entries.map((entry) => entry.seq);

describe('GET /v1/ledger filters', () => {
  it('narrows by type, program, region, kind and date, and pages by seq within the filter', async () => {
    const s = scenario(t);
    const ningbo = await t.as({ role: 'issuer', region: NINGBO });
    const hz = await s.ready(); // seq 1 program.funded, 2 voucher.issued
    const nb = await s.program({ kind: 'corpus' }, ningbo); // 3
    t.clock.set('2025-12-15T16:10:00Z'); // 00:10 on the 16th in Shanghai
    const secondVoucher = await s.voucher(hz.program.id, { amount: '10.00' }); // 4
    expect((await s.redeem(hz.voucher.id, hz.contract.id, '100.00')).status).toBe(201); // 5
    await s.voucher(nb.id, {}, ningbo); // 6
    expect((await t.issuer.post(`/v1/vouchers/${secondVoucher.id}/revoke`, { reason: '企业注销' })).status).toBe(200); // 7

    const all = await t.auditor.get('/v1/ledger');
    expect(seqs(all.body)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    const issued = await t.auditor.get('/v1/ledger?type=voucher.issued');
    expect(issued.status).toBe(200);
    expect(issued.body.entries.map((e: Entry) => [e.seq, e.type])).toEqual([
      [2, 'voucher.issued'],
      [4, 'voucher.issued'],
      [6, 'voucher.issued'],
    ]);
    // Paging keeps the filter: a full page names its last seq, the next page starts after it.
    const first = await t.auditor.get('/v1/ledger?type=voucher.issued&limit=2');
    expect(first.body).toMatchObject({ nextAfterSeq: 4 });
    expect(seqs(first.body)).toEqual([2, 4]);
    const rest = await t.auditor.get('/v1/ledger?type=voucher.issued&limit=2&afterSeq=4');
    expect(rest.body).toMatchObject({ nextAfterSeq: null });
    expect(seqs(rest.body)).toEqual([6]);

    expect(seqs((await t.auditor.get(`/v1/ledger?programId=${hz.program.id}`)).body)).toEqual([1, 2, 4, 5, 7]);
    expect(seqs((await t.auditor.get(`/v1/ledger?programId=${hz.program.id}&type=voucher.revoked`)).body)).toEqual([7]);
    expect(seqs((await t.auditor.get(`/v1/ledger?region=${NINGBO}`)).body)).toEqual([3, 6]);
    expect(seqs((await t.auditor.get('/v1/ledger?kind=corpus')).body)).toEqual([3, 6]);
    // Dates are Shanghai days: 00:10 on the 16th is the 16th, though it is still the 15th in UTC.
    expect(seqs((await t.auditor.get('/v1/ledger?from=2025-12-16')).body)).toEqual([4, 5, 6, 7]);
    expect(seqs((await t.auditor.get('/v1/ledger?to=2025-12-15')).body)).toEqual([1, 2, 3]);
    expect(seqs((await t.auditor.get('/v1/ledger?from=2025-12-15&to=2025-12-15&type=voucher.issued')).body)).toEqual([2]);
    expect(seqs((await t.auditor.get('/v1/ledger?type=payment.disbursed')).body)).toEqual([]);

    // An auditor of Hangzhou sees only Hangzhou's entries whatever it asks, and may not ask for Ningbo.
    const hzAuditor = await t.as({ role: 'auditor', region: '330100' });
    expect(seqs((await hzAuditor.get('/v1/ledger?type=voucher.issued')).body)).toEqual([2, 4]);
    expect((await hzAuditor.get(`/v1/ledger?region=${NINGBO}`)).body).toMatchObject({ status: 403, code: 'forbidden', field: 'region' });

    // The export takes the same filters and gives the same entries, byte for byte those of the page.
    const exported = (await t.auditor.get(`/v1/ledger/export?type=voucher.issued&programId=${hz.program.id}`)).text.trim().split('\n');
    const entries = exported.filter((line) => !line.includes('"trailer"')).map((line) => JSON.parse(line) as Entry);
    expect(entries.map((e) => e.seq)).toEqual([2, 4]);
    expect(entries).toEqual(issued.body.entries.filter((e: Entry) => e.seq !== 6));
  });

  it('names the field of a bad filter and answers 400', async () => {
    for (const [query, field] of [
      ['type=voucher.stolen', 'type'],
      ['kind=gpu', 'kind'],
      ['region=12', 'region'],
      ['from=2025-13-01', 'from'],
      ['from=2025-12-16&to=2025-12-15', 'to'],
      ['programId=', 'programId'],
      ['colour=red', 'colour'],
    ] as const) {
      const bad = await t.auditor.get(`/v1/ledger?${query}`);
      expect(bad.status, query).toBe(400);
      expect(
        bad.body.errors.map((e: { field: string }) => e.field),
        query,
      ).toContain(field);
    }
    const badExport = await t.auditor.get('/v1/ledger/export?type=voucher.stolen');
    expect(badExport.status).toBe(400);
    expect(badExport.body.field).toBe('type');
  });
});
