// The fast export splices stored JSON instead of parsing it: these tests pin its output, byte for byte, to
// what the API and the previous implementation (JSON.parse, JSON.stringify, csv-stringify) produce.
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type EntryFilter } from '../../src/ledger/ledger.repository.js';
import { readEntries } from '../../src/ledger/ledger.reader.js';
import { ENTRY_TYPES, type EntryData, type LedgerEntry } from '../../src/ledger/ledger.types.js';
import { createLedger } from '../../src/deps.js';
import { findReferencedFacts } from '../../src/ledger/export/export.repository.js';
import { CSV_COLUMNS, csvField, fenText, streamPages, writeExport } from '../../src/ledger/export/export.stream.js';
import { describeEntry, referencedIds } from '../../src/ledger/export/spreadsheet.js';
import { formatFen } from '../../src/shared/money.js';
import { buildApplicationLedger } from '../helpers/application-ledger.js';
import { buildClaimsLedger } from '../helpers/claims-ledger.js';
import { buildOversightLedger } from '../helpers/oversight-ledger.js';
import { buildSampleLedger } from '../helpers/sample-ledger.js';
import { buildSettlementLedger } from '../helpers/settlement-ledger.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

/** The writer the app appends with (the Merkle tree grows with each entry). */
const ledger = createLedger();

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

/** Every entry as GET /v1/ledger returns it, following nextAfterSeq. */
async function apiEntries(): Promise<unknown[]> {
  const entries: unknown[] = [];
  let afterSeq: number | null = 0;
  while (afterSeq !== null) {
    const page = await t.auditor.get(`/v1/ledger?afterSeq=${afterSeq}&limit=1000`);
    expect(page.status).toBe(200);
    entries.push(...page.body.entries);
    afterSeq = page.body.nextAfterSeq;
  }
  return entries;
}

/**
 * The CSV as an independent writer produces it: parsed entries, csv-stringify (with a lone CR or LF quoted),
 * CRLF. The descriptive columns come from describeEntry, whose values export.test.ts pins with worked rows.
 */
async function referenceCsv(entries: LedgerEntry[], bom: boolean): Promise<string> {
  const ids = entries.map((entry) => referencedIds(entry.data));
  const facts = await findReferencedFacts(t.db, {
    voucherIds: ids.flatMap((id) => (id.voucherId ? [id.voucherId] : [])),
    contractIds: ids.flatMap((id) => (id.contractId ? [id.contractId] : [])),
    redemptionIds: ids.flatMap((id) => (id.redemptionId ? [id.redemptionId] : [])),
  });
  const text = (value: string | undefined) => (value === undefined ? '' : `="${value.replaceAll('"', '""')}"`);
  const inert = (value: string | undefined) => (value !== undefined && /^[=+\-@\t\r]/.test(value) ? `'${value}` : (value ?? ''));
  const rows = entries.flatMap((entry) => {
    const actorScope = 'org' in entry.actor ? entry.actor.org : 'region' in entry.actor ? entry.actor.region : '';
    const d = describeEntry(entry.data, facts);
    const at = new Date(Date.parse(entry.recordedAt) + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 23);
    const head = [
      String(entry.seq),
      entry.type,
      at,
      inert(entry.actor.sub),
      entry.actor.role,
      text(actorScope || undefined),
      text(entry.data.region),
      entry.data.programId,
      entry.data.kind,
      d.voucherId ?? '',
      text(d.beneficiaryUscc),
      inert(d.beneficiaryName),
      text(d.providerUscc),
      text(d.contractNumber),
      text(d.invoiceNumber),
      text(d.executedAmount),
      text(d.rate),
      text(d.subsidy),
      text(d.clawback),
    ];
    const tail = [text(entry.prevHash), text(entry.hash), JSON.stringify(entry.data)];
    const lines = entry.postings.length > 0 ? entry.postings.map((p, i) => [String(i), p.account, text(p.amount)]) : [['', '', '']];
    return lines.map((line) => [...head, ...line, ...tail]);
  });
  return (bom ? '\uFEFF' : '') + stringify([CSV_COLUMNS.map(([name]) => name), ...rows], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

const binary = (req: ReturnType<TestApp['auditor']['get']>) =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

// Strings that stress JSON escaping and CSV quoting: quotes, commas, CR/LF, backslashes, control characters,
// U+2028/2029, astral characters, Chinese names. (Lone surrogates cannot be hashed, so no entry holds one.)
const NASTY = [
  '引号 "quoted", 逗号',
  'line\nbreak\r\nand\rCR',
  'back\\slash \\u0041',
  '\u0000\u0001\u001f\u007f',
  '\u2028\u2029',
  '😀 emoji 𠀀',
  '杭州示例智能科技有限公司',
];

/** Appends entries with unusual data straight through the ledger writer (no HTTP schema in the way). */
async function appendOddEntries(datas: Record<string, unknown>[]): Promise<void> {
  for (const [i, extra] of datas.entries()) {
    await t.db.transaction().execute((trx) =>
      ledger.append(
        trx,
        {
          type: 'voucher.revoked',
          actor: { sub: NASTY[i % NASTY.length]!, role: 'issuer', region: '330100' },
          data: { region: '330100', programId: `prg_odd,"${i}"`, kind: 'compute', ...extra } as EntryData,
          // Only appropriation accounts may run negative; PostgreSQL text holds no NUL, so none in accounts.
          postings:
            i % 3 === 0
              ? []
              : [
                  { account: `appropriation:区 "${i}",\r\n`, amount: -12_345n },
                  { account: 'program:p,"1"', amount: 12_345n },
                ],
        },
        new Date(Date.UTC(2025, 11, 15, 4, 0, i)),
      ),
    );
  }
}

describe('export fidelity', () => {
  it('NDJSON is byte for byte the entries of GET /v1/ledger over a realistic ledger with every entry type and odd data', async () => {
    await buildSampleLedger(t);
    // Payments: an approval without postings, a disbursement split across two funders, a recovery.
    await buildSettlementLedger(t);
    // A co-funded program and a budget change (program.budget_changed) split between the city and the province.
    const cofunded = await t.issuer.post('/v1/programs', {
      name: '市省共担',
      kind: 'model',
      budget: '100.01',
      funding: [
        { region: '330100', ratio: '0.6' },
        { region: '330000', ratio: '0.4' },
      ],
    });
    expect(
      (await t.issuer.post(`/v1/programs/${cofunded.body.id}/budget-changes`, { amount: '10.01', direction: 'increase', reason: '追加 "quoted", 逗号' }))
        .status,
    ).toBe(201);
    // Every application decision and a voucher granted from it.
    await buildApplicationLedger(t);
    // Every claim decision: reservations, confirmations, reviews, releases and a lapse (decision 0041).
    await buildClaimsLedger(t);
    // A close, a listing and its delisting, a related-party group, a spot check and its results (decision 0042).
    await buildOversightLedger(t);
    await appendOddEntries([
      ...NASTY.map((reason) => ({ reason, name: reason })),
      // Integer-like keys (V8 orders them first), numbers, nesting, empty containers.
      { '10': 'ten', b: 1, '2': 'two', a: [1.5, -0, 1e21, 5e-7, true, null, {}, []], nested: { 'x"y': { z: '\\' } } },
    ]);
    const res = await t.auditor.get('/v1/ledger/export?format=ndjson');
    expect(res.status).toBe(200);
    const entries = await apiEntries();
    expect(new Set(entries.map((e) => (e as LedgerEntry).type))).toEqual(new Set(ENTRY_TYPES));
    expect(res.text).toBe(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
    // The lines also parse back to the API's objects (so the hash of each line checks).
    expect(
      res.text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual(entries);
  });

  it('NDJSON stays identical for arbitrary JSON data', async () => {
    const json = fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.jsonValue({ maxDepth: 3, stringUnit: 'grapheme' }), { maxKeys: 6 });
    const datas = fc.sample(json, { numRuns: 60, seed: 20251215 });
    await appendOddEntries(datas.map((d) => Object.fromEntries(Object.entries(d).filter(([k]) => !['region', 'programId', 'kind', '__proto__'].includes(k)))));
    const res = await t.auditor.get('/v1/ledger/export');
    expect(res.text).toBe((await apiEntries()).map((e) => `${JSON.stringify(e)}\n`).join(''));
  });

  it('CSV is byte for byte what csv-stringify wrote from the parsed entries, with and without a BOM', async () => {
    await buildSampleLedger(t);
    await buildSettlementLedger(t);
    await appendOddEntries(NASTY.map((reason) => ({ reason })));
    const entries = await readEntries(t.db, {}, 10_000);
    for (const bom of [true, false]) {
      const res = await binary(t.auditor.get(`/v1/ledger/export?format=csv${bom ? '' : '&bom=0'}`));
      expect((res.body as Buffer).toString('utf8')).toBe(await referenceCsv(entries, bom));
    }
  });

  it('filtered exports page through sparse and dense pages with exactly their own postings', async () => {
    // Two regions interleaved over more than one page, so a region's page is sparse and a seq range is dense.
    for (let i = 0; i < 1300; i += 100)
      await t.db.transaction().execute(async (trx) => {
        for (let j = i; j < i + 100; j++) {
          const region = j % 3 === 0 ? '330200' : '330100';
          await ledger.append(
            trx,
            {
              type: 'program.funded',
              actor: { sub: 's', role: 'issuer', region },
              data: { region, programId: `prg_${j}`, kind: 'model' },
              postings: [
                { account: `appropriation:${region}`, amount: -BigInt(j + 1) },
                { account: `program:prg_${j}`, amount: BigInt(j + 1) },
              ],
            },
            new Date(Date.UTC(2025, 11, 15, 4, 0, 0, j)),
          );
        }
      });
    const expected = async (filter: EntryFilter) => (await readEntries(t.db, filter, 10_000)).map((e) => `${JSON.stringify(e)}\n`).join('');
    expect((await t.auditor.get('/v1/ledger/export?region=330200')).text).toBe(await expected({ regionFrom: '330200', regionTo: '330299' }));
    expect((await t.auditor.get('/v1/ledger/export?fromSeq=7&toSeq=1207')).text).toBe(await expected({ afterSeq: 6n, toSeq: 1207n }));
  }, 60_000);

  it('amounts format as formatFen does, and fields quote as csv-stringify does', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), (fen) => fenText(fen) === formatFen(fen)));
    for (const fen of [0n, 1n, -1n, 10n, -99n, 100n, -100n, 123456n]) expect(fenText(fen)).toBe(formatFen(fen));
    const reference = (value: string) => stringify([[value, 'x']], { record_delimiter: 'windows', quoted_match: /[\r\n]/ }).slice(0, -'x\r\n'.length - 1);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' ', '中', '\\', "'", '=') }), (value) => csvField(value) === reference(value)),
    );
    expect(csvField(null)).toBe('');
  });
});

describe('export flow control', () => {
  async function fundMany(n: number) {
    await t.db.transaction().execute(async (trx) => {
      for (let j = 0; j < n; j++)
        await ledger.append(
          trx,
          {
            type: 'program.funded',
            actor: { sub: 's', role: 'issuer', region: '330100' },
            data: { region: '330100', programId: `prg_${j}`, kind: 'model' },
            postings: [
              { account: 'appropriation:330100', amount: -1n },
              { account: `program:prg_${j}`, amount: 1n },
            ],
          },
          new Date(Date.UTC(2025, 11, 15)),
        );
    });
  }

  it('yields to the event loop between pages, so other requests are served during an export', async () => {
    await fundMany(3000);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const sink = new Writable({ write: (_chunk, _enc, cb) => cb() });
    await writeExport(streamPages(t.db, {}), 'ndjson', sink);
    clearInterval(ticker);
    // Six pages of 500: timers must have run between them, not only after the export.
    expect(turns).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it('reads ahead at most a bounded number of entries while the destination applies backpressure', async () => {
    await fundMany(4000);
    let read = 0;
    let release: () => void = () => undefined;
    // A destination that takes one chunk and then stalls until released.
    let taken = 0;
    const sink = new Writable({
      highWaterMark: 1,
      write: (_chunk, _enc, cb) => {
        if (taken++ === 0) cb();
        else release = cb;
      },
    });
    const done = writeExport(streamPages(t.db, {}), 'csv', sink, { onEntry: () => read++ });
    await new Promise((r) => setTimeout(r, 300));
    // One page written, one held by the stalled write, one buffered in the readable, one being serialised.
    expect(read).toBeLessThanOrEqual(4 * 500);
    expect(read).toBeGreaterThan(0);
    const stalledAt = read;
    await new Promise((r) => setTimeout(r, 200));
    expect(read).toBe(stalledAt);
    sink.destroy();
    release();
    await done.catch(() => undefined);
  }, 60_000);

  it('stops reading when the destination closes mid-export, and rejects', async () => {
    await fundMany(3000);
    let read = 0;
    let writes = 0;
    const sink = new Writable({
      write: (_chunk, _enc, cb) => {
        if (++writes === 2) sink.destroy();
        cb();
      },
    });
    await expect(writeExport(streamPages(t.db, {}), 'ndjson', sink, { onEntry: () => read++ })).rejects.toThrow();
    expect(read).toBeLessThanOrEqual(3 * 500);
  }, 60_000);
});
