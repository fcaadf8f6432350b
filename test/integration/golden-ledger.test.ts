// A recorded scenario replayed through the real app, compared entry by entry with the hashes it produced before
// the write path was restructured (decision 0033; the fixture passes unchanged on commit 688b044). Ids come from a counter and "now" from a fixed clock, so every
// entry — and so its hash, which chains over every earlier one — depends only on the code that writes it. Any
// change to an entry's fields, their order, their formatting or the order of postings shows up as a new hash.
// Regenerate only for a deliberate change of the ledger's format: GOLDEN_LEDGER_RECORD=1 (and say why in the commit).
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readEntries } from '../../src/ledger/ledger.reader.js';
import { ENTERPRISE, HANGZHOU, PROVIDER, ZHEJIANG } from '../helpers/fixtures.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type Client, type TestApp } from '../helpers/test-app.js';

// Only the ids the application mints are counted; request ids (which never enter an entry) keep their own counter
// so that a change in how many requests a test makes cannot shift the entries' ids.
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof import('node:crypto')>();
  const counters = { minted: 0, other: 0 };
  const uuid = (n: number, high: string) => `${high}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const randomUUID = () => {
    const fromRequestId = new Error().stack?.includes('request-id') ?? false;
    return fromRequestId ? uuid(++counters.other, 'ffffffff') : uuid(++counters.minted, '00000000');
  };
  return { ...crypto, randomUUID, default: { ...crypto, randomUUID } };
});

const FIXTURE = new URL('../fixtures/golden-ledger.json', import.meta.url);
const RECORD = process.env['GOLDEN_LEDGER_RECORD'] === '1';

let t: TestApp;
let checker: Client;
let province: Client;
beforeAll(async () => {
  t = await buildTestApp({ now: '2025-12-15T04:00:00Z' });
  checker = await t.as({ role: 'issuer', region: HANGZHOU, sub: 'checker-hz' });
  province = await t.as({ role: 'issuer', region: ZHEJIANG });
});
afterAll(() => t.close());

async function ok(response: PromiseLike<{ status: number; body: Record<string, unknown> }>, status = 201) {
  const res = await response;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body as Record<string, string> & { id: string; lines?: { id: string }[] };
}

/** Every entry type, in the order a program lives through them. */
async function playScenario(): Promise<void> {
  const s = scenario(t);
  await ok(
    t.issuer.post('/v1/providers', {
      uscc: PROVIDER,
      name: '杭州算力服务有限公司',
      bankAccount: { bankName: '中国工商银行杭州分行', accountName: '杭州算力服务有限公司', accountNumber: '1202020209900012345' },
      services: [{ code: 'GPU-A', name: '智算集群', kind: 'compute', autonomous: false }],
    }),
  );
  const program = await ok(
    t.issuer.post('/v1/programs', {
      name: '2025年杭州市算力券',
      kind: 'compute',
      budget: '1000000.00',
      funding: [
        { region: HANGZHOU, ratio: '0.6' },
        { region: ZHEJIANG, ratio: '0.4' },
      ],
    }),
  );
  await ok(province.post(`/v1/programs/${program.id}/funding/${ZHEJIANG}/confirm`), 200);
  await ok(t.issuer.post(`/v1/programs/${program.id}/budget-changes`, { amount: '200000.00', direction: 'increase', reason: '追加预算' }), 201);

  const voucher = await ok(
    t.issuer.post('/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: '杭州示例智能科技有限公司' },
      amount: '500000.00',
      expiresOn: '2026-12-31',
    }),
  );
  const shortLived = await ok(
    t.issuer.post('/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: '杭州示例智能科技有限公司' },
      amount: '1000.00',
      expiresOn: '2025-12-20',
    }),
  );
  const revoked = await ok(
    t.issuer.post('/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: '杭州示例智能科技有限公司' },
      amount: '2000.00',
      expiresOn: '2026-06-30',
    }),
  );
  await ok(t.issuer.post(`/v1/vouchers/${revoked.id}/revoke`, { reason: '企业主动放弃' }), 200);

  const contract = await s.contract({ number: 'HT-2025-001', amount: '90000000.00' });
  const first = await ok(s.redeem(voucher.id, contract.id, '1000.01', { invoiceNumber: 'INV-0001', executedOn: '2025-12-01' }));
  const second = await ok(s.redeem(voucher.id, contract.id, '2500.00', { invoiceNumber: 'INV-0002', executedOn: '2025-12-10' }));
  await ok(t.provider.post(`/v1/redemptions/${second.id}/reversals`, { executedAmount: '500.00', reason: '部分退款' }));

  const batch = await ok(t.issuer.post('/v1/payment-batches', { programId: program.id, cutoff: '2025-12-15' }));
  await ok(checker.post(`/v1/payment-batches/${batch.id}/approve`), 200);
  const line = batch.lines![0]!;
  await ok(t.issuer.post(`/v1/payment-batches/${batch.id}/lines/${line.id}/paid`, { bankReference: 'ICBC-20251215-0001', paidOn: '2025-12-15' }), 200);

  // A full reversal of a paid claim leaves a receivable, recovered in two parts and split back to the funders.
  await ok(t.provider.post(`/v1/redemptions/${first.id}/reversals`, { executedAmount: '1000.01', reason: '服务未交付' }));
  await ok(t.issuer.post(`/v1/providers/${PROVIDER}/recoveries`, { programId: program.id, amount: '0.03', bankReference: 'RET-1', receivedOn: '2025-12-15' }));
  await ok(t.issuer.post(`/v1/providers/${PROVIDER}/recoveries`, { programId: program.id, amount: '99.97', bankReference: 'RET-2', receivedOn: '2025-12-15' }));

  t.clock.set('2025-12-21T01:00:00Z');
  const swept = await ok(t.issuer.post('/v1/vouchers/expiry-sweep'), 200);
  expect(JSON.stringify(swept)).toContain(shortLived.id);
}

describe('the recorded scenario', () => {
  it('writes the same entries, hash for hash, as before the write path was restructured', async () => {
    await playScenario();
    const entries = await readEntries(t.db, {}, 1000);
    const recorded = entries.map((entry) => ({ seq: entry.seq, type: entry.type, hash: entry.hash }));
    expect(new Set(recorded.map((entry) => entry.type)).size).toBe(10);
    if (RECORD) writeFileSync(FIXTURE, `${JSON.stringify(recorded, null, 2)}\n`);
    const golden = JSON.parse(readFileSync(FIXTURE, 'utf8')) as typeof recorded;
    expect(recorded).toEqual(golden);
  });
});
