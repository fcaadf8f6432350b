// The verifier follows the service's rules as they change: here the contract ceiling on reversals (worked
// example 5), written through the real service, exported, verified, and tampered with.
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerification } from '../../src/verifier/run.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

type Entry = { seq: number; type: string; data: Record<string, unknown>; postings: { account: string; amount: string }[]; prevHash: string; hash: string };

let t: TestApp;
let dir: string;
let entries: Entry[];
const write = (name: string, list: Entry[]) => {
  const path = join(dir, name);
  writeFileSync(path, list.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return path;
};
/** Re-hashes and re-links from an index on, as a forger with the file would. */
const relink = (list: Entry[], from: number): Entry[] => {
  const out = list.slice(0, from);
  for (const entry of list.slice(from)) {
    const { hash: _old, ...rest } = { ...entry, prevHash: out.at(-1)?.hash ?? '0'.repeat(64) };
    out.push({ ...rest, hash: createHash('sha256').update(canonicalize(rest)!).digest('hex') });
  }
  return out;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vl-verify-rules-'));
  t = await buildTestApp();
  const s = scenario(t);
  const { voucher } = await s.ready();
  const contract = await s.contract({ autonomous: true });
  const a = await s.redeem(voucher.id, contract.id, '0.01');
  const b = await s.redeem(voucher.id, contract.id, '0.03');
  await t.provider.post(`/v1/redemptions/${a.body.id}/reversals`, { executedAmount: '0.01', reason: 'credit note' });
  await t.provider.post(`/v1/redemptions/${b.body.id}/reversals`, { executedAmount: '0.03', reason: 'credit note' });
  entries = (await t.auditor.get('/v1/ledger/export')).text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Entry);
}, 60_000);
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('reversals under the contract ceiling', () => {
  it('a ledger whose reversal claws back more than pro rata verifies', async () => {
    const reversals = entries.filter((e) => e.type === 'redemption.reversed');
    expect(reversals.map((e) => [e.data['proRataClawback'], e.data['clawback']])).toEqual([
      ['0.00', '0.01'],
      ['0.01', '0.00'], // the whole of B's 0.01 pro rata, but the contract holds nothing any more
    ]);
    const report = await runVerification({ file: write('ledger.ndjson', entries) });
    expect(report.firstFailure).toBeNull();
    expect(report.ok).toBe(true);
  });

  it('a forger who keeps the excess (pro-rata clawback only) and re-hashes fails recomputation at that seq', async () => {
    const forged = entries.map((e) => structuredClone(e));
    const reversal = forged.find((e) => e.type === 'redemption.reversed')!;
    reversal.data['clawback'] = '0.00';
    reversal.postings = reversal.postings.map((p) => ({ ...p, amount: '0.00' }));
    const report = await runVerification({ file: write('forged.ndjson', relink(forged, reversal.seq - 1)) });
    expect(report.firstFailure).toMatchObject({ seq: reversal.seq, check: 'recomputation' });
    expect(report.firstFailure?.reason).toMatch(/clawback recomputes to 0\.01/);
  });

  it('a recorded contract state that the chain does not give fails derived-inputs', async () => {
    const forged = entries.map((e) => structuredClone(e));
    const reversal = forged.filter((e) => e.type === 'redemption.reversed')[1]!;
    // Claim the contract still held 0.01 before the second reversal, and claw it back consistently.
    Object.assign(reversal.data, { contractNetSubsidyBefore: '0.01', clawback: '0.01' });
    reversal.postings = reversal.postings.map((p) => ({ ...p, amount: p.amount.startsWith('-') ? '-0.01' : '0.01' }));
    const report = await runVerification({ file: write('state.ndjson', relink(forged, reversal.seq - 1)) });
    expect(report.checks.find((c) => c.name === 'derived-inputs')?.first).toMatchObject({
      seq: reversal.seq,
      reason: expect.stringMatching(/^contractNetSubsidyBefore is recorded as 0\.01 but the chain gives 0\.00/),
    });
  });
});
