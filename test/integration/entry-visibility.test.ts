// Who reads which entry through GET /v1/ledger/entries/:seq and the authenticated inclusion proof (decision 0045):
// a provider or an enterprise reads every entry that concerns it, also those that name it only through a voucher,
// an application or a redemption, and nobody else's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApplicationLedger } from '../helpers/application-ledger.js';
import { ENTERPRISE, OTHER_ENTERPRISE, OTHER_PROVIDER, PROVIDER, uscc, ZHEJIANG } from '../helpers/fixtures.js';
import { buildOversightLedger } from '../helpers/oversight-ledger.js';
import { buildSettlementLedger } from '../helpers/settlement-ledger.js';
import { buildTestApp, type Client, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let entries: { seq: number; type: string; data: Record<string, any> }[];
let voucherOfEnterprise: string;
let applicationId: string;

beforeAll(async () => {
  t = await buildTestApp();
  ({ applicationId } = await buildApplicationLedger(t));
  const settled = await buildSettlementLedger(t);
  voucherOfEnterprise = settled.voucher.id;
  expect((await t.issuer.post(`/v1/vouchers/${voucherOfEnterprise}/revoke`, { reason: '企业注销' })).status).toBe(200);
  await buildOversightLedger(t);
  const auditor = await t.as({ role: 'auditor', region: ZHEJIANG });
  entries = (await auditor.get('/v1/ledger?limit=200')).body.entries;
});
afterAll(() => t.close());

const seqsOf = (type: string, where: (data: Record<string, any>) => boolean = () => true) => {
  const seqs = entries.filter((entry) => entry.type === type && where(entry.data)).map((entry) => entry.seq);
  expect(seqs.length, type).toBeGreaterThan(0);
  return seqs;
};
const status = async (as: Client, seq: number) => (await as.get(`/v1/ledger/entries/${seq}`)).status;
const proofStatus = async (as: Client, seq: number) => (await as.get(`/v1/ledger/proofs/inclusion?seq=${seq}&treeSize=${entries.at(-1)!.seq}`)).status;

describe('an entry that concerns a party', () => {
  it('is read by the provider on a payment batch’s lines, its disbursement, recovery and reversal; not by another provider', async () => {
    const other = await t.as({ role: 'provider', org: OTHER_PROVIDER });
    for (const type of ['payment.approved', 'payment.disbursed', 'payment.recovered', 'redemption.reversed'])
      for (const seq of seqsOf(type, (data) => type !== 'payment.approved' || data.lines.some((line: any) => line.providerUscc === PROVIDER))) {
        expect(await status(t.provider, seq), `${type} ${seq}`).toBe(200);
        expect(await status(other, seq), `${type} ${seq}`).toBe(404);
      }
    const [approved] = seqsOf('payment.approved');
    expect(await proofStatus(t.provider, approved!)).toBe(200);
    expect(await proofStatus(other, approved!)).toBe(404);
  });

  it('is read by the enterprise through its voucher (revoked, closed), its application (reviewed, objected) and its redemption (spot-checked)', async () => {
    const enterprise = await t.as({ role: 'enterprise', org: ENTERPRISE });
    const stranger = await t.as({ role: 'enterprise', org: uscc(199) });
    const cases = [
      ...seqsOf('voucher.revoked', (data) => data.voucherId === voucherOfEnterprise),
      ...seqsOf('application.reviewed', (data) => data.applicationId === applicationId),
      ...seqsOf('application.objection_recorded'),
      ...seqsOf('application.objection_resolved'),
      ...seqsOf('program.closed', (data) => data.vouchers.length > 0),
      ...seqsOf('spot_check.result_recorded'),
    ];
    for (const seq of cases) {
      expect(await status(enterprise, seq), `seq ${seq}`).toBe(200);
      expect(await status(stranger, seq), `seq ${seq}`).toBe(404);
    }
    expect(await proofStatus(enterprise, cases[0]!)).toBe(200);
    expect(await proofStatus(stranger, cases[0]!)).toBe(404);
  });

  it('is read by the listed enterprise and the members of a related-party group, not by others', async () => {
    const listed = await t.as({ role: 'enterprise', org: OTHER_ENTERPRISE });
    const member = await t.as({ role: 'provider', org: OTHER_PROVIDER });
    for (const seq of [...seqsOf('watchlist.listed'), ...seqsOf('watchlist.delisted'), ...seqsOf('related_parties.declared')])
      expect(await status(listed, seq), `seq ${seq}`).toBe(200);
    for (const seq of seqsOf('related_parties.declared')) expect(await status(member, seq)).toBe(200);
    for (const seq of seqsOf('watchlist.listed')) expect(await status(t.provider, seq)).toBe(404);
  });

  it('that names nobody (a funding, a budget change, a spot check’s draw) is read by no provider or enterprise', async () => {
    const enterprise = await t.as({ role: 'enterprise', org: ENTERPRISE });
    for (const seq of [...seqsOf('program.funded'), ...seqsOf('program.budget_changed'), ...seqsOf('spot_check.drawn')]) {
      expect(await status(enterprise, seq), `seq ${seq}`).toBe(404);
      expect(await status(t.provider, seq), `seq ${seq}`).toBe(404);
    }
  });
});
