// The verifier against forged payments: an insider edits or adds a payment entry and re-hashes the chain from
// there on. Hashes and chain still pass; the payment checks must fail at the forged seq.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerification } from '../../src/verifier/run.js';
import { HANGZHOU, PROVIDER, ZHEJIANG } from '../helpers/fixtures.js';
import { buildSettlementLedger } from '../helpers/settlement-ledger.js';
import { rehash, relink, type ExportedEntry } from '../helpers/tamper.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

type Data = Record<string, unknown>;
type Entry = ExportedEntry;

let t: TestApp;
let dir: string;
let entries: Entry[];
let files = 0;
const write = (list: unknown[]) => {
  const path = join(dir, `ledger-${++files}.ndjson`);
  writeFileSync(path, list.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return path;
};
const of = (type: string) => entries.find((e) => e.type === type)!;

/** The chain with the entry at `seq` edited and everything after it re-linked and re-hashed. */
async function rewrite(seq: number, mutate: (e: Entry) => void) {
  const edited = structuredClone(entries[seq - 1]!);
  mutate(edited);
  return verified(
    relink(
      entries.map((e) => (e.seq === seq ? edited : e)),
      seq - 1,
    ),
  );
}

/** The chain with `extra` appended after its last entry, linked and hashed as a genuine one would be. */
async function append(extra: Entry) {
  const last = entries.at(-1)!;
  return verified([...entries, rehash({ ...structuredClone(extra), seq: last.seq + 1, prevHash: last.hash })]);
}

async function verified(list: Entry[]) {
  const report = await runVerification({ file: write(list) });
  expect(report.checks.filter((c) => c.name === 'hashes' || c.name === 'chain').map((c) => c.status)).toEqual(['pass', 'pass']);
  expect(report.ok).toBe(false);
  return report;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vl-settlement-verifier-'));
  t = await buildTestApp();
  await buildSettlementLedger(t);
  entries = (await t.auditor.get('/v1/ledger/export?format=ndjson')).text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Entry);
}, 120_000);
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the untouched settlement ledger', () => {
  it('verifies, payments included', async () => {
    expect(entries.map((e) => e.type)).toEqual(expect.arrayContaining(['payment.approved', 'payment.disbursed', 'payment.recovered']));
    const report = await runVerification({ file: write(entries) });
    expect(report.firstFailure).toBeNull();
    expect(report.ok).toBe(true);
  });
});

describe('forged payments fail at their seq', () => {
  it('a disbursement paying more than its approved line (amount, shares, postings and claim raised together)', async () => {
    const paid = of('payment.disbursed');
    const report = await rewrite(paid.seq, (e) => {
      e.data['amount'] = '200.01';
      e.data['shares'] = [
        { region: HANGZHOU, amount: '120.01' },
        { region: ZHEJIANG, amount: '80.00' },
      ];
      e.data['redemptions'] = [{ ...(e.data['redemptions'] as Data[])[0], amount: '200.01' }];
      e.postings = [
        { account: `payable:${PROVIDER}`, amount: '-200.01' },
        { account: `disbursed:${HANGZHOU}`, amount: '120.01' },
        { account: `disbursed:${ZHEJIANG}`, amount: '80.00' },
      ];
    });
    expect(report.firstFailure).toMatchObject({ seq: paid.seq, check: 'derived-inputs', reason: expect.stringMatching(/is not the line as approved/) });
  });

  it('a disbursement of a line no approval holds', async () => {
    const paid = of('payment.disbursed');
    const report = await append({ ...paid, data: { ...paid.data, batchId: 'pbt_forged', lineId: 'pln_forged', bankReference: 'FORGED-1' } });
    expect(report.firstFailure).toMatchObject({
      seq: entries.length + 1,
      check: 'derived-inputs',
      reason: 'pays a line of batch pbt_forged, which no earlier payment.approved entry approves',
    });
  });

  it('a line paid twice', async () => {
    const paid = of('payment.disbursed');
    const report = await append({ ...paid, data: { ...paid.data, bankReference: 'ICBC-0002' } });
    expect(report.firstFailure).toMatchObject({
      seq: entries.length + 1,
      check: 'derived-inputs',
      reason: `line ${String(paid.data['lineId'])} is paid twice`,
    });
  });

  it('a second batch paying a claim that was already paid', async () => {
    const approved = of('payment.approved');
    const line = (approved.data['lines'] as Data[])[0]!;
    const report = await append({ ...approved, data: { ...approved.data, batchId: 'pbt_second', lines: [{ ...line, lineId: 'pln_second' }] } });
    expect(report.firstFailure).toMatchObject({
      seq: entries.length + 1,
      check: 'derived-inputs',
      reason: expect.stringMatching(/^claims 100\.01 for redemption rdm_\S+, which is owed -29\.99$/),
    });
  });

  it('a batch approved by its own maker', async () => {
    const approved = of('payment.approved');
    const report = await rewrite(approved.seq, (e) => {
      e.actor['sub'] = String(e.data['maker']);
      e.data['checker'] = e.data['maker'];
    });
    expect(report.firstFailure).toMatchObject({
      seq: approved.seq,
      check: 'rules',
      reason: `batch ${String(approved.data['batchId'])} is approved by its own maker ${String(approved.data['maker'])}`,
    });
  });

  it('an approval gathering claims up to a cutoff after its own day', async () => {
    const approved = of('payment.approved');
    const report = await rewrite(approved.seq, (e) => void (e.data['cutoff'] = '2099-01-01'));
    expect(report.firstFailure).toMatchObject({
      seq: approved.seq,
      check: 'rules',
      reason: expect.stringMatching(/^cutoff 2099-01-01 is after the day of the approval/),
    });
  });

  it('a checker who is not the approving issuer', async () => {
    const approved = of('payment.approved');
    const report = await rewrite(approved.seq, (e) => void (e.data['checker'] = 'someone-else'));
    expect(report.firstFailure).toMatchObject({ seq: approved.seq, check: 'rules', reason: `checker someone-else is not the approving issuer checker-hz` });
  });

  it('shares that do not follow the ratios by the largest-remainder rule', async () => {
    const paid = of('payment.disbursed');
    const report = await rewrite(paid.seq, (e) => {
      e.data['shares'] = [
        { region: HANGZHOU, amount: '60.00' },
        { region: ZHEJIANG, amount: '40.01' },
      ];
      e.postings = [
        { account: `payable:${PROVIDER}`, amount: '-100.01' },
        { account: `disbursed:${HANGZHOU}`, amount: '60.00' },
        { account: `disbursed:${ZHEJIANG}`, amount: '40.01' },
      ];
    });
    expect(report.firstFailure).toMatchObject({
      seq: paid.seq,
      check: 'recomputation',
      reason: `shares[0] (${HANGZHOU}) is 60.00, but 100.01 split by the largest-remainder rule gives 60.01`,
    });
  });

  it('a recovery beyond what the provider owed', async () => {
    const recovered = of('payment.recovered');
    const report = await rewrite(recovered.seq, (e) => {
      e.data['amount'] = '60.00';
      e.data['shares'] = [
        { region: HANGZHOU, amount: '36.00' },
        { region: ZHEJIANG, amount: '24.00' },
      ];
      e.data['redemptions'] = [{ ...(e.data['redemptions'] as Data[])[0], owedBefore: '60.00', amount: '60.00' }];
      e.postings = [
        { account: `disbursed:${HANGZHOU}`, amount: '-36.00' },
        { account: `disbursed:${ZHEJIANG}`, amount: '-24.00' },
        { account: `payable:${PROVIDER}`, amount: '60.00' },
      ];
    });
    expect(report.firstFailure).toMatchObject({
      seq: recovered.seq,
      check: 'derived-inputs',
      reason: expect.stringMatching(/^owedBefore is 60\.00 for redemption rdm_\S+, but the chain gives 50\.00$/),
    });
  });

  it('a payment whose funders are not the program’s', async () => {
    const paid = of('payment.disbursed');
    const report = await rewrite(paid.seq, (e) => {
      e.data['funders'] = [{ region: HANGZHOU, ratio: '1' }];
      e.data['shares'] = [{ region: HANGZHOU, amount: '100.01' }];
      e.postings = [
        { account: `payable:${PROVIDER}`, amount: '-100.01' },
        { account: `disbursed:${HANGZHOU}`, amount: '100.01' },
      ];
    });
    expect(report.firstFailure).toMatchObject({
      seq: paid.seq,
      check: 'derived-inputs',
      reason: expect.stringMatching(/^funders are not program prg_\S+'s funders and ratios$/),
    });
  });

  it('an approval that moves money', async () => {
    const approved = of('payment.approved');
    const report = await rewrite(approved.seq, (e) => {
      e.postings = [
        { account: `payable:${PROVIDER}`, amount: '-1.00' },
        { account: `disbursed:${HANGZHOU}`, amount: '1.00' },
      ];
    });
    expect(report.firstFailure).toMatchObject({ seq: approved.seq, check: 'recomputation', reason: 'payment.approved moves no money, but it has postings' });
  });

  it('a disbursement paid on a day no calendar has (2025-02-31), or on 29 February of a common year', async () => {
    const paid = of('payment.disbursed');
    for (const day of ['2025-02-31', '2025-02-29', '2025-04-31']) {
      const report = await rewrite(paid.seq, (e) => void (e.data['paidOn'] = day));
      expect(report.firstFailure, day).toMatchObject({ seq: paid.seq, check: 'format', reason: 'data.paidOn is not a calendar date YYYY-MM-DD' });
    }
  });

  it('an unknown member hidden in a payment', async () => {
    const paid = of('payment.disbursed');
    const report = await rewrite(paid.seq, (e) => void (e.data['note'] = 'x'));
    expect(report.firstFailure).toMatchObject({ seq: paid.seq, check: 'format', reason: 'data.note is not a member this entry type has' });
  });
});
