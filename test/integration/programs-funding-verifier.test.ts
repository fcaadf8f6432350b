// Forged co-funding entries: an insider edits a share, a confirmation or a budget change, then re-links and
// re-hashes the chain. Hashes and chain pass; the verifier must fail at the seq the forgery contradicts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerification } from '../../src/verifier/run.js';
import { HANGZHOU, ZHEJIANG } from '../helpers/fixtures.js';
import { rehash, relink, type ExportedEntry } from '../helpers/tamper.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

type Data = Record<string, unknown>;
type Entry = ExportedEntry;

const SHANGCHENG = '330102';
let t: TestApp;
let dir: string;
let entries: Entry[];
let files = 0;
const at = { created: 0, increase: 0, confirmed: 0, decrease: 0, county: 0, countyConfirmed: 0, countyDecrease: 0, single: 0 };

const write = (list: unknown[]) => {
  const path = join(dir, `ledger-${++files}.ndjson`);
  writeFileSync(path, list.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return path;
};

/** The chain with the entry at `seq` edited by `mutate` and everything from it on re-hashed and re-linked. */
async function rewrite(seq: number, mutate: (e: Entry) => void) {
  const edited = structuredClone(entries[seq - 1]!);
  mutate(edited);
  return verify(
    relink(
      entries.map((e) => (e.seq === seq ? edited : e)),
      seq - 1,
    ),
  );
}

async function verify(list: Entry[]) {
  const report = await runVerification({ file: write(list) });
  expect(report.checks.filter((c) => c.name === 'hashes' || c.name === 'chain').map((c) => c.status)).toEqual(['pass', 'pass']);
  return report;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vl-funding-verifier-'));
  t = await buildTestApp();
  const province = await t.as({ role: 'issuer', region: ZHEJIANG });
  const county = await t.as({ role: 'issuer', region: SHANGCHENG });
  const ok = async (res: PromiseLike<{ status: number; body: Data }>) => {
    const r = await res;
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    return r.body;
  };
  const p = await ok(
    t.issuer.post('/v1/programs', {
      name: 'p',
      kind: 'compute',
      budget: '100.01',
      funding: [
        { region: HANGZHOU, ratio: '0.6' },
        { region: ZHEJIANG, ratio: '0.4' },
      ],
    }),
  );
  await ok(t.issuer.post(`/v1/programs/${String(p['id'])}/budget-changes`, { amount: '10.01', direction: 'increase', reason: 'more' }));
  await ok(province.post(`/v1/programs/${String(p['id'])}/funding/${ZHEJIANG}/confirm`));
  await ok(t.issuer.post(`/v1/programs/${String(p['id'])}/budget-changes`, { amount: '7.77', direction: 'decrease', reason: 'less' }));
  const q = await ok(
    county.post('/v1/programs', {
      name: 'q',
      kind: 'model',
      budget: '0.10',
      funding: [
        { region: SHANGCHENG, ratio: '0.3334' },
        { region: HANGZHOU, ratio: '0.3333' },
        { region: ZHEJIANG, ratio: '0.3333' },
      ],
    }),
  );
  await ok(t.issuer.post(`/v1/programs/${String(q['id'])}/funding/${HANGZHOU}/confirm`));
  await ok(county.post(`/v1/programs/${String(q['id'])}/budget-changes`, { amount: '0.05', direction: 'decrease', reason: 'less' }));
  await ok(t.issuer.post('/v1/programs', { name: 'single', kind: 'corpus', budget: '9.99' }));
  entries = (await t.auditor.get('/v1/ledger/export?format=ndjson')).text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Entry);
  Object.assign(at, { created: 1, increase: 2, confirmed: 3, decrease: 4, county: 5, countyConfirmed: 6, countyDecrease: 7, single: 8 });
  expect(entries.map((e) => e.type)).toEqual([
    'program.funded',
    'program.budget_changed',
    'program.funded',
    'program.budget_changed',
    'program.funded',
    'program.funded',
    'program.budget_changed',
    'program.funded',
  ]);
}, 120_000);
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the genuine ledger', () => {
  it('verifies, with the worked splits recorded: 7.77 by 0.6/0.4 is 4.66 / 3.11, and 0.05 by thirds is 0.02 / 0.02 / 0.01', async () => {
    const report = await verify(entries);
    expect(report.firstFailure).toBeNull();
    expect((entries[at.decrease - 1]!.data['shares'] as Data[]).map((s) => s['amount'])).toEqual(['4.66', '3.11']);
    // 5 fen × (0.3334, 0.3333, 0.3333) = 1.667, 1.6665, 1.6665: two fen left, to the county, then the city (tie, listed first).
    expect((entries[at.countyDecrease - 1]!.data['shares'] as Data[]).map((s) => [s['amount'], s['cancelled'], s['returned']])).toEqual([
      ['0.02', '0.00', '0.02'],
      ['0.02', '0.00', '0.02'],
      ['0.01', '0.01', '0.00'],
    ]);
  });

  it('accepts a first program.funded written before co-funding (no funding list: its region funded it all)', async () => {
    const single = structuredClone(entries[at.single - 1]!);
    delete single.data['funding'];
    delete single.data['requireRegisteredProviders'];
    const report = await verify([...entries.slice(0, at.single - 1), rehash(single)]);
    expect(report.firstFailure).toBeNull();
  });
});

describe('a forged share is caught at its seq', () => {
  it('a creation split 60.00 / 40.01 instead of 60.01 / 40.00 (postings moved with it)', async () => {
    const report = await rewrite(at.created, (e) => {
      const funding = e.data['funding'] as Data[];
      funding[0]!['amount'] = '60.00';
      funding[1]!['amount'] = '40.01';
      e.postings = [
        { account: 'appropriation:330100', amount: '-60.00' },
        { account: e.postings[1]!.account, amount: '60.00' },
      ];
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.created,
      check: 'recomputation',
      reason: "funding[0].amount 60.00 is not region 330100's share 60.01 of 100.01 by the largest-remainder rule",
    });
  });

  it('the province’s share marked confirmed and posted at creation', async () => {
    const report = await rewrite(at.created, (e) => void ((e.data['funding'] as Data[])[1]!['status'] = 'confirmed'));
    expect(report.firstFailure).toMatchObject({
      seq: at.created,
      check: 'recomputation',
      reason: "funding[1].status is confirmed: region 330000's share is pending its confirmation",
    });
  });

  it('ratios that do not sum to 1', async () => {
    const report = await rewrite(at.created, (e) => void ((e.data['funding'] as Data[])[1]!['ratio'] = '0.3'));
    expect(report.firstFailure).toMatchObject({ seq: at.created, check: 'recomputation', reason: 'funding ratios sum to 0.9000, not 1' });
  });

  it('a funder region that does not cover the program’s (Ningbo funding Hangzhou)', async () => {
    const report = await rewrite(at.created, (e) => void ((e.data['funding'] as Data[])[1]!['region'] = '330200'));
    expect(report.firstFailure).toMatchObject({ seq: at.created, check: 'rules', reason: "funder region 330200 does not cover the program's region 330100" });
  });

  it('ratios rewritten consistently to 0.5/0.5 at creation contradict the next budget change’s split', async () => {
    const report = await rewrite(at.created, (e) => {
      const funding = e.data['funding'] as Data[];
      Object.assign(funding[0]!, { ratio: '0.5', amount: '50.01' });
      Object.assign(funding[1]!, { ratio: '0.5', amount: '50.00' });
      e.postings = [
        { account: 'appropriation:330100', amount: '-50.01' },
        { account: e.postings[1]!.account, amount: '50.01' },
      ];
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.increase,
      check: 'derived-inputs',
      reason: expect.stringMatching(/^shares are split among \[330100 0\.6, 330000 0\.4\] but program prg_\S+ is funded by \[330100 0\.5, 330000 0\.5\]$/),
    });
  });

  it('an increase whose pending share was posted as confirmed', async () => {
    const report = await rewrite(at.increase, (e) => {
      const shares = e.data['shares'] as Data[];
      Object.assign(shares[1]!, { amount: '4.00', status: 'confirmed' });
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.increase,
      check: 'recomputation',
      reason: "shares[1].status is confirmed: region 330000's share is pending its confirmation",
    });
  });
});

describe('a forged confirmation is caught at its seq', () => {
  it('confirming 44.01 when the province owes 44.00 (40.00 at creation, 4.00 from the increase)', async () => {
    const report = await rewrite(at.confirmed, (e) => {
      e.data['amount'] = '44.01';
      e.postings = [
        { account: 'appropriation:330000', amount: '-44.01' },
        { account: e.postings[1]!.account, amount: '44.01' },
      ];
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.confirmed,
      check: 'derived-inputs',
      reason: expect.stringMatching(/^region 330000 confirms 44\.01 but owes program prg_\S+ 44\.00$/),
    });
  });

  it('confirming twice', async () => {
    const copy = structuredClone(entries[at.confirmed - 1]!);
    const list = [...entries.slice(0, at.confirmed), copy, ...entries.slice(at.confirmed)].map((e, i) => ({ ...e, seq: i + 1 }));
    const report = await verify(relink(list, at.confirmed));
    expect(report.firstFailure).toMatchObject({
      seq: at.confirmed + 1,
      check: 'derived-inputs',
      reason: expect.stringMatching(/^region 330000 confirms 44\.00 but owes program prg_\S+ nothing \(never owed, or already confirmed\)$/),
    });
  });

  it('the city confirming the province’s share', async () => {
    const report = await rewrite(at.confirmed, (e) => void (e.actor['region'] = HANGZHOU));
    expect(report.firstFailure).toMatchObject({
      seq: at.confirmed,
      check: 'rules',
      reason: 'program.funded (a confirmation) is written by an issuer of region 330000, not by issuer 330100',
    });
  });

  it('the county’s own region (no pending share) confirming', async () => {
    const report = await rewrite(at.countyConfirmed, (e) => {
      e.actor['region'] = SHANGCHENG;
      e.data['funder'] = SHANGCHENG;
      e.postings[0]!.account = `appropriation:${SHANGCHENG}`;
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.countyConfirmed,
      check: 'derived-inputs',
      reason: expect.stringMatching(/^region 330102 confirms 0\.03 but owes program prg_\S+ nothing/),
    });
  });
});

describe('a forged budget change is caught at its seq', () => {
  it('a decrease that returns money the province never paid instead of cancelling what it owes', async () => {
    const report = await rewrite(at.countyDecrease, (e) => {
      Object.assign((e.data['shares'] as Data[])[2]!, { cancelled: '0.00', returned: '0.01' });
      e.postings[0]!.amount = '-0.05';
      e.postings[3]!.amount = '0.01';
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.countyDecrease,
      check: 'recomputation',
      reason: 'shares[2].cancelled recomputes to 0.01 (the lesser of the share and pendingBefore), recorded 0.00',
    });
  });

  it('the same, with pendingBefore rewritten to 0.00 so that the entry is consistent alone', async () => {
    const report = await rewrite(at.countyDecrease, (e) => {
      Object.assign((e.data['shares'] as Data[])[2]!, { pendingBefore: '0.00', cancelled: '0.00', returned: '0.01' });
      e.postings[0]!.amount = '-0.05';
      e.postings[3]!.amount = '0.01';
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.countyDecrease,
      check: 'derived-inputs',
      reason: 'shares[2].pendingBefore is recorded as 0.00 but the chain gives 0.03 owed by region 330000',
    });
  });

  it('a decrease beyond what was available, its availableBefore inflated', async () => {
    const report = await rewrite(at.decrease, (e) => void (e.data['availableBefore'] = '999.00'));
    expect(report.firstFailure).toMatchObject({
      seq: at.decrease,
      check: 'derived-inputs',
      reason: 'availableBefore is recorded as 999.00 but the chain gives 110.02',
    });
  });

  it('a decrease split 4.67 / 3.10 instead of 4.66 / 3.11', async () => {
    const report = await rewrite(at.decrease, (e) => {
      const shares = e.data['shares'] as Data[];
      Object.assign(shares[0]!, { amount: '4.67', returned: '4.67' });
      Object.assign(shares[1]!, { amount: '3.10', returned: '3.10' });
      e.postings[1]!.amount = '4.67';
      e.postings[2]!.amount = '3.10';
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.decrease,
      check: 'recomputation',
      reason: "shares[0].amount 4.67 is not region 330100's share 4.66 of 7.77 by the largest-remainder rule",
    });
  });

  it('a budget change written by the province', async () => {
    const report = await rewrite(at.increase, (e) => void (e.actor['region'] = ZHEJIANG));
    expect(report.firstFailure).toMatchObject({
      seq: at.increase,
      check: 'rules',
      reason: 'program.budget_changed is written by an issuer of region 330100, not by issuer 330000',
    });
  });

  it('a share with a member the service never writes', async () => {
    const report = await rewrite(at.increase, (e) => void ((e.data['shares'] as Data[])[0]!['note'] = 'x'));
    expect(report.firstFailure).toMatchObject({ seq: at.increase, check: 'format', reason: 'data.shares[0].note is not a member this entry type has' });
  });
});
