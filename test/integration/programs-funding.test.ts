// Co-funded programs through the real app: the largest-remainder split of a budget among funder regions, the
// issuer's share appropriated at once and every other share pending its region's confirmation, and budget
// increases and decreases split the same way.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationsFor } from '../../db/migrations/index.js';
import { loadConfig } from '../../src/config.js';
import { createDatabase, engineOf, migrateToLatest } from '../../src/db/database.js';
import { createApp } from '../../src/app/app.js';
import { accounts, transfer } from '../../src/ledger/ledger.types.js';
import { readEntries } from '../../src/ledger/ledger.reader.js';
import { createLogger } from '../../src/logger.js';
import { fixedClock } from '../../src/shared/clock.js';
import { runVerification } from '../../src/verifier/run.js';
import { ENTERPRISE, HANGZHOU, NINGBO, ZHEJIANG } from '../helpers/fixtures.js';
import { expectLedgerInvariants, lastEntry, snapshot } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { appendLegacyEntry } from '../helpers/legacy-ledger.js';
import { createTestDatabase } from '../helpers/test-database.js';
import { buildTestApp, clientFor, type Client, mintToken, TEST_SECRET, type TestApp } from '../helpers/test-app.js';

const SHANGCHENG = '330102'; // a county (district) of Hangzhou

let t: TestApp;
let province: Client;
let city: Client;
let county: Client;
let ningbo: Client;
beforeEach(async () => {
  t = await buildTestApp();
  province = await t.as({ role: 'issuer', region: ZHEJIANG, sub: 'zj-finance' });
  city = t.issuer;
  county = await t.as({ role: 'issuer', region: SHANGCHENG, sub: 'sc-finance' });
  ningbo = await t.as({ role: 'issuer', region: NINGBO, sub: 'nb-finance' });
});
afterEach(() => t.close());

const program = (as: Client, body: Record<string, unknown>) => as.post('/v1/programs', { name: '算力券', kind: 'compute', ...body });
const confirm = (as: Client, id: string, region: string) => as.post(`/v1/programs/${id}/funding/${region}/confirm`);
const change = (as: Client, id: string, body: Record<string, unknown>) => as.post(`/v1/programs/${id}/budget-changes`, { reason: '年中调整', ...body });

/** A Hangzhou program of 100.01 funded 0.6 by the city and 0.4 by the province. */
async function cityProvinceProgram() {
  const res = await program(city, {
    budget: '100.01',
    funding: [
      { region: HANGZHOU, ratio: '0.6' },
      { region: ZHEJIANG, ratio: '0.4' },
    ],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
}

describe('creating a co-funded program', () => {
  it('splits 100.01 by 0.6/0.4 into 60.01 and 40.00: the city appropriates its share, the province’s is pending', async () => {
    const res = await program(city, {
      budget: '100.01',
      funding: [
        { region: HANGZHOU, ratio: '0.6' },
        { region: ZHEJIANG, ratio: '0.4' },
      ],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      region: HANGZHOU,
      budget: '100.01',
      available: '60.01',
      requireRegisteredProviders: false,
      funding: [
        { region: HANGZHOU, ratio: '0.6', amount: '60.01', confirmed: '60.01', pending: '0.00', status: 'confirmed' },
        { region: ZHEJIANG, ratio: '0.4', amount: '40.00', confirmed: '0.00', pending: '40.00', status: 'pending' },
      ],
    });
    const entry = await lastEntry(t.db);
    expect(entry.type).toBe('program.funded');
    expect(entry.data).toMatchObject({
      budget: '100.01',
      requireRegisteredProviders: false,
      funding: [
        { region: HANGZHOU, ratio: '0.6', amount: '60.01', status: 'confirmed' },
        { region: ZHEJIANG, ratio: '0.4', amount: '40.00', status: 'pending' },
      ],
    });
    expect(entry.postings).toEqual([
      { account: 'appropriation:330100', amount: '-60.01' },
      { account: `program:${res.body.id}`, amount: '60.01' },
    ]);
  });

  it('without funding, the issuer’s region funds everything (ratio "1"); requireRegisteredProviders is stored and shown', async () => {
    const res = await program(city, { budget: '500.00', requireRegisteredProviders: true });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      budget: '500.00',
      available: '500.00',
      requireRegisteredProviders: true,
      funding: [{ region: HANGZHOU, ratio: '1', amount: '500.00', confirmed: '500.00', pending: '0.00', status: 'confirmed' }],
    });
    const row = await t.db.selectFrom('programs').select('require_registered_providers').where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row.require_registered_providers).toBe(true);
    expect((await city.get(`/v1/programs/${res.body.id}`)).body.requireRegisteredProviders).toBe(true);
  });

  it('a tie of remainders goes to the funder listed first: 0.01 split 0.5/0.5 is 0.01 / 0.00, either way round', async () => {
    const cityFirst = await program(city, {
      budget: '0.01',
      funding: [
        { region: HANGZHOU, ratio: '0.5' },
        { region: ZHEJIANG, ratio: '0.5' },
      ],
    });
    expect(cityFirst.body.funding.map((f: { amount: string }) => f.amount)).toEqual(['0.01', '0.00']);
    expect(cityFirst.body.available).toBe('0.01');
    const provinceFirst = await program(city, {
      budget: '0.01',
      funding: [
        { region: ZHEJIANG, ratio: '0.5' },
        { region: HANGZHOU, ratio: '0.5' },
      ],
    });
    expect(provinceFirst.body.funding.map((f: { amount: string }) => f.amount)).toEqual(['0.01', '0.00']);
    expect(provinceFirst.body.available).toBe('0.00');
  });

  it('a three-level program (county 0.3334, city 0.3333, province 0.3333): 0.10 is 0.04 / 0.03 / 0.03, each region confirming its own', async () => {
    const res = await program(county, {
      budget: '0.10',
      funding: [
        { region: SHANGCHENG, ratio: '0.3334' },
        { region: HANGZHOU, ratio: '0.3333' },
        { region: ZHEJIANG, ratio: '0.3333' },
      ],
    });
    expect(res.status).toBe(201);
    // 10 fen × ratio: 3.334, 3.333, 3.333 → floors 3, 3, 3; the one fen left goes to the largest remainder (0.334).
    expect(res.body.funding.map((f: { amount: string; status: string }) => [f.amount, f.status])).toEqual([
      ['0.04', 'confirmed'],
      ['0.03', 'pending'],
      ['0.03', 'pending'],
    ]);
    expect(res.body.available).toBe('0.04');
    const id = res.body.id as string;

    const byCity = await confirm(city, id, HANGZHOU);
    expect(byCity.status).toBe(200);
    expect(byCity.body.available).toBe('0.07');
    expect(byCity.body.funding[1]).toMatchObject({ region: HANGZHOU, confirmed: '0.03', pending: '0.00', status: 'confirmed' });
    expect(byCity.body.funding[2]).toMatchObject({ region: ZHEJIANG, status: 'pending' });
    const entry = await lastEntry(t.db);
    expect(entry).toMatchObject({
      type: 'program.funded',
      actor: { role: 'issuer', region: HANGZHOU },
      data: { region: SHANGCHENG, programId: id, funder: HANGZHOU, amount: '0.03' },
    });
    expect(entry.postings).toEqual([
      { account: 'appropriation:330100', amount: '-0.03' },
      { account: `program:${id}`, amount: '0.03' },
    ]);

    const byProvince = await confirm(province, id, ZHEJIANG);
    expect(byProvince.body).toMatchObject({ budget: '0.10', available: '0.10' });
    expect(byProvince.body.funding.every((f: { status: string }) => f.status === 'confirmed')).toBe(true);
  });

  it('a county may not list a neighbouring city, and a city may not list its county', async () => {
    const res = await program(county, {
      budget: '10.00',
      funding: [
        { region: SHANGCHENG, ratio: '0.5' },
        { region: NINGBO, ratio: '0.5' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('funding[1].region');
    const down = await program(city, {
      budget: '10.00',
      funding: [
        { region: HANGZHOU, ratio: '0.5' },
        { region: SHANGCHENG, ratio: '0.5' },
      ],
    });
    expect(down.status).toBe(400);
    expect(down.body.field).toBe('funding[1].region');
  });
});

describe('invalid funding is a 400 naming the field, and changes nothing', () => {
  const cases: [string, unknown, string][] = [
    [
      'a ratio with 5 decimals',
      [
        { region: HANGZHOU, ratio: '0.6' },
        { region: ZHEJIANG, ratio: '0.39999' },
      ],
      'funding[1].ratio',
    ],
    [
      'a zero ratio',
      [
        { region: HANGZHOU, ratio: '1' },
        { region: ZHEJIANG, ratio: '0' },
      ],
      'funding[1].ratio',
    ],
    ['a ratio above 1', [{ region: HANGZHOU, ratio: '1.2' }], 'funding[0].ratio'],
    [
      'a ratio as a number',
      [
        { region: HANGZHOU, ratio: 0.6 },
        { region: ZHEJIANG, ratio: '0.4' },
      ],
      'funding[0].ratio',
    ],
    ['a negative ratio', [{ region: HANGZHOU, ratio: '-0.4' }], 'funding[0].ratio'],
    ['a malformed region', [{ region: '3301', ratio: '1' }], 'funding[0].region'],
    ['an unknown member', [{ region: HANGZHOU, ratio: '1', share: '1' }], 'funding[0].share'],
    [
      'ratios summing to 0.9',
      [
        { region: HANGZHOU, ratio: '0.5' },
        { region: ZHEJIANG, ratio: '0.4' },
      ],
      'funding',
    ],
    [
      'ratios summing to 1.0001',
      [
        { region: HANGZHOU, ratio: '0.6001' },
        { region: ZHEJIANG, ratio: '0.4' },
      ],
      'funding',
    ],
    [
      'a region listed twice',
      [
        { region: HANGZHOU, ratio: '0.5' },
        { region: HANGZHOU, ratio: '0.5' },
      ],
      'funding[1].region',
    ],
    [
      'a region that does not cover the issuer’s',
      [
        { region: HANGZHOU, ratio: '0.5' },
        { region: NINGBO, ratio: '0.5' },
      ],
      'funding[1].region',
    ],
    ['without the issuer’s own region', [{ region: ZHEJIANG, ratio: '1' }], 'funding'],
    ['an empty list', [], 'funding'],
    ['not a list', { region: HANGZHOU, ratio: '1' }, 'funding'],
  ];
  it.each(cases)('%s', async (_name, funding, field) => {
    await cityProvinceProgram();
    const before = await snapshot(t.db);
    const res = await program(city, { budget: '100.00', funding });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', field });
    expect(await snapshot(t.db)).toBe(before);
  });

  it('requireRegisteredProviders must be a boolean', async () => {
    const res = await program(city, { budget: '1.00', requireRegisteredProviders: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('requireRegisteredProviders');
  });
});

describe('confirming a share', () => {
  it('the province reads the program it co-funds, confirms 40.00 once, and available counts it only then', async () => {
    const { id } = await cityProvinceProgram();
    const read = await province.get(`/v1/programs/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ available: '60.01', budget: '100.01' });

    // Only confirmed money can be allocated: a voucher of 60.02 is refused before the confirmation.
    const s = scenario(t);
    const short = await city.post('/v1/vouchers', { programId: id, beneficiary: { uscc: ENTERPRISE, name: '示例' }, amount: '60.02', expiresOn: '2026-12-31' });
    expect(short.status).toBe(422);
    expect(short.body.code).toBe('insufficient_budget');

    const res = await confirm(province, id, ZHEJIANG);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      available: '100.01',
      funding: [
        { region: HANGZHOU, amount: '60.01', status: 'confirmed' },
        { region: ZHEJIANG, amount: '40.00', confirmed: '40.00', pending: '0.00', status: 'confirmed' },
      ],
    });
    const entry = await lastEntry(t.db);
    expect(entry).toMatchObject({
      type: 'program.funded',
      actor: { region: ZHEJIANG, sub: 'zj-finance' },
      data: { region: HANGZHOU, programId: id, kind: 'compute', funder: ZHEJIANG, amount: '40.00' },
    });
    expect(entry.postings).toEqual([
      { account: 'appropriation:330000', amount: '-40.00' },
      { account: `program:${id}`, amount: '40.00' },
    ]);
    expect((await s.voucher(id, { amount: '60.02' })).amount).toBe('60.02');

    const twice = await confirm(province, id, ZHEJIANG);
    expect(twice.status).toBe(422);
    expect(twice.body.code).toBe('nothing_to_confirm');
  });

  it('is refused to any other region: the program’s own issuer (403), a non-funder (403 on the share, 404 on its own region), and reads stay scoped', async () => {
    const { id } = await cityProvinceProgram();
    const before = await snapshot(t.db);
    expect((await confirm(city, id, ZHEJIANG)).status).toBe(403);
    expect((await confirm(ningbo, id, ZHEJIANG)).status).toBe(403);
    const notFunder = await confirm(ningbo, id, NINGBO);
    expect(notFunder.status).toBe(404);
    expect(notFunder.body.field).toBe('region');
    // The city's own share was appropriated at creation: there is nothing for it to confirm.
    expect((await confirm(city, id, HANGZHOU)).body.code).toBe('nothing_to_confirm');
    expect((await confirm(province, 'prg_missing', ZHEJIANG)).status).toBe(404);
    expect((await confirm(province, id, '33')).body).toMatchObject({ status: 400, field: 'region' });
    expect((await t.auditor.post(`/v1/programs/${id}/funding/${ZHEJIANG}/confirm`)).status).toBe(403);
    expect(await snapshot(t.db)).toBe(before);
    expect((await ningbo.get(`/v1/programs/${id}`)).status).toBe(403);
    expect((await county.get(`/v1/programs/${id}`)).status).toBe(403);
    expect((await t.auditor.get(`/v1/programs/${id}`)).status).toBe(200);
  });

  it('two confirmations at the same moment: one appropriates, the other is nothing_to_confirm', async () => {
    const { id } = await cityProvinceProgram();
    const other = await t.as({ role: 'issuer', region: ZHEJIANG, sub: 'zj-finance-2' });
    const results = await Promise.all([confirm(province, id, ZHEJIANG), confirm(other, id, ZHEJIANG)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    expect((await city.get(`/v1/programs/${id}`)).body.available).toBe('100.01');
    await expectLedgerInvariants(t.db);
  });

  it('each region lists the programs still awaiting its confirmation', async () => {
    const p = await cityProvinceProgram();
    t.clock.set('2025-12-15T05:00:00Z');
    const q = await program(county, {
      budget: '0.10',
      funding: [
        { region: SHANGCHENG, ratio: '0.3334' },
        { region: HANGZHOU, ratio: '0.3333' },
        { region: ZHEJIANG, ratio: '0.3333' },
      ],
    });
    await program(city, { budget: '9.00' });
    const awaiting = async (as: Client) => {
      const res = await as.get('/v1/programs/awaiting-confirmation');
      expect(res.status).toBe(200);
      return (res.body.programs as { id: string; funding: { region: string; pending: string }[] }[]).map((pr) => [
        pr.id,
        pr.funding.map((f) => `${f.region}:${f.pending}`).join(' '),
      ]);
    };
    expect(await awaiting(province)).toEqual([
      [p.id, '330100:0.00 330000:40.00'],
      [q.body.id, '330102:0.00 330100:0.03 330000:0.03'],
    ]);
    expect(await awaiting(city)).toEqual([[q.body.id, '330102:0.00 330100:0.03 330000:0.03']]);
    await confirm(province, p.id, ZHEJIANG);
    expect((await awaiting(province)).map(([id]) => id)).toEqual([q.body.id]);
    expect(await awaiting(ningbo)).toEqual([]);
    expect(await awaiting(county)).toEqual([]);
    expect((await t.auditor.get('/v1/programs/awaiting-confirmation')).status).toBe(403);
  });

  it('replays with the same Idempotency-Key and writes once', async () => {
    const { id } = await cityProvinceProgram();
    const first = await province.post(`/v1/programs/${id}/funding/${ZHEJIANG}/confirm`, undefined, { 'Idempotency-Key': 'confirm-1' });
    const again = await province.post(`/v1/programs/${id}/funding/${ZHEJIANG}/confirm`, undefined, { 'Idempotency-Key': 'confirm-1' });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await readEntries(t.db, {}, 100)).filter((e) => e.type === 'program.funded')).toHaveLength(2);
  });
});

describe('budget changes', () => {
  it('an increase of 10.01 is split 6.01 / 4.00: the city’s posted at once, the province’s pending until it confirms both of its shares in one entry', async () => {
    const { id } = await cityProvinceProgram();
    const res = await change(city, id, { amount: '10.01', direction: 'increase' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      programId: id,
      direction: 'increase',
      amount: '10.01',
      shares: [
        { region: HANGZHOU, ratio: '0.6', amount: '6.01', status: 'confirmed' },
        { region: ZHEJIANG, ratio: '0.4', amount: '4.00', status: 'pending' },
      ],
      program: {
        budget: '110.02',
        available: '66.02',
        funding: [
          { amount: '66.02', pending: '0.00' },
          { amount: '44.00', confirmed: '0.00', pending: '44.00', status: 'pending' },
        ],
      },
    });
    const entry = await lastEntry(t.db);
    expect(entry).toMatchObject({
      seq: res.body.ledgerSeq,
      type: 'program.budget_changed',
      data: { direction: 'increase', amount: '10.01', reason: '年中调整', availableBefore: '60.01' },
    });
    expect(entry.postings).toEqual([
      { account: 'appropriation:330100', amount: '-6.01' },
      { account: `program:${id}`, amount: '6.01' },
    ]);

    const confirmed = await confirm(province, id, ZHEJIANG);
    expect(confirmed.body).toMatchObject({
      available: '110.02',
      funding: [{ confirmed: '66.02' }, { confirmed: '44.00', pending: '0.00', status: 'confirmed' }],
    });
    expect((await lastEntry(t.db)).data).toMatchObject({ funder: ZHEJIANG, amount: '44.00' });
  });

  it('a decrease returns unallocated money by ratio; a funder’s part first cancels what it still owes', async () => {
    const { id } = await cityProvinceProgram();
    // Province still owes 40.00. A decrease of 50.00 splits 30.00 / 20.00: the city gets 30.00 back; the
    // province's 20.00 cancels 20.00 of what it owes, and nothing is returned to it.
    const res = await change(city, id, { amount: '50.00', direction: 'decrease' });
    expect(res.status).toBe(201);
    expect(res.body.shares).toEqual([
      { region: HANGZHOU, ratio: '0.6', amount: '30.00', pendingBefore: '0.00', cancelled: '0.00', returned: '30.00' },
      { region: ZHEJIANG, ratio: '0.4', amount: '20.00', pendingBefore: '40.00', cancelled: '20.00', returned: '0.00' },
    ]);
    expect(res.body.program).toMatchObject({
      budget: '50.01',
      available: '30.01',
      funding: [
        { amount: '30.01', confirmed: '30.01' },
        { amount: '20.00', pending: '20.00' },
      ],
    });
    expect((await lastEntry(t.db)).postings).toEqual([
      { account: `program:${id}`, amount: '-30.00' },
      { account: 'appropriation:330100', amount: '30.00' },
      { account: 'appropriation:330000', amount: '0.00' },
    ]);

    // Once the province has confirmed (20.00), a decrease of 10.01 returns 6.01 and 4.00 to the two appropriations.
    await confirm(province, id, ZHEJIANG);
    const second = await change(city, id, { amount: '10.01', direction: 'decrease' });
    expect(second.body.program).toMatchObject({ budget: '40.00', available: '40.00', funding: [{ amount: '24.00' }, { amount: '16.00', pending: '0.00' }] });
    expect((await lastEntry(t.db)).postings).toEqual([
      { account: `program:${id}`, amount: '-10.01' },
      { account: 'appropriation:330100', amount: '6.01' },
      { account: 'appropriation:330000', amount: '4.00' },
    ]);
    await expectLedgerInvariants(t.db);
  });

  it('a decrease beyond available is refused with insufficient_budget and changes nothing; up to it is accepted', async () => {
    const { id } = await cityProvinceProgram();
    await confirm(province, id, ZHEJIANG);
    await scenario(t).voucher(id, { amount: '50.00' });
    const before = await snapshot(t.db);
    const refused = await change(city, id, { amount: '50.02', direction: 'decrease' });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('insufficient_budget');
    expect(await snapshot(t.db)).toBe(before);
    const all = await change(city, id, { amount: '50.01', direction: 'decrease' });
    expect(all.status).toBe(201);
    expect(all.body.program).toMatchObject({ budget: '50.00', available: '0.00' });
  });

  it('a decrease and a voucher racing for the same available money never overdraw the program', async () => {
    const { id } = await cityProvinceProgram();
    await confirm(province, id, ZHEJIANG);
    const [decrease, voucher] = await Promise.all([
      change(city, id, { amount: '60.00', direction: 'decrease' }),
      city.post('/v1/vouchers', { programId: id, beneficiary: { uscc: ENTERPRISE, name: '示例' }, amount: '60.00', expiresOn: '2026-12-31' }),
    ]);
    // 100.01 available: exactly one of the two fits.
    expect([decrease.status, voucher.status].sort()).toEqual([201, 422]);
    expect((await city.get(`/v1/programs/${id}`)).body.available).toBe('40.01');
    await expectLedgerInvariants(t.db);
  });

  it('only the program’s own region changes its budget; bad input is a 400 naming the field', async () => {
    const { id } = await cityProvinceProgram();
    const before = await snapshot(t.db);
    expect((await change(province, id, { amount: '1.00', direction: 'increase' })).status).toBe(403);
    expect((await change(ningbo, id, { amount: '1.00', direction: 'increase' })).status).toBe(403);
    expect((await change(city, 'prg_missing', { amount: '1.00', direction: 'increase' })).status).toBe(404);
    for (const [body, field] of [
      [{ amount: '0.00', direction: 'increase' }, 'amount'],
      [{ amount: 1, direction: 'increase' }, 'amount'],
      [{ amount: '1.00', direction: 'up' }, 'direction'],
      [{ amount: '1.00', direction: 'increase', reason: '' }, 'reason'],
      [{ amount: '1.00', direction: 'increase', extra: true }, 'extra'],
    ] as const) {
      const res = await change(city, id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.field).toBe(field);
    }
    expect(await snapshot(t.db)).toBe(before);
  });
});

describe('the verifier', () => {
  it('accepts a ledger of co-funded programs, confirmations, increases and decreases', async () => {
    const { id } = await cityProvinceProgram();
    await change(city, id, { amount: '10.01', direction: 'increase' });
    await change(city, id, { amount: '7.77', direction: 'decrease' });
    await confirm(province, id, ZHEJIANG);
    const three = await program(county, {
      budget: '0.10',
      funding: [
        { region: SHANGCHENG, ratio: '0.3334' },
        { region: HANGZHOU, ratio: '0.3333' },
        { region: ZHEJIANG, ratio: '0.3333' },
      ],
    });
    await confirm(province, three.body.id, ZHEJIANG);
    await change(county, three.body.id, { amount: '0.05', direction: 'decrease' });
    await program(city, { budget: '1.00' });
    const dir = mkdtempSync(join(tmpdir(), 'vl-funding-'));
    try {
      const file = join(dir, 'ledger.ndjson');
      writeFileSync(file, (await t.auditor.get('/v1/ledger/export?format=ndjson')).text);
      const report = await runVerification({ file });
      expect(report.firstFailure).toBeNull();
      expect(report.ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the migration', () => {
  it('backfills a program created before co-funding: one funder, its own region, ratio 1, the whole budget confirmed', async () => {
    const target = await createTestDatabase();
    const db = createDatabase(target.url);
    try {
      // The schema as it was before 0004, with a program funded the old way (one program.funded entry).
      const engine = engineOf(db);
      const schema = await engine.migrationSchema(db);
      const before = Object.fromEntries(Object.entries(migrationsFor(engine)).filter(([name]) => name < '0004'));
      const migrated = await new Migrator({
        db,
        provider: { getMigrations: async () => before },
        ...(schema ? { migrationTableSchema: schema } : {}),
      }).migrateToLatest();
      expect(migrated.error).toBeUndefined();
      const id = 'prg_legacy';
      const limits = { 'compute.autonomous': { rate: '0.30', annualCap: null }, 'compute.non_autonomous': { rate: '0.10', annualCap: null } };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('programs')
          .values({
            id,
            name: '旧券',
            kind: 'compute',
            region: HANGZHOU,
            policy_id: 'zj-ai-2025',
            budget_fen: 123_456n,
            limits: JSON.stringify(limits),
            created_at: '2025-12-01T00:00:00.000Z',
            created_by: 'old',
          } as never)
          .execute();
        await appendLegacyEntry(
          trx,
          {
            type: 'program.funded',
            actor: { sub: 'old', role: 'issuer', region: HANGZHOU },
            data: {
              region: HANGZHOU,
              programId: id,
              kind: 'compute',
              name: '旧券',
              policyId: 'zj-ai-2025',
              policySha256: '0'.repeat(64),
              budget: '1234.56',
              limits,
            },
            postings: transfer(accounts.appropriation(HANGZHOU), accounts.program(id), 123_456n),
          },
          new Date('2025-12-01T00:00:00Z'),
        );
      });

      await migrateToLatest(db);
      const app = createApp({
        db,
        config: loadConfig({ NODE_ENV: 'test', DATABASE_URL: ':memory:', JWT_SECRET: TEST_SECRET }),
        logger: createLogger('silent'),
        clock: fixedClock('2025-12-15T04:00:00Z'),
      });
      const issuer = clientFor(app, await mintToken({ role: 'issuer', region: HANGZHOU }));
      const res = await issuer.get(`/v1/programs/${id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        budget: '1234.56',
        available: '1234.56',
        requireRegisteredProviders: false,
        funding: [{ region: HANGZHOU, ratio: '1', amount: '1234.56', confirmed: '1234.56', pending: '0.00', status: 'confirmed' }],
      });
      // The old program takes budget changes like any other.
      const increase = await issuer.post(`/v1/programs/${id}/budget-changes`, { amount: '0.44', direction: 'increase', reason: 'top-up' });
      expect(increase.status).toBe(201);
      expect(increase.body.program).toMatchObject({ budget: '1235.00', available: '1235.00' });
    } finally {
      await db.destroy();
      await target.drop();
    }
  });
});
