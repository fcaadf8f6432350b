// The verifier against claims (decision 0041): a ledger with every claim entry type, written through the real API,
// verifies from its export and from its database; then an insider edits one claim entry and re-hashes the chain
// from there on. Hashes and chain still pass; each forgery must fail at its seq, with the verifier naming why.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport } from '../../src/verifier/report.js';
import { runVerification } from '../../src/verifier/run.js';
import { at, buildClaimsLedger } from '../helpers/claims-ledger.js';
import { ENTERPRISE, HANGZHOU, NINGBO, OTHER_ENTERPRISE, OTHER_PROVIDER, PROVIDER } from '../helpers/fixtures.js';
import { relink, type ExportedEntry } from '../helpers/tamper.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

type Entry = ExportedEntry;

const CLAIM_TYPES = [
  'claim.submitted',
  'claim.confirmed',
  'claim.disputed',
  'claim.resubmitted',
  'claim.returned',
  'claim.approved',
  'claim.rejected',
  'claim.withdrawn',
  'claim.lapsed',
];

let t: TestApp;
let dir: string;
let entries: Entry[];
let built: Awaited<ReturnType<typeof buildClaimsLedger>>;
let files = 0;

const write = (list: unknown[]) => {
  const path = join(dir, `ledger-${++files}.ndjson`);
  writeFileSync(path, list.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return path;
};
const fen = (yuan: unknown) => BigInt(String(yuan).replace('.', ''));
const yuan = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
/** The entry of `type` on claim `id`. */
const on = (list: Entry[], type: string, id: string) => list.find((e) => e.type === type && e.data['redemptionId'] === id)!;

/** The chain with `entry` edited as `forge` edits it, and everything after it re-linked and re-hashed; the report. */
async function forged(pick: (list: Entry[]) => Entry, forge: (entry: Entry) => void) {
  const list = structuredClone(entries);
  const entry = pick(list);
  forge(entry);
  const report = await runVerification({ file: write(relink(list, entry.seq - 1)) });
  expect(report.checks.filter((c) => c.name === 'hashes' || c.name === 'chain').map((c) => c.status)).toEqual(['pass', 'pass']);
  expect(report.ok).toBe(false);
  return { seq: entry.seq, report };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vl-claims-verifier-'));
  t = await buildTestApp({ sqlitePath: join(dir, 'ledger.db') });
  built = await buildClaimsLedger(t);
  // Once approved a claim is a redemption like any other: paid in a batch, then partly reversed.
  const checker = await t.as({ role: 'issuer', region: HANGZHOU, sub: 'checker-hz' });
  const approval = await checker.post(`/v1/payment-batches/${built.batch.id}/approve`);
  expect(approval.status, JSON.stringify(approval.body)).toBe(200);
  const line = (approval.body as { lines: { id: string }[] }).lines[0]!;
  const paid = await t.issuer.post(`/v1/payment-batches/${built.batch.id}/lines/${line.id}/paid`, { bankReference: 'ICBC-CLAIM-1', paidOn: '2026-03-20' });
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  const reversal = await t.provider.post(`/v1/redemptions/${built.claims.approved.id}/reversals`, { executedAmount: '100000.00', reason: '部分算力未交付' });
  expect(reversal.status, JSON.stringify(reversal.body)).toBe(201);
  entries = (await t.auditor.get('/v1/ledger/export?format=ndjson')).text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Entry);
}, 120_000);
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the untouched claims ledger', () => {
  it('verifies from its export and from its database, every claim entry type in it, and reports its claims', async () => {
    for (const type of [...CLAIM_TYPES, 'payment.approved', 'payment.disbursed', 'redemption.reversed']) expect(entries.map((e) => e.type)).toContain(type);
    const fromExport = await runVerification({ file: write(entries) });
    expect(fromExport.firstFailure).toBeNull();
    expect(fromExport.ok).toBe(true);
    // The database's own checks too: materialised balances (the `reserved:` accounts included), triggers and head.
    const fromDatabase = await runVerification({ db: t.databaseUrl });
    expect(fromDatabase.firstFailure).toBeNull();
    expect(fromDatabase.checks.filter((c) => ['balances', 'triggers', 'head'].includes(c.name)).map((c) => c.status)).toEqual(['pass', 'pass', 'pass']);
    // Approved: after review, after a return, by confirmation alone; released: rejected, withdrawn, lapsed.
    expect(fromDatabase.claims).toEqual({ open: 0, holding: '0.00', approved: 3, released: 3 });
    expect(formatReport(fromExport)).toContain('\nclaims: 0 open holding 0.00, 3 approved, 3 released\n');
  });

  it('counts what open claims hold, and says nothing of claims on a ledger without them', async () => {
    const lapse = entries.find((e) => e.type === 'claim.lapsed')!;
    const beforeTheSweep = await runVerification({ file: write(entries.slice(0, lapse.seq - 1)) });
    expect(beforeTheSweep.ok).toBe(true);
    const held = on(entries, 'claim.submitted', built.claims.lapsed.id).postings[1]!.amount;
    expect(beforeTheSweep.claims).toEqual({ open: 1, holding: held, approved: 3, released: 2 });

    const firstClaim = entries.find((e) => e.type === 'claim.submitted')!;
    const withoutClaims = await runVerification({ file: write(entries.slice(0, firstClaim.seq - 1)) });
    expect(withoutClaims.ok).toBe(true);
    expect('claims' in withoutClaims).toBe(false);
    expect(formatReport(withoutClaims)).not.toContain('claims:');
  });
});

describe('forged claims', () => {
  it('catches an approval above the subsidy on min(executed, paid), its postings moved to match', async () => {
    const { seq, report } = await forged(
      (list) => on(list, 'claim.approved', built.claims.approved.id),
      (approval) => {
        // 800,000.00 paid of 1,000,000.00 executed: 240,000.00 approved and 60,000.00 released; the forger owes it all.
        const moved = fen(approval.data['released']);
        expect(moved).toBeGreaterThan(0n);
        approval.data['subsidy'] = yuan(fen(approval.data['subsidy']) + moved);
        approval.data['released'] = '0.00';
        approval.postings[1]!.amount = approval.data['subsidy'] as string;
        approval.postings[2]!.amount = '0.00';
      },
    );
    expect(report.firstFailure).toEqual({
      seq,
      check: 'recomputation',
      reason: expect.stringMatching(
        /^subsidy recomputes to 240000\.00 \(the least of computed 240000\.00, reserved 300000\.00 and the contract's room \S+\), recorded 300000\.00$/,
      ),
    });
  });

  it('catches a subsidy owed to the provider on submission instead of reserved', async () => {
    const { seq, report } = await forged(
      (list) => on(list, 'claim.submitted', built.claims.rejected.id),
      (submission) => {
        submission.postings[1]!.account = `payable:${PROVIDER}`;
      },
    );
    expect(report.firstFailure).toEqual({
      seq,
      check: 'recomputation',
      reason: expect.stringMatching(
        new RegExp(
          `^postings are \\[voucher:vch_\\S+ -\\d+, payable:${PROVIDER} \\d+\\] but the recorded computation gives \\[voucher:vch_\\S+ -\\d+, reserved:${built.claims.rejected.id} \\d+\\]`,
        ),
      ),
    });
  });

  it('catches a confirmation by an enterprise other than the voucher’s', async () => {
    const { seq, report } = await forged(
      (list) => on(list, 'claim.confirmed', built.claims.approved.id),
      (confirmation) => {
        confirmation.actor = { sub: 'other-finance', role: 'enterprise', org: OTHER_ENTERPRISE };
      },
    );
    expect(report.firstFailure).toEqual({
      seq,
      check: 'rules',
      reason: `claim.confirmed is written by the voucher's enterprise ${ENTERPRISE}, not by enterprise ${OTHER_ENTERPRISE}`,
    });
  });

  it('catches a lapse before the day after the due date, and one that names another due date', async () => {
    const early = await forged(
      (list) => on(list, 'claim.lapsed', built.claims.lapsed.id),
      (lapse) => {
        expect(lapse.data['confirmationDueOn']).toBe('2026-03-12');
        lapse.recordedAt = at('2026-03-12');
      },
    );
    expect(early.report.firstFailure).toEqual({
      seq: early.seq,
      check: 'rules',
      reason: 'lapses on 2026-03-12 (Asia/Shanghai) a claim due by 2026-03-12: a claim lapses only from the day after',
    });
    // Consistent on its own (due on the 11th, lapsed on the 12th), but not the day the chain gave the claim.
    const redated = await forged(
      (list) => on(list, 'claim.lapsed', built.claims.lapsed.id),
      (lapse) => {
        lapse.recordedAt = at('2026-03-12');
        lapse.data['confirmationDueOn'] = '2026-03-11';
      },
    );
    expect(redated.report.firstFailure).toEqual({
      seq: redated.seq,
      check: 'derived-inputs',
      reason: `confirmationDueOn is "2026-03-11" but claim ${built.claims.lapsed.id} says "2026-03-12"`,
    });
  });

  it('catches a release that gives back less than the claim reserved', async () => {
    let reserved = '';
    const { seq, report } = await forged(
      (list) => on(list, 'claim.withdrawn', built.claims.withdrawn.id),
      (withdrawal) => {
        reserved = withdrawal.data['reserved'] as string;
        const less = yuan(fen(reserved) - 100n);
        withdrawal.data['reserved'] = less;
        withdrawal.postings[0]!.amount = `-${less}`;
        withdrawal.postings[1]!.amount = less;
      },
    );
    expect(report.firstFailure).toEqual({
      seq,
      check: 'derived-inputs',
      reason: `reserved is "${yuan(fen(reserved) - 100n)}" but claim ${built.claims.withdrawn.id} says ${reserved}`,
    });
  });

  it('catches a review approval written by the claim’s provider', async () => {
    const { seq, report } = await forged(
      (list) => on(list, 'claim.approved', built.claims.approved.id),
      (approval) => {
        expect(approval.data['by']).toBe('review');
        approval.actor = { sub: `provider-${PROVIDER}`, role: 'provider', org: PROVIDER };
      },
    );
    expect(report.firstFailure).toEqual({
      seq,
      check: 'rules',
      reason: `claim.approved by review is written by an issuer of region ${HANGZHOU}, not by provider ${PROVIDER}`,
    });
  });

  it('catches a dispute written by the provider, a resubmission by another provider, a return by another region and a rejection returned to the program', async () => {
    const dispute = await forged(
      (list) => on(list, 'claim.disputed', built.claims.withdrawn.id),
      (entry) => {
        entry.actor = { sub: `provider-${PROVIDER}`, role: 'provider', org: PROVIDER };
      },
    );
    const resubmission = await forged(
      (list) => on(list, 'claim.resubmitted', built.claims.returned.id),
      (entry) => {
        entry.actor = { sub: 'other-provider', role: 'provider', org: OTHER_PROVIDER };
      },
    );
    const returned = await forged(
      (list) => on(list, 'claim.returned', built.claims.returned.id),
      (entry) => {
        entry.actor = { sub: 'nb-officer', role: 'issuer', region: NINGBO };
      },
    );
    const rejection = await forged(
      (list) => on(list, 'claim.rejected', built.claims.rejected.id),
      (entry) => {
        // The voucher is active: the reservation goes back to it, not to the program.
        entry.data['returnedTo'] = 'program';
        entry.postings[1]!.account = `program:${String(entry.data['programId'])}`;
      },
    );
    expect([dispute, resubmission, returned, rejection].map(({ seq, report }) => ({ seq, ...report.firstFailure }))).toEqual([
      {
        seq: dispute.seq,
        check: 'rules',
        reason: `claim.disputed is written by the voucher's enterprise ${ENTERPRISE}, not by provider ${PROVIDER}`,
      },
      {
        seq: resubmission.seq,
        check: 'rules',
        reason: `claim.resubmitted is written by the claim's provider ${PROVIDER}, not by provider ${OTHER_PROVIDER}`,
      },
      { seq: returned.seq, check: 'rules', reason: `claim.returned is written by an issuer of region ${HANGZHOU}, not by issuer ${NINGBO}` },
      { seq: rejection.seq, check: 'derived-inputs', reason: "returns the reservation to the program, but the voucher's state says voucher" },
    ]);
  });

  it('catches an approval that hides what the contract’s open claims hold', async () => {
    // Counted as approved, the claim's own 300,000.00 reservation leaves no room under floor(0.3 × 800,000.00).
    const { seq, report } = await forged(
      (list) => on(list, 'claim.approved', built.claims.approved.id),
      (entry) => {
        entry.data['openClaimsReserved'] = '0.00';
      },
    );
    expect(report.firstFailure).toEqual({
      seq,
      check: 'recomputation',
      reason: "subsidy recomputes to 0.00 (the least of computed 240000.00, reserved 300000.00 and the contract's room 0.00), recorded 240000.00",
    });
  });

  it('catches a reversal and a payment of a claim that was never approved', async () => {
    const reversal = await forged(
      (list) => list.find((e) => e.type === 'redemption.reversed')!,
      (entry) => {
        entry.data['redemptionId'] = built.claims.lapsed.id;
      },
    );
    expect(reversal.report.checks.find((c) => c.name === 'derived-inputs')!.first).toEqual({
      seq: reversal.seq,
      reason: `reverses claim ${built.claims.lapsed.id}, which is lapsed: only an approved claim can be reversed, nothing is owed on it before`,
    });
    const payment = await forged(
      (list) => list.find((e) => e.type === 'payment.approved')!,
      (entry) => {
        const line = (entry.data['lines'] as { redemptions: { redemptionId: string }[] }[])[0]!;
        line.redemptions[0]!.redemptionId = built.claims.rejected.id;
      },
    );
    expect(payment.report.checks.find((c) => c.name === 'derived-inputs')!.first).toEqual({
      seq: payment.seq,
      reason: `pays claim ${built.claims.rejected.id}, which is rejected: nothing is owed on a claim until it is approved`,
    });
  });
});
