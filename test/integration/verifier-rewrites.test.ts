// Consistent rewrites without a checkpoint: an insider changes one fact of one entry (and whatever must move
// with it), then re-links and re-hashes the chain from there on. Hashes and chain pass; the verifier must
// still fail at the first seq the rewrite contradicts, from the entries before it and the policy files.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport } from '../../src/verifier/report.js';
import { runVerification } from '../../src/verifier/run.js';
import { OTHER_PROVIDER, PROVIDER } from '../helpers/fixtures.js';
import { buildRewriteLedger } from '../helpers/sample-ledger.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { rehash, relink, type ExportedEntry } from '../helpers/tamper.js';

type Data = Record<string, unknown>;
type Entry = ExportedEntry;

let t: TestApp;
let dir: string;
let entries: Entry[];
let ids: Awaited<ReturnType<typeof buildRewriteLedger>>;
let files = 0;

const write = (list: unknown[]) => {
  const path = join(dir, `ledger-${++files}.ndjson`);
  writeFileSync(path, list.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return path;
};
/** The entry at `seq`, edited by `mutate`, and the chain re-hashed from it on; verified without a checkpoint. */
async function rewrite(seq: number, mutate: (e: Entry) => void) {
  const edited = structuredClone(entries[seq - 1]!);
  mutate(edited);
  const report = await runVerification({
    file: write(
      relink(
        entries.map((e) => (e.seq === seq ? edited : e)),
        seq - 1,
      ),
    ),
  });
  // The forger's re-hashing holds: only the content can give it away.
  expect(report.checks.filter((c) => c.name === 'hashes' || c.name === 'chain').map((c) => c.status)).toEqual(['pass', 'pass']);
  expect(report.ok).toBe(false);
  return report;
}

const find = (predicate: (e: Entry) => boolean): Entry => {
  const found = entries.find(predicate);
  if (!found) throw new Error('the rewrite ledger lacks an entry the test needs');
  return found;
};
const of = (type: string, n = 0) => entries.filter((e) => e.type === type)[n]!;
const seqs = () => ({
  hzProgram: of('program.funded').seq,
  hzVoucher: of('voucher.issued').seq,
  r1: of('redemption.recorded', 0).seq,
  r2: of('redemption.recorded', 1).seq,
  firstReversal: of('redemption.reversed').seq,
  corpusProgram: find((e) => e.type === 'program.funded' && e.data['kind'] === 'corpus').seq,
  corpusVoucher: find((e) => e.type === 'voucher.issued' && e.data['kind'] === 'corpus').seq,
  corpusRedemption: find((e) => e.type === 'redemption.recorded' && e.data['kind'] === 'corpus').seq,
  revokedIssue: find((e) => e.type === 'voucher.issued' && e.data['voucherId'] === of('voucher.revoked').data['voucherId']).seq,
  revoked: of('voucher.revoked').seq,
  expired: of('voucher.expired').seq,
  reversalByIssuer: find((e) => e.type === 'redemption.reversed' && e.actor['role'] === 'issuer').seq,
  reversalByProvider: find((e) => e.type === 'redemption.reversed' && e.actor['role'] === 'provider').seq,
  secondOnTwice: entries.filter((e) => e.type === 'redemption.recorded' && (e.data['contract'] as Data)['id'] === ids.twice.id)[1]!.seq,
  laterIssue: find((e) => e.type === 'voucher.issued' && e.data['voucherId'] === ids.later.id).seq,
  laterRedemption: find((e) => e.type === 'redemption.recorded' && e.data['voucherId'] === ids.later.id).seq,
});
let at: ReturnType<typeof seqs>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vl-verify-rewrites-'));
  t = await buildTestApp();
  ids = await buildRewriteLedger(t);
  entries = (await t.auditor.get('/v1/ledger/export?format=ndjson')).text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Entry);
  at = seqs();
}, 120_000);
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the untouched ledger', () => {
  it('verifies without a checkpoint, and says the tail is unproven', async () => {
    const report = await runVerification({ file: write(entries) });
    expect(report.firstFailure).toBeNull();
    expect(report.ok).toBe(true);
    expect(report.unproven).toEqual({
      afterSeq: 0,
      reason: 'no checkpoint: entries after the last checked one could have been removed or rewritten consistently',
    });
  });
});

describe('a rewritten execution fails the rules at its seq', () => {
  it('executedOn moved to another year, year unchanged', async () => {
    const report = await rewrite(at.r1, (e) => void (e.data['executedOn'] = '2026-03-02'));
    expect(report.firstFailure).toMatchObject({ seq: at.r1, check: 'rules', reason: 'year 2025 is not the year of executedOn 2026-03-02' });
  });

  it('executedOn and year moved together to a later year', async () => {
    const report = await rewrite(at.r1, (e) => Object.assign(e.data, { executedOn: '2026-03-02', year: 2026 }));
    expect(report.firstFailure).toMatchObject({
      seq: at.r1,
      check: 'rules',
      reason: expect.stringMatching(/^executedOn 2026-03-02 is after the day it was recorded \(2025-12-15/),
    });
  });

  it('an execution outside the policy window', async () => {
    const report = await rewrite(at.r1, (e) => void (e.data['executedOn'] = '2025-05-30'));
    expect(report.firstFailure).toMatchObject({
      seq: at.r1,
      check: 'rules',
      reason: "executedOn 2025-05-30 is outside policy zj-ai-2025's window 2025-05-31 to 2027-12-31",
    });
  });

  it('an execution before the contract was signed', async () => {
    const report = await rewrite(at.r1, (e) => void (e.data['executedOn'] = '2025-05-31'));
    expect(report.firstFailure).toMatchObject({ seq: at.r1, check: 'rules', reason: 'executedOn 2025-05-31 is before the contract was signed on 2025-06-01' });
  });

  it('a contract amount below its net executed', async () => {
    const report = await rewrite(at.r1, (e) => void ((e.data['contract'] as Data)['amount'] = '29999999.99'));
    expect(report.firstFailure).toMatchObject({ seq: at.r1, check: 'rules', reason: 'netExecutedAfter 30000000.00 is above the contract amount 29999999.99' });
  });
});

describe('a rewritten fact fails derived-inputs at the first entry that contradicts the chain before it', () => {
  it('an execution after the voucher expired (the voucher’s expiry shortened where it was issued)', async () => {
    const report = await rewrite(at.laterIssue, (e) => void (e.data['expiresOn'] = '2025-12-21'));
    expect(report.firstFailure).toMatchObject({
      seq: at.laterRedemption,
      check: 'derived-inputs',
      reason: expect.stringMatching(/^executedOn 2025-12-22 is after voucher vch_\S+ expired on 2025-12-21$/),
    });
  });

  it('a contract amount changed in the contract’s later redemption', async () => {
    const report = await rewrite(at.r2, (e) => void ((e.data['contract'] as Data)['amount'] = '95000000.00'));
    expect(report.firstFailure).toMatchObject({
      seq: at.r2,
      check: 'derived-inputs',
      reason: `contract.amount is "95000000.00" but the contract's earlier redemptions says "900000000.00"`,
    });
  });

  it('a second voucher on one contract (non-repetition)', async () => {
    const report = await rewrite(at.secondOnTwice, (e) => {
      e.data['voucherId'] = ids.spare.id;
      e.postings[0]!.account = `voucher:${ids.spare.id}`;
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.secondOnTwice,
      check: 'derived-inputs',
      reason: `contract ${ids.twice.id} is already subsidised through voucher ${ids.hz.voucher.id}, not ${ids.spare.id}`,
    });
  });

  it('a duplicate invoice number', async () => {
    const invoice = entries[at.r1 - 1]!.data['invoiceNumber'];
    const report = await rewrite(at.r2, (e) => void (e.data['invoiceNumber'] = invoice));
    expect(report.firstFailure).toMatchObject({
      seq: at.r2,
      check: 'derived-inputs',
      reason: `invoice ${String(invoice)} was already redeemed by provider ${PROVIDER}`,
    });
  });

  it("a reversal's year moved (freeing cap in another year)", async () => {
    const report = await rewrite(at.firstReversal, (e) => void (e.data['year'] = 2026));
    expect(report.firstFailure).toMatchObject({
      seq: at.firstReversal,
      check: 'derived-inputs',
      reason: expect.stringMatching(/^year is 2026 but redemption rdm_\S+ says 2025$/),
    });
  });

  it('a voucher whose region moved, with its writer (the program is another region’s)', async () => {
    const report = await rewrite(at.revokedIssue, (e) => {
      e.data['region'] = '330200';
      e.actor['region'] = '330200';
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.revokedIssue,
      check: 'derived-inputs',
      reason: expect.stringMatching(/^region is "330200" but program prg_\S+ says "330100"$/),
    });
  });

  it('a voucher of another kind than its program', async () => {
    const report = await rewrite(at.corpusVoucher, (e) => void (e.data['kind'] = 'model'));
    expect(report.firstFailure).toMatchObject({
      seq: at.corpusVoucher,
      check: 'derived-inputs',
      reason: expect.stringMatching(/^kind is "model" but program prg_\S+ says "corpus"$/),
    });
  });

  it('voucher.expired naming another expiry date than the voucher was issued with', async () => {
    const report = await rewrite(at.revoked, (e) => {
      e.type = 'voucher.expired';
      const { reason: _reason, ...rest } = e.data;
      e.data = { ...rest, expiresOn: '2025-12-01' };
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.revoked,
      check: 'derived-inputs',
      reason: expect.stringMatching(/^expiresOn is "2025-12-01" but voucher vch_\S+ says "2027-12-31"$/),
    });
  });

  it('a reversal paid back from another payable (payee and posting changed together)', async () => {
    const report = await rewrite(at.reversalByIssuer, (e) => {
      e.data['providerUscc'] = OTHER_PROVIDER;
      e.postings[0]!.account = `payable:${OTHER_PROVIDER}`;
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.reversalByIssuer,
      check: 'derived-inputs',
      reason: expect.stringMatching(new RegExp(`^providerUscc is "${OTHER_PROVIDER}" but redemption rdm_\\S+ says "${PROVIDER}"$`)),
    });
  });

  it('a redemption paid to another provider, its writer changed too: caught at the contract’s next redemption', async () => {
    // Nothing before seq r1 names the contract's provider, so the first contradiction is the contract's next entry.
    const report = await rewrite(at.r1, (e) => {
      (e.data['contract'] as Data)['providerUscc'] = OTHER_PROVIDER;
      e.postings[1]!.account = `payable:${OTHER_PROVIDER}`;
      e.actor = { sub: `provider-${OTHER_PROVIDER}`, role: 'provider', org: OTHER_PROVIDER };
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.r2,
      check: 'derived-inputs',
      reason: `contract.providerUscc is "${PROVIDER}" but the contract's earlier redemptions says "${OTHER_PROVIDER}"`,
    });
  });
});

describe('a program loosened in its program.funded entry', () => {
  it('beyond the policy’s rate fails the rules at that seq', async () => {
    const report = await rewrite(at.hzProgram, (e) => void ((e.data['limits'] as Record<string, Data>)['compute.non_autonomous']!['rate'] = '0.15'));
    expect(report.firstFailure).toMatchObject({
      seq: at.hzProgram,
      check: 'rules',
      reason: "limits.compute.non_autonomous.rate 0.15 is above the policy's 0.10",
    });
  });

  it('beyond the policy’s annual cap fails the rules at that seq', async () => {
    const report = await rewrite(at.corpusProgram, (e) => void ((e.data['limits'] as Record<string, Data>)['corpus']!['annualCap'] = '2500000.00'));
    expect(report.firstFailure).toMatchObject({
      seq: at.corpusProgram,
      check: 'rules',
      reason: "limits.corpus.annualCap 2500000.00 is above the policy's 2000000.00",
    });
  });

  it('from 0.25 to 0.30, within the policy: fails at the first redemption that applied the program’s rate', async () => {
    const report = await rewrite(at.corpusProgram, (e) => void ((e.data['limits'] as Record<string, Data>)['corpus']!['rate'] = '0.30'));
    expect(report.firstFailure).toMatchObject({
      seq: at.corpusRedemption,
      check: 'derived-inputs',
      reason: expect.stringMatching(/^rate 0\.25 is not program prg_\S+'s rate 0\.30 for corpus$/),
    });
  });

  it('under another policy id, or a kind no policy bucket has', async () => {
    const policy = await rewrite(at.hzProgram, (e) => void (e.data['policyId'] = 'zj-ai-2099'));
    expect(policy.firstFailure).toMatchObject({
      seq: at.hzProgram,
      check: 'rules',
      reason: 'policySha256 is the file of policy zj-ai-2025, not of zj-ai-2099',
    });
    const kind = await rewrite(at.hzProgram, (e) => void (e.data['kind'] = 'robotics'));
    expect(kind.firstFailure).toMatchObject({ seq: at.hzProgram, check: 'rules', reason: 'kind robotics has no bucket in policy zj-ai-2025' });
  });
});

describe('voucher.revoked retyped as voucher.expired', () => {
  it('before the expiry date fails the rules at that seq', async () => {
    const report = await rewrite(at.revoked, (e) => {
      e.type = 'voucher.expired';
      const { reason: _reason, returned, ...rest } = e.data;
      e.data = { ...rest, expiresOn: '2027-12-31', returned };
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.revoked,
      check: 'rules',
      reason: 'the voucher expires on 2027-12-31: it cannot have expired on 2025-12-16 (Asia/Shanghai)',
    });
  });
});

describe('an entry written by an actor whose role or region may not write it fails the rules at its seq', () => {
  const issuer = (region: string) => ({ sub: `issuer-${region}`, role: 'issuer', region });
  const provider = (org: string) => ({ sub: `provider-${org}`, role: 'provider', org });
  it.each([
    [
      'a voucher issued by an issuer of another region',
      'hzVoucher',
      issuer('330200'),
      /^voucher\.issued is written by an issuer of region 330100, not by issuer 330200$/,
    ],
    ['a program funded by a provider', 'hzProgram', provider(PROVIDER), /^program\.funded is written by an issuer of region 330100/],
    ['a redemption recorded by an issuer', 'r1', issuer('330100'), /^redemption\.recorded is written by the contract's provider/],
    ['a redemption recorded by another provider', 'r1', provider(OTHER_PROVIDER), /^redemption\.recorded is written by the contract's provider/],
    ['a revocation by the system', 'revoked', { sub: 'system:expiry-sweep', role: 'system' }, /^voucher\.revoked is written by an issuer/],
    ['an expiry by a provider', 'expired', provider(PROVIDER), /^voucher\.expired is written by the system or an issuer of region 330200/],
    [
      'a reversal by an issuer of another region',
      'reversalByIssuer',
      issuer('330100'),
      /^redemption\.reversed is written by the provider \S+ or an issuer of region 330200/,
    ],
    ['a reversal by another provider', 'reversalByProvider', provider(OTHER_PROVIDER), /^redemption\.reversed is written by the provider/],
  ] as const)('%s', async (_what, which, actor, reason) => {
    const seq = at[which];
    const report = await rewrite(seq, (e) => void (e.actor = { ...actor }));
    expect(report.firstFailure).toMatchObject({ seq, check: 'rules', reason: expect.stringMatching(reason) });
  });

  it('an actor of a role the service does not have', async () => {
    const report = await rewrite(at.hzVoucher, (e) => void (e.actor = { sub: 'root', role: 'admin', region: '330100' }));
    expect(report.firstFailure).toMatchObject({ seq: at.hzVoucher, check: 'format', reason: 'actor.role "admin" is not a role of the service' });
  });
});

describe('a malformed entry is a failure at its seq, never a crash', () => {
  const malformed: [string, (e: Entry) => void, string][] = [
    ['an unknown member in data', (e: Entry) => void (e.data['note'] = 'x'), 'data.note is not a member this entry type has'],
    [
      'an unknown member in the recorded contract',
      (e: Entry) => void ((e.data['contract'] as Data)['discount'] = '0.00'),
      'data.contract.discount is not a member this entry type has',
    ],
    ['an unknown member in the actor', (e: Entry) => void (e.actor['delegate'] = 'someone'), 'actor.delegate is not a member this entry type has'],
    ['an unknown member in a posting', (e: Entry) => void ((e.postings[0] as Data)['memo'] = 'x'), 'a posting has members besides account and amount'],
    [
      'an unknown member beside the data',
      (e: Entry) => void ((e as unknown as Data)['note'] = 'x'),
      'the entry has members note besides seq, type, recordedAt, actor, data, postings, prevHash, hash',
    ],
    ['a year as a string', (e: Entry) => void (e.data['year'] = '2025'), 'data.year is not a four-digit year number'],
    ['an amount as a number', (e: Entry) => void (e.data['executedAmount'] = 30000000), 'data.executedAmount is not a two-decimal amount string'],
    ['a missing member', (e: Entry) => void delete e.data['invoiceNumber'], 'data.invoiceNumber is missing'],
    ['the contract missing', (e: Entry) => void delete e.data['contract'], 'data.contract is missing'],
    ['a date that is no date', (e: Entry) => void (e.data['executedOn'] = '2025-02-30'), 'data.executedOn is not a calendar date YYYY-MM-DD'],
    ['a type the service does not write', (e: Entry) => void (e.type = 'redemption.voided'), 'type "redemption.voided" is not an entry type of the service'],
    ['half of the reversal members since e240f19', (e: Entry) => void delete e.data['proRataClawback'], 'data.rate is not a member this entry type has'],
  ];
  it.each(malformed)('%s', async (what, mutate, reason) => {
    const seq = what.includes('reversal') ? at.firstReversal : at.r1;
    const report = await rewrite(seq, mutate);
    expect(report.firstFailure).toMatchObject({ seq, check: 'format', reason });
  });

  it('voucher.issued retyped as redemption.recorded', async () => {
    const report = await rewrite(at.hzVoucher, (e) => void (e.type = 'redemption.recorded'));
    expect(report.firstFailure).toMatchObject({ seq: at.hzVoucher, check: 'format', reason: 'data.beneficiary is not a member this entry type has' });
  });

  it('a reversal in the shape written before e240f19 is still well-formed', async () => {
    const report = await runVerification({
      file: write(
        relink(
          entries.map((e) => {
            if (e.seq !== at.firstReversal) return e;
            const { proRataClawback: _p, rate: _r, contractNetSubsidyBefore: _c, contractCeilingAfter: _a, ...data } = e.data;
            return { ...e, data };
          }),
          at.firstReversal - 1,
        ),
      ),
    });
    expect(report.checks.find((c) => c.name === 'format')?.status).toBe('pass');
    expect(report.checks.find((c) => c.name === 'rules')?.status).toBe('pass');
  });
});

describe('a reversal downgraded to the shape written before e240f19', () => {
  it('after one written under the contract-ceiling rule fails derived-inputs at its seq', async () => {
    const report = await rewrite(at.reversalByIssuer, (e) => {
      const { proRataClawback: _p, rate: _r, contractNetSubsidyBefore: _c, contractCeilingAfter: _a, ...data } = e.data;
      e.data = data;
    });
    expect(report.firstFailure).toMatchObject({
      seq: at.reversalByIssuer,
      check: 'derived-inputs',
      reason: `a reversal in the shape written before e240f19 (pro rata only) comes after seq ${at.firstReversal}, written under the contract-ceiling rule`,
    });
  });
});

describe('an export without its last entries', () => {
  it('verifies, and the report says plainly that the tail is unproven', async () => {
    const truncated = entries.slice(0, -3);
    const report = await runVerification({ file: write(truncated) });
    expect(report).toMatchObject({ ok: true, lastSeq: entries.length - 3 });
    expect(report.unproven?.reason).toBe('no checkpoint: entries after the last checked one could have been removed or rewritten consistently');
    expect(formatReport(report)).toContain(
      `UNPROVEN: no checkpoint: entries after the last checked one could have been removed or rewritten consistently (last checked: seq ${entries.length - 3})`,
    );
  });
});

describe('the command line', () => {
  const run = promisify(execFile);
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/verify.ts', ...args]).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );

  it('exits 1, not 2, on a retyped line, and 0 with the unproven tail in the text and in --json on a truncated export', async () => {
    const retyped = structuredClone(entries);
    retyped[at.hzVoucher - 1]!.type = 'redemption.recorded';
    const bad = await cli([write(relink(retyped, at.hzVoucher - 1)), '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).firstFailure).toMatchObject({ seq: at.hzVoucher, check: 'format' });
    const truncated = write(entries.slice(0, -1));
    const text = await cli([truncated]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^UNPROVEN: no checkpoint: entries after the last checked one could have been removed or rewritten consistently/m);
    const json = await cli([truncated, '--json']);
    expect(JSON.parse(json.stdout).unproven).toEqual({
      afterSeq: 0,
      reason: 'no checkpoint: entries after the last checked one could have been removed or rewritten consistently',
    });
  }, 60_000);
});
