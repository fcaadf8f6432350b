// The verifier against decision 0042's entries, written through the real API: two programs closed at the end of
// their period, a listing and its delisting, related-party groups and a spot check with its results
// (test/helpers/oversight-ledger.ts), then a payment after a close and a claim program whose parties are listed and
// grouped only once their claims were in. The ledger verifies from its export and its database; then an insider
// edits, moves or adds one entry and re-hashes the chain from there on. Hashes and chain still pass; each forgery
// must fail at its seq, with the verifier naming why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport } from '../../src/verifier/report.js';
import { runVerification } from '../../src/verifier/run.js';
import { claimsScenario } from '../helpers/claims-ledger.js';
import { ENTERPRISE, HANGZHOU, PROVIDER, ZHEJIANG } from '../helpers/fixtures.js';
import { buildOversightLedger, ok } from '../helpers/oversight-ledger.js';
import { relink, type ExportedEntry } from '../helpers/tamper.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

type Data = Record<string, unknown>;
type Entry = ExportedEntry;

const OVERSIGHT_TYPES = [
  'program.closed',
  'watchlist.listed',
  'watchlist.delisted',
  'related_parties.declared',
  'spot_check.drawn',
  'spot_check.result_recorded',
];

let t: TestApp;
let dir: string;
let entries: Entry[];
let built: Awaited<ReturnType<typeof buildOversightLedger>>;
let claims: { approved: string; open: string; listing: string; group: string };
let files = 0;

const write = (list: unknown[]) => {
  const path = join(dir, `ledger-${++files}.ndjson`);
  writeFileSync(path, list.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return path;
};

/** Verifies `list`, re-linked and re-hashed from index `from` on; hashes and chain hold, the verdict does not. */
async function verifyForged(list: Entry[], from: number) {
  const report = await runVerification({ file: write(relink(list, from)) });
  expect(report.checks.filter((c) => c.name === 'hashes' || c.name === 'chain').map((c) => c.status)).toEqual(['pass', 'pass']);
  expect(report.ok).toBe(false);
  return report;
}

/** The chain with `entry` edited as `forge` edits it, and everything after it re-linked and re-hashed; the report. */
async function forged(pick: (list: Entry[]) => Entry, forge: (entry: Entry) => void) {
  const list = structuredClone(entries);
  const entry = pick(list);
  forge(entry);
  return { seq: entry.seq, report: await verifyForged(list, entry.seq - 1) };
}

/** The chain with the entry at `seq` moved to just before the one at `before` (or `entry` put there), renumbered. */
async function rearranged(seq: number | Entry, before: number) {
  const list = structuredClone(entries);
  const [moved] = typeof seq === 'number' ? list.splice(seq - 1, 1) : [structuredClone(seq)];
  const at = typeof seq === 'number' && seq < before ? before - 2 : before - 1;
  list.splice(at, 0, moved!);
  const from = Math.min(at, typeof seq === 'number' ? seq - 1 : at);
  list.forEach((entry, i) => (entry.seq = i + 1));
  return { seq: at + 1, report: await verifyForged(list, from) };
}

const find = (type: string, test: (d: Data) => boolean = () => true) => entries.find((e) => e.type === type && test(e.data))!;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vl-oversight-verifier-'));
  t = await buildTestApp({ sqlitePath: join(dir, 'ledger.db') });
  built = await buildOversightLedger(t);
  // Payments go on after a close (decision 0042): program B's batch is approved and paid on 2026-04-01.
  const checker = await t.as({ role: 'issuer', region: HANGZHOU, sub: 'checker-hz' });
  const approval = await ok<{ lines: { id: string }[] }>(checker.post(`/v1/payment-batches/${built.batch.id}/approve`));
  await ok(t.issuer.post(`/v1/payment-batches/${built.batch.id}/lines/${approval.lines[0]!.id}/paid`, { bankReference: 'ICBC-OVS-1', paidOn: '2026-04-01' }));

  // A reviewed claim program: one claim approved, one still open; then the provider and the enterprise are declared
  // related, and the province lists the enterprise. Each is genuine in this order, and a forgery out of it.
  const enterprise = await t.as({ sub: 'ent-finance', role: 'enterprise', org: ENTERPRISE });
  const reviewer = await t.as({ sub: 'hz-claims-officer', role: 'issuer', region: HANGZHOU });
  const s = claimsScenario(t, { enterprise, reviewer });
  const program = await s.program('核销审核算力券', { review: true });
  const { voucher, contract } = await s.voucherWithContract(program.id);
  const approved = await ok<{ id: string }>(s.submit(voucher.id, contract.id, '100000.00'), 201);
  await ok(s.review(approved.id, 'approve'));
  const open = await ok<{ id: string }>(s.submit(voucher.id, contract.id, '20000.00'), 201);
  const group = await ok<{ id: string }>(
    t.issuer.post('/v1/related-parties', { usccs: [PROVIDER, ENTERPRISE], relation: 'management', reason: '同一实际控制人' }),
    201,
  );
  const province = await t.as({ sub: 'zj-finance', role: 'issuer', region: ZHEJIANG });
  const listing = await ok<{ id: string }>(
    province.post('/v1/watchlist', { uscc: ENTERPRISE, reason: '虚报冒领补贴', source: '浙江省公共信用信息平台', listedOn: '2026-03-28' }),
    201,
  );
  claims = { approved: approved.id, open: open.id, listing: listing.id, group: group.id };

  entries = (await t.auditor.get('/v1/ledger/export?format=ndjson')).text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Entry);
}, 120_000);
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the untouched oversight ledger', () => {
  it('verifies from its export and from its database, every entry type of decision 0042 in it, and reports them', async () => {
    for (const type of [...OVERSIGHT_TYPES, 'payment.approved', 'payment.disbursed', 'claim.approved']) expect(entries.map((e) => e.type)).toContain(type);
    const fromExport = await runVerification({ file: write(entries) });
    expect(fromExport.firstFailure).toBeNull();
    expect(fromExport.ok).toBe(true);
    const fromDatabase = await runVerification({ db: t.databaseUrl });
    expect(fromDatabase.firstFailure).toBeNull();
    expect(fromDatabase.checks.filter((c) => ['balances', 'triggers', 'head'].includes(c.name)).map((c) => c.status)).toEqual(['pass', 'pass', 'pass']);
    expect(fromDatabase.oversight).toEqual({ closed: 2, listings: 2, delisted: 1, groups: 2, spotChecks: 1, drawn: 5, results: 2, failed: 1 });
    expect(formatReport(fromExport)).toContain(
      '\noversight: 2 programs closed, 2 listings (1 delisted), 2 related-party groups, 1 spot check (5 drawn, 2 results, 1 failed)\n',
    );
  });

  it('says nothing of oversight on a ledger without its entries', async () => {
    const first = entries.findIndex((e) => OVERSIGHT_TYPES.includes(e.type));
    expect(first).toBe(0);
    const program = entries.findIndex((e) => e.type === 'program.funded');
    const funding = structuredClone(entries.slice(program, program + 2)).map((e, i) => ({ ...e, seq: i + 1 }));
    const withoutOversight = await runVerification({ file: write(relink(funding, 0)) });
    expect(withoutOversight.ok).toBe(true);
    expect('oversight' in withoutOversight).toBe(false);
    expect(formatReport(withoutOversight)).not.toContain('oversight:');
  });
});

describe('forged closes', () => {
  it('catches shares not by the split: 0.01 moved between the funders, their postings moved to match', async () => {
    const { seq, report } = await forged(
      (list) => list.find((e) => e.type === 'program.closed' && e.data['programId'] === built.programs.a.id)!,
      (close) => {
        const funders = close.data['funders'] as Data[];
        expect(funders.map((f) => f['returned'])).toEqual(['60000.01', '40000.00']);
        funders[0]!['returned'] = '60000.00';
        funders[1]!['returned'] = '40000.01';
        close.postings.at(-2)!.amount = '60000.00';
        close.postings.at(-1)!.amount = '40000.01';
      },
    );
    expect(report.firstFailure).toEqual({
      seq,
      check: 'recomputation',
      reason: `funders[0].returned 60000.00 is not region ${HANGZHOU}'s share 60000.01 of 100000.01 by the largest-remainder rule over the confirmed amounts`,
    });
  });

  it('catches a close that keeps part of a voucher’s balance back, its sums and split consistent', async () => {
    const { seq, report } = await forged(
      (list) => list.find((e) => e.type === 'program.closed' && e.data['programId'] === built.programs.b.id)!,
      (close) => {
        expect((close.data['vouchers'] as Data[])[0]).toEqual({ voucherId: built.voucher.id, returned: '3800.00' });
        (close.data['vouchers'] as Data[])[0]!['returned'] = '3000.00';
        Object.assign(close.data, { vouchersReturned: '3000.00', returned: '198000.00' });
        (close.data['funders'] as Data[])[0]!['returned'] = '198000.00';
        close.postings[0]!.amount = '-3000.00';
        close.postings.at(-1)!.amount = '198000.00';
      },
    );
    expect(report.firstFailure).toEqual({
      seq,
      check: 'derived-inputs',
      reason: `vouchers[0].returned is 3000.00 but voucher:${built.voucher.id} holds 3800.00`,
    });
  });

  it('catches a redemption on a closed program', async () => {
    const close = find('program.closed', (d) => d['programId'] === built.programs.b.id);
    const redemption = structuredClone(find('redemption.recorded', (d) => d['programId'] === built.programs.b.id));
    // The same redemption again on the day after the close, under a new id and invoice: consistent on its own.
    Object.assign(redemption.data, { redemptionId: 'rdm_00000000-0000-4000-8000-000000000042', invoiceNumber: 'FP-AFTER-CLOSE' });
    redemption.recordedAt = '2026-04-01T02:00:00.000Z';
    const { seq, report } = await rearranged(redemption, close.seq + 1);
    expect(report.firstFailure).toEqual({
      seq,
      check: 'derived-inputs',
      reason: `program ${built.programs.b.id} was closed at seq ${close.seq}: a closed program takes no more redemptions`,
    });
  });
});

describe('forged spot checks', () => {
  it('catches a sample with one id swapped for another approved redemption', async () => {
    const undrawn = built.redemptions.find((id) => !built.spotCheck.drawn.includes(id))!;
    const { seq, report } = await forged(
      (list) => list.find((e) => e.type === 'spot_check.drawn')!,
      (draw) => {
        (draw.data['redemptionIds'] as string[])[4] = undrawn;
      },
    );
    expect(report.firstFailure).toEqual({
      seq,
      check: 'derived-inputs',
      reason: `redemptionIds[4] is ${undrawn}, but the first 5 of program ${built.programs.c.id}'s 20 approved redemptions by sha256(seed + redemptionId) has ${built.spotCheck.drawn[4]!} there`,
    });
  });

  it('catches a result recorded for a redemption the spot check did not draw', async () => {
    const undrawn = built.redemptions.find((id) => !built.spotCheck.drawn.includes(id))!;
    const { seq, report } = await forged(
      (list) => list.find((e) => e.type === 'spot_check.result_recorded' && e.data['outcome'] === 'failed')!,
      (result) => {
        result.data['redemptionId'] = undrawn;
      },
    );
    expect(report.firstFailure).toEqual({
      seq,
      check: 'derived-inputs',
      reason: `records a result for redemption ${undrawn}, which spot check ${built.spotCheck.id} did not draw`,
    });
  });

  it('catches a draw by an auditor who does not cover the program', async () => {
    const { seq, report } = await forged(
      (list) => list.find((e) => e.type === 'spot_check.drawn')!,
      (draw) => {
        draw.actor = { sub: 'nb-audit', role: 'auditor', region: '330200' };
      },
    );
    expect(report.firstFailure).toEqual({
      seq,
      check: 'rules',
      reason: `spot_check.drawn is written by an issuer of region ${HANGZHOU} or an auditor covering it, not by auditor 330200`,
    });
  });
});

describe('listed and related parties', () => {
  it('catches the approval of a claim of a listed enterprise: the listing moved before it', async () => {
    const listing = find('watchlist.listed', (d) => d['listingId'] === claims.listing);
    const approval = find('claim.approved', (d) => d['redemptionId'] === claims.approved);
    const { report } = await rearranged(listing.seq, approval.seq);
    expect(report.firstFailure).toEqual({
      seq: approval.seq + 1,
      check: 'derived-inputs',
      reason: `the enterprise ${ENTERPRISE} is listed by region ${ZHEJIANG} (listing ${claims.listing}) since seq ${approval.seq}`,
    });
  });

  it('catches a claim between related parties: the group moved before its submission', async () => {
    const group = find('related_parties.declared', (d) => d['groupId'] === claims.group);
    const submission = find('claim.submitted', (d) => d['redemptionId'] === claims.open);
    const { report } = await rearranged(group.seq, submission.seq);
    expect(report.firstFailure).toEqual({
      seq: submission.seq + 1,
      check: 'derived-inputs',
      reason: `the provider ${PROVIDER} and the enterprise ${ENTERPRISE} are related parties (group ${claims.group}, declared at seq ${submission.seq})`,
    });
  });

  it('catches a delisting backdated before the day it was recorded', async () => {
    const { seq, report } = await forged(
      (list) => list.find((e) => e.type === 'watchlist.delisted')!,
      (delisting) => {
        delisting.data['delistedOn'] = '2026-03-19';
      },
    );
    expect(report.firstFailure).toEqual({
      seq,
      check: 'rules',
      reason: 'delistedOn 2026-03-19 is not the day the delisting was recorded (2026-03-20, Asia/Shanghai)',
    });
  });
});
