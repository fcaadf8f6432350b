// Program close, the watchlist, related parties, nationwide invoices and spot checks (decision 0042), through the
// real API with worked figures at 30% (autonomous compute). Every instant is 10:00 Asia/Shanghai.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawKey } from '../../src/oversight/rules/sample.js';
import { runVerification } from '../../src/verifier/run.js';
import { minimalPdf } from '../helpers/documents.js';
import { at, claimsScenario, registerProvider, uploadPdf } from '../helpers/claims-ledger.js';
import { ENTERPRISE, HANGZHOU, NINGBO, OTHER_ENTERPRISE, OTHER_PROVIDER, PROVIDER, uscc, ZHEJIANG } from '../helpers/fixtures.js';
import { expectLedgerInvariants } from '../helpers/ledger-checks.js';
import { hangzhouAndProvince, ok, oversightScenario } from '../helpers/oversight-ledger.js';
import { buildTestApp, type Client, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let s: ReturnType<typeof oversightScenario>;
let province: Client;
let ningbo: Client;
let enterprise: Client;
let otherProvider: Client;

const problemOf = (res: { status: number; body: any }) => ({ status: res.status, code: res.body.code as string, field: res.body.field as string | undefined });

beforeAll(async () => {
  t = await buildTestApp({ now: at('2026-03-02') });
  s = oversightScenario(t);
  province = await t.as({ sub: 'zj-finance', role: 'issuer', region: ZHEJIANG });
  ningbo = await t.as({ sub: 'nb-finance', role: 'issuer', region: NINGBO });
  enterprise = await t.as({ sub: 'ent-finance', role: 'enterprise', org: ENTERPRISE });
  otherProvider = await t.as({ role: 'provider', org: OTHER_PROVIDER });
  await registerProvider(t);
});
afterAll(() => t.close());

describe('a program closes at the end of its period', () => {
  it('returns 100,000.01 available at 0.6/0.4 as 60,000.01 and 40,000.00, and refuses a close before closesOn', async () => {
    t.clock.set(at('2026-03-02'));
    const program = await s.program('省市共担算力券', {
      budget: '100000.01',
      funding: hangzhouAndProvince('0.6', '0.4'),
      fiscalYear: 2026,
      closesOn: '2026-03-31',
    });
    await ok(province.post(`/v1/programs/${program.id}/funding/${ZHEJIANG}/confirm`, {}));

    const early = await t.issuer.post(`/v1/programs/${program.id}/close`, {});
    expect(problemOf(early)).toMatchObject({ status: 409, code: 'program_open' });
    const preview = await ok<Record<string, any>>(t.auditor.get(`/v1/programs/${program.id}/closing`));
    expect(preview).toMatchObject({
      closableFrom: '2026-03-31',
      refusal: { code: 'program_open' },
      availableBefore: '100000.01',
      returned: '100000.01',
      funders: [
        { region: HANGZHOU, confirmed: '60000.01', pendingCancelled: '0.00', returned: '60000.01' },
        { region: ZHEJIANG, confirmed: '40000.00', pendingCancelled: '0.00', returned: '40000.00' },
      ],
    });

    t.clock.set(at('2026-03-31'));
    const closed = await ok<Record<string, any>>(t.issuer.post(`/v1/programs/${program.id}/close`, {}));
    expect(closed).toMatchObject({
      closedOn: '2026-03-31',
      availableBefore: '100000.01',
      returned: '100000.01',
      funders: [
        { region: HANGZHOU, returned: '60000.01' },
        { region: ZHEJIANG, returned: '40000.00' },
      ],
      program: { status: 'closed', closedOn: '2026-03-31', available: '0.00', budget: '0.00', period: { fiscalYear: 2026, closesOn: '2026-03-31' } },
    });
    const entry = (await t.auditor.get(`/v1/ledger?type=program.closed&programId=${program.id}`)).body.entries[0];
    expect(entry.postings).toEqual([
      { account: `program:${program.id}`, amount: '-100000.01' },
      { account: `appropriation:${HANGZHOU}`, amount: '60000.01' },
      { account: `appropriation:${ZHEJIANG}`, amount: '40000.00' },
    ]);

    // The preview of a closed program is its close as recorded.
    expect(await ok<Record<string, any>>(t.auditor.get(`/v1/programs/${program.id}/closing`))).toMatchObject({
      refusal: { code: 'program_closed' },
      returned: '100000.01',
      funders: [{ returned: '60000.01' }, { returned: '40000.00' }],
    });
    // Closed: nothing new, and a second close is refused.
    expect(problemOf(await t.issuer.post(`/v1/programs/${program.id}/close`, {}))).toMatchObject({ status: 409, code: 'program_closed' });
    const voucher = await t.issuer.post('/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: '企业' },
      amount: '1.00',
      expiresOn: '2026-12-31',
    });
    expect(problemOf(voucher)).toMatchObject({ status: 409, code: 'program_closed' });
    const increase = await t.issuer.post(`/v1/programs/${program.id}/budget-changes`, { direction: 'increase', amount: '1.00', reason: '追加' });
    expect(problemOf(increase)).toMatchObject({ status: 409, code: 'program_closed' });
  });

  it('expires a voucher of 5,000.00 with 1,200.00 spent, returning 3,800.00; settlement of the 1,200.00 goes on after the close', async () => {
    t.clock.set(at('2026-03-02'));
    const program = await s.program('一季度算力券', { fiscalYear: 2026, closesOn: '2026-03-31' });
    const voucher = await s.voucher(program.id, '5000.00');
    const contract = await s.contract();
    expect((await ok<{ subsidy: string }>(s.redeem(voucher.id, contract.id, '4000.00'), 201)).subsidy).toBe('1200.00');
    // A voucher may not outlive the program.
    const outliving = await t.issuer.post('/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: '企业' },
      amount: '1.00',
      expiresOn: '2026-04-01',
    });
    expect(problemOf(outliving)).toMatchObject({ status: 400, field: 'expiresOn' });

    t.clock.set(at('2026-03-31'));
    const closed = await ok<Record<string, any>>(t.issuer.post(`/v1/programs/${program.id}/close`, {}));
    expect(closed).toMatchObject({
      vouchers: { count: 1, balance: '3800.00' },
      expiredVouchers: [{ voucherId: voucher.id, returned: '3800.00' }],
      availableBefore: '195000.00',
      returned: '198800.00',
      funders: [{ region: HANGZHOU, confirmed: '200000.00', returned: '198800.00' }],
    });
    const after = await ok<Record<string, any>>(t.issuer.get(`/v1/vouchers/${voucher.id}`));
    expect(after).toMatchObject({ status: 'expired', balance: '0.00' });
    expect(problemOf(await s.redeem(voucher.id, contract.id, '10.00'))).toMatchObject({ status: 409, code: 'program_closed' });
    expect((await ok<Record<string, any>>(t.issuer.get(`/v1/programs/${program.id}/balances`))).current).toMatchObject({
      funded: '1200.00',
      available: '0.00',
      onVouchers: '0.00',
      owedToProviders: '1200.00',
    });

    t.clock.set(at('2026-04-01'));
    const batch = await ok<{ total: string }>(t.issuer.post('/v1/payment-batches', { programId: program.id, cutoff: '2026-03-31' }), 201);
    expect(batch.total).toBe('1200.00');
  });

  it('waits for claims awaiting a decision, and cancels a co-funder’s pending share, returning everything to the funder that paid', async () => {
    t.clock.set(at('2026-03-02'));
    const reviewer = await t.as({ sub: 'hz-claims', role: 'issuer', region: HANGZHOU });
    const claims = claimsScenario(t, { enterprise, reviewer });
    const program = await s.program('待确认出资算力券', {
      budget: '10000000.00',
      funding: hangzhouAndProvince('0.6', '0.4'),
      claims: { review: true },
    });
    const { voucher, contract } = await claims.voucherWithContract(program.id, '500000.00');
    const claim = await ok<{ id: string }>(claims.submit(voucher.id, contract.id, '100000.00'), 201);
    const refused = await t.issuer.post(`/v1/programs/${program.id}/close`, {});
    expect(problemOf(refused)).toMatchObject({ status: 409, code: 'claims_pending' });
    expect((await ok<Record<string, any>>(t.issuer.get(`/v1/programs/${program.id}/closing`))).openClaims).toBe(1);

    await ok(claims.review(claim.id, 'approve'));
    // Open-ended: the issuer may close it any day. The province never confirmed its 4,000,000.00.
    const closed = await ok<Record<string, any>>(t.issuer.post(`/v1/programs/${program.id}/close`, {}));
    expect(closed).toMatchObject({
      availableBefore: '5500000.00',
      vouchers: { count: 1, balance: '470000.00' },
      returned: '5970000.00',
      funders: [
        { region: HANGZHOU, confirmed: '6000000.00', pendingCancelled: '0.00', returned: '5970000.00' },
        { region: ZHEJIANG, confirmed: '0.00', pendingCancelled: '4000000.00', returned: '0.00' },
      ],
      program: {
        funding: [
          { confirmed: '30000.00', pending: '0.00' },
          { confirmed: '0.00', pending: '0.00' },
        ],
      },
    });
  });

  it('hands back a clawback after the close by closing again, to the funder that paid; a budget change is refused', async () => {
    t.clock.set(at('2026-03-02'));
    const program = await s.program('未确认共担算力券', {
      budget: '20000.00',
      funding: hangzhouAndProvince('0.5', '0.5'),
      fiscalYear: 2026,
      closesOn: '2026-03-31',
    });
    const issued = { programId: program.id, beneficiary: { uscc: uscc(601), name: '企业' }, amount: '5000.00', expiresOn: '2026-03-31' };
    const voucher = await ok<{ id: string }>(t.issuer.post('/v1/vouchers', issued, { 'Idempotency-Key': 'close-replay-1' }), 201);
    const contract = await s.contract(t.provider, uscc(601));
    const redemption = await ok<{ id: string; subsidy: string }>(s.redeem(voucher.id, contract.id, '4000.00'), 201);
    expect(redemption.subsidy).toBe('1200.00');

    t.clock.set(at('2026-03-31'));
    const first = await ok<Record<string, any>>(t.issuer.post(`/v1/programs/${program.id}/close`, {}));
    expect(first).toMatchObject({ returned: '8800.00', funders: [{ returned: '8800.00' }, { pendingCancelled: '10000.00', returned: '0.00' }] });
    // A retried issuance replays its answer: the close does not turn it into a refusal.
    expect((await t.issuer.post('/v1/vouchers', issued, { 'Idempotency-Key': 'close-replay-1' })).status).toBe(201);

    // A reversal after the close: the 1,200.00 clawback comes back to the closed program's account.
    await ok(t.issuer.post(`/v1/redemptions/${redemption.id}/reversals`, { executedAmount: '4000.00', reason: '合同解除' }), 201);
    const decrease = await t.issuer.post(`/v1/programs/${program.id}/budget-changes`, { direction: 'decrease', amount: '1200.00', reason: '退回' });
    expect(problemOf(decrease)).toMatchObject({ status: 409, code: 'program_closed' });
    expect(await ok<Record<string, any>>(t.issuer.get(`/v1/programs/${program.id}/closing`))).toMatchObject({ refusal: null, returned: '1200.00' });
    const again = await ok<Record<string, any>>(t.issuer.post(`/v1/programs/${program.id}/close`, {}));
    expect(again).toMatchObject({
      closedOn: '2026-03-31',
      vouchers: { count: 0 },
      availableBefore: '1200.00',
      funders: [
        { region: HANGZHOU, confirmed: '1200.00', returned: '1200.00' },
        { region: ZHEJIANG, confirmed: '0.00', returned: '0.00' },
      ],
      program: { available: '0.00', closedOn: '2026-03-31' },
    });
    expect(problemOf(await t.issuer.post(`/v1/programs/${program.id}/close`, {}))).toMatchObject({ status: 409, code: 'program_closed' });
  });

  it('refuses a period that is half given or outside its year, and an application round that outlives it', async () => {
    const base = { name: '期间校验', kind: 'compute', budget: '1.00' };
    expect(problemOf(await t.issuer.post('/v1/programs', { ...base, fiscalYear: 2026 }))).toMatchObject({ status: 400, field: 'closesOn' });
    t.clock.set(at('2026-04-01'));
    expect(problemOf(await t.issuer.post('/v1/programs', { ...base, fiscalYear: 2026, closesOn: '2026-03-31' }))).toMatchObject({
      status: 400,
      field: 'closesOn',
    });
    expect(problemOf(await t.issuer.post('/v1/programs', { ...base, fiscalYear: 2026, closesOn: '2028-01-01' }))).toMatchObject({
      status: 400,
      field: 'closesOn',
    });
    const round = { opensOn: '2026-01-01', closesOn: '2026-04-30', contact: { office: '数字经济处', telephone: '0571-87001234' } };
    expect(
      problemOf(await t.issuer.post('/v1/programs', { ...base, issuance: 'application', applications: round, fiscalYear: 2026, closesOn: '2026-03-31' })),
    ).toMatchObject({ status: 400, field: 'applications.closesOn' });
  });
});

describe('the watchlist', () => {
  const applicationProgram = () =>
    ok<{ id: string }>(
      t.issuer.post('/v1/programs', {
        name: '申报制算力券',
        kind: 'compute',
        budget: '100000.00',
        issuance: 'application',
        applications: { opensOn: '2026-01-01', closesOn: '2026-12-31', contact: { office: '数字经济处', telephone: '0571-87001234' } },
      }),
      201,
    );
  const apply = async (client: Client, programId: string) => {
    const document = await client.post('/v1/documents?name=licence.pdf', minimalPdf(`licence ${Math.random()}`), { 'Content-Type': 'application/pdf' });
    return client.post('/v1/applications', {
      programId,
      enterpriseName: '杭州深算科技有限公司',
      amount: '1000.00',
      purpose: '算力采购',
      declarations: { noRelatedPartyContracts: true, noOtherPublicFunding: true, noDishonestyRecord: true },
      documents: [document.body.sha256],
    });
  };

  it('a listed enterprise is refused at application, issuance, grant and claim approval, and accepted again after delisting', async () => {
    t.clock.set(at('2026-03-02'));
    const listed = uscc(301);
    const lister = await t.as({ sub: 'zj-credit', role: 'issuer', region: ZHEJIANG });
    const applicant = await t.as({ sub: 'applicant', role: 'enterprise', org: listed });
    const program = await applicationProgram();
    // The application goes in before the listing; its grant comes after.
    const early = await ok<{ id: string }>(apply(applicant, program.id), 201);
    await ok(t.issuer.post(`/v1/applications/${early.id}/review`, { stage: 'first', decision: 'approve', reason: '材料齐全' }));
    const final = await t.as({ sub: 'hz-final', role: 'issuer', region: HANGZHOU });
    await ok(final.post(`/v1/applications/${early.id}/review`, { stage: 'final', decision: 'approve', amount: '1000.00', reason: '核定' }));

    const listing = await ok<Record<string, any>>(
      lister.post('/v1/watchlist', { uscc: listed, reason: '严重失信', source: '信用中国 严重失信主体名单', listedOn: '2026-02-28' }),
      201,
    );
    expect(listing).toMatchObject({ uscc: listed, region: ZHEJIANG, status: 'active', listedOn: '2026-02-28' });
    expect(problemOf(await lister.post('/v1/watchlist', { uscc: listed, reason: '重复', source: '信用中国', listedOn: '2026-02-28' }))).toMatchObject({
      status: 409,
      code: 'already_listed',
    });

    // A province's listing applies in Hangzhou: application, direct issuance and grant are refused, naming the listing.
    const second = await applicationProgram();
    const refusedApplication = await apply(applicant, second.id);
    expect(problemOf(refusedApplication)).toMatchObject({ status: 422, code: 'listed_entity' });
    expect(refusedApplication.body.detail).toContain(listing.id);
    const direct = await s.program('直接发券');
    const refusedIssue = await t.issuer.post('/v1/vouchers', {
      programId: direct.id,
      beneficiary: { uscc: listed, name: '失信企业' },
      amount: '100.00',
      expiresOn: '2026-12-31',
    });
    expect(problemOf(refusedIssue)).toMatchObject({ status: 422, code: 'listed_entity', field: 'beneficiary.uscc' });
    t.clock.set(at('2026-04-01'));
    const refusedGrant = await t.issuer.post(`/v1/applications/${early.id}/grant`, { expiresOn: '2026-12-31' });
    expect(problemOf(refusedGrant)).toMatchObject({ status: 422, code: 'listed_entity' });

    // Ningbo's issuers do not see a listing that does not apply in Ningbo… but the province's applies there too.
    expect((await ok<{ items: { id: string }[] }>(ningbo.get(`/v1/watchlist?uscc=${listed}`))).items.map((l) => l.id)).toEqual([listing.id]);
    expect(problemOf(await ningbo.post(`/v1/watchlist/${listed}/delist`, { reason: '不是本地区所列' }))).toMatchObject({ status: 404 });

    const delisted = await ok<Record<string, any>>(lister.post(`/v1/watchlist/${listed}/delist`, { reason: '信用修复' }));
    expect(delisted).toMatchObject({ status: 'delisted', delisting: { on: '2026-04-01', reason: '信用修复' } });
    await ok(t.issuer.post(`/v1/applications/${early.id}/grant`, { expiresOn: '2026-12-31' }), 201);
    await ok(apply(applicant, second.id), 201);
    const history = await ok<{ items: Record<string, any>[] }>(t.auditor.get(`/v1/watchlist?uscc=${listed}`));
    expect(history.items).toEqual([expect.objectContaining({ id: listing.id, status: 'delisted' })]);
  });

  it('a claim of a listed enterprise is not approved until it is delisted; a listed provider cannot redeem and its lines are blocked', async () => {
    t.clock.set(at('2026-03-02'));
    const reviewer = await t.as({ sub: 'hz-claims-2', role: 'issuer', region: HANGZHOU });
    const claims = claimsScenario(t, { enterprise, reviewer });
    const program = await claims.program('审核制算力券', { review: true });
    const { voucher, contract } = await claims.voucherWithContract(program.id, '500000.00');
    const claim = await ok<{ id: string }>(claims.submit(voucher.id, contract.id, '10000.00'), 201);
    await ok(t.issuer.post('/v1/watchlist', { uscc: ENTERPRISE, reason: '涉嫌虚假申报', source: '杭州市信用办', listedOn: '2026-03-02' }), 201);
    expect(problemOf(await claims.review(claim.id, 'approve'))).toMatchObject({ status: 422, code: 'listed_entity' });
    await ok(t.issuer.post(`/v1/watchlist/${ENTERPRISE}/delist`, { reason: '核查不属实' }));
    expect((await ok<{ subsidy: string }>(claims.review(claim.id, 'approve'))).subsidy).toBe('3000.00');

    // The provider: owed 3,000.00, then listed by Hangzhou: its next redemption is refused and its line is blocked.
    await ok(t.issuer.post('/v1/watchlist', { uscc: PROVIDER, reason: '虚开发票', source: '杭州市税务局', listedOn: '2026-03-02' }), 201);
    expect(problemOf(await claims.submit(voucher.id, contract.id, '100.00'))).toMatchObject({ status: 422, code: 'listed_entity' });
    const batch = await ok<Record<string, any>>(t.issuer.post('/v1/payment-batches', { programId: program.id, cutoff: '2026-03-02' }), 201);
    expect(batch).toMatchObject({ total: '0.00', blocked: [{ providerUscc: PROVIDER, amount: '3000.00', reason: 'listed', redemptionIds: [claim.id] }] });
    await ok(t.issuer.post(`/v1/payment-batches/${batch.id}/cancel`, {}));
    await ok(t.issuer.post(`/v1/watchlist/${PROVIDER}/delist`, { reason: '已整改' }));
  });
});

describe('the second ways in', () => {
  it('a listed provider’s resubmission and an approval of its batch are refused; so is an application resubmitted to a closed program', async () => {
    t.clock.set(at('2026-03-02'));
    const reviewer = await t.as({ sub: 'hz-claims-4', role: 'issuer', region: HANGZHOU });
    const checker = await t.as({ sub: 'hz-checker', role: 'issuer', region: HANGZHOU });
    const claimant = await t.as({ sub: 'ent-701', role: 'enterprise', org: uscc(701) });
    const claims = claimsScenario(t, { enterprise: claimant, reviewer });
    const program = await claims.program('二次进入核查', { review: true });
    const voucher = await s.voucher(program.id, '500000.00', '2026-12-31', uscc(701));
    const contract = await s.contract(t.provider, uscc(701));
    const approved = await ok<{ id: string }>(claims.submit(voucher.id, contract.id, '10000.00'), 201);
    await ok(claims.review(approved.id, 'approve'));
    const returned = await ok<{ id: string }>(claims.submit(voucher.id, contract.id, '20000.00'), 201);
    await ok(claims.review(returned.id, 'return', '缺少验收单'));
    const batch = await ok<{ id: string }>(t.issuer.post('/v1/payment-batches', { programId: program.id, cutoff: '2026-03-02' }), 201);

    await ok(t.issuer.post('/v1/watchlist', { uscc: PROVIDER, reason: '虚开发票', source: '杭州市税务局', listedOn: '2026-03-02' }), 201);
    const documents = [await uploadPdf(t.provider, '验收单'), await uploadPdf(t.provider, '发票')];
    expect(problemOf(await t.provider.post(`/v1/redemptions/${returned.id}/resubmit`, { documents, note: '补验收单' }))).toMatchObject({
      status: 422,
      code: 'listed_entity',
    });
    const approval = await checker.post(`/v1/payment-batches/${batch.id}/approve`);
    expect(problemOf(approval)).toMatchObject({ status: 422, code: 'batch_stale' });
    expect(approval.body.detail).toContain('watchlist');
    await ok(t.issuer.post(`/v1/watchlist/${PROVIDER}/delist`, { reason: '已整改' }));
    await ok(t.issuer.post(`/v1/payment-batches/${batch.id}/cancel`, {}));

    // An application returned, then its program closed: the resubmission is refused.
    const applicant = await t.as({ sub: 'applicant-702', role: 'enterprise', org: uscc(702) });
    const round = await ok<{ id: string }>(
      t.issuer.post('/v1/programs', {
        name: '申报后关闭',
        kind: 'compute',
        budget: '1000.00',
        issuance: 'application',
        applications: { opensOn: '2026-01-01', closesOn: '2026-12-31', contact: { office: '数字经济处', telephone: '0571-87001234' } },
      }),
      201,
    );
    const licence = await uploadPdf(applicant, '营业执照');
    const body = {
      programId: round.id,
      enterpriseName: '企业',
      amount: '100.00',
      purpose: '算力采购',
      declarations: { noRelatedPartyContracts: true, noOtherPublicFunding: true, noDishonestyRecord: true },
      documents: [licence],
    };
    const application = await ok<{ id: string }>(applicant.post('/v1/applications', body), 201);
    await ok(t.issuer.post(`/v1/applications/${application.id}/review`, { stage: 'first', decision: 'return', reason: '补充材料' }));
    await ok(t.issuer.post(`/v1/programs/${round.id}/close`, {}));
    // Its public call is closed too, though its window runs to 2026-12-31.
    const calls = (await request(t.app).get('/v1/public/programs?region=330100&limit=200')).body.items as { programId: string; state: string }[];
    expect(calls.find((call) => call.programId === round.id)).toMatchObject({ state: 'closed' });
    expect(problemOf(await applicant.post(`/v1/applications/${application.id}/resubmit`, body))).toMatchObject({ status: 409, code: 'program_closed' });
  });
});

describe('related parties', () => {
  it('refuses a contract within a declared group, and the approval of a claim whose parties became related after it was submitted', async () => {
    t.clock.set(at('2026-03-02'));
    const affiliate = uscc(401);
    const group = await ok<Record<string, any>>(
      t.issuer.post('/v1/related-parties', { usccs: [OTHER_PROVIDER, affiliate], relation: 'family', reason: '法定代表人为夫妻' }),
      201,
    );
    expect(group).toMatchObject({ relation: 'family', usccs: [OTHER_PROVIDER, affiliate], region: HANGZHOU });
    const refused = await otherProvider.post('/v1/contracts', {
      number: 'HT-REL-1',
      beneficiaryUscc: affiliate,
      kind: 'compute',
      autonomous: true,
      amount: '1000.00',
      signedOn: '2026-01-10',
    });
    expect(problemOf(refused)).toMatchObject({ status: 422, code: 'related_party', field: 'beneficiaryUscc' });
    expect(refused.body.detail).toContain(group.id);
    const twice = await t.issuer.post('/v1/related-parties', { usccs: [OTHER_PROVIDER, OTHER_PROVIDER], relation: 'other', reason: 'x' });
    expect(problemOf(twice)).toMatchObject({ status: 400, field: 'usccs[1]' });

    const reviewer = await t.as({ sub: 'hz-claims-3', role: 'issuer', region: HANGZHOU });
    const claims = claimsScenario(t, { enterprise, reviewer });
    const program = await claims.program('关联方核查算力券', { review: true });
    const { voucher, contract } = await claims.voucherWithContract(program.id, '500000.00');
    const claim = await ok<{ id: string }>(claims.submit(voucher.id, contract.id, '10000.00'), 201);
    await ok(t.issuer.post('/v1/related-parties', { usccs: [PROVIDER, ENTERPRISE], relation: 'shareholding', reason: '审计发现服务商持股 30%' }), 201);
    expect(problemOf(await claims.review(claim.id, 'approve'))).toMatchObject({ status: 422, code: 'related_party' });
    expect(problemOf(await claims.submit(voucher.id, contract.id, '100.00'))).toMatchObject({ status: 422, code: 'related_party', field: 'contractId' });
    await ok(claims.review(claim.id, 'reject', '关联交易不予补贴'));
    const listedGroups = await ok<{ items: { usccs: string[] }[] }>(t.auditor.get(`/v1/related-parties?uscc=${ENTERPRISE}`));
    expect(listedGroups.items.map((g) => g.usccs)).toEqual([[PROVIDER, ENTERPRISE]]);
  });
});

describe('invoice numbers', () => {
  it('are unique across providers, and a 20-digit e-invoice number must have a real year and bureau code', async () => {
    t.clock.set(at('2026-03-02'));
    const program = await s.program('发票校验算力券');
    const voucher = await s.voucher(program.id, '50000.00', '2026-12-31', OTHER_ENTERPRISE);
    const mine = await s.contract(t.provider, OTHER_ENTERPRISE);
    const theirs = await s.contract(otherProvider, OTHER_ENTERPRISE);
    const first = await ok<{ id: string }>(s.redeem(voucher.id, mine.id, '100.00', t.provider, '26330000000000000777'), 201);
    const reused = await s.redeem(voucher.id, theirs.id, '100.00', otherProvider, '26330000000000000777');
    expect(problemOf(reused)).toMatchObject({ status: 409, code: 'duplicate_invoice', field: 'invoiceNumber' });
    expect(reused.body.detail).toContain(first.id);
    expect(reused.body.detail).toContain(program.id);
    // The same number in full-width digits is the same number (NFKC).
    const fullWidth = await s.redeem(voucher.id, theirs.id, '100.00', otherProvider, '２６３３０００００００００００００７７７');
    expect(problemOf(fullWidth)).toMatchObject({ status: 409, code: 'duplicate_invoice' });
    for (const bad of ['27330000000000000001', '20330000000000000001', '26000000000000000001'])
      expect(problemOf(await s.redeem(voucher.id, mine.id, '100.00', t.provider, bad))).toMatchObject({ status: 400, field: 'invoiceNumber' });
    await ok(s.redeem(voucher.id, mine.id, '100.00', t.provider, '21330000000000000001'), 201);
  });
});

describe('spot checks', () => {
  let programId: string;
  let approved: string[];

  beforeAll(async () => {
    t.clock.set(at('2026-03-02'));
    const program = await s.program('抽查算力券', { budget: '1000000.00' });
    programId = program.id;
    // An enterprise of its own: the related-party test above declared PROVIDER and ENTERPRISE related.
    const voucher = await s.voucher(programId, '100000.00', '2026-12-31', uscc(501));
    const contract = await s.contract(t.provider, uscc(501));
    approved = [];
    for (let i = 0; i < 200; i++) approved.push((await ok<{ id: string }>(s.redeem(voucher.id, contract.id, '100.00'), 201)).id);
  });

  it('draws exactly 20 of 200 approved redemptions at 0.10: the same 20 for the same seed, another 20 for another', async () => {
    const first = await ok<Record<string, any>>(t.auditor.post(`/v1/programs/${programId}/spot-checks`, { rate: '0.10', seed: '2026年第一季度抽查' }), 201);
    expect(first).toMatchObject({ population: 200, size: 20, rate: '0.10', drawnBy: { role: 'auditor' } });
    const expected = [...approved].sort((a, b) => (drawKey('2026年第一季度抽查', a) < drawKey('2026年第一季度抽查', b) ? -1 : 1)).slice(0, 20);
    const drawn = first.items.map((item: { redemptionId: string }) => item.redemptionId);
    expect(drawn).toEqual(expected);
    const again = await ok<Record<string, any>>(t.issuer.post(`/v1/programs/${programId}/spot-checks`, { rate: '0.10', seed: '2026年第一季度抽查' }), 201);
    expect(again.items.map((item: { redemptionId: string }) => item.redemptionId)).toEqual(drawn);
    const other = await ok<Record<string, any>>(t.issuer.post(`/v1/programs/${programId}/spot-checks`, { rate: '0.10', seed: 'another seed' }), 201);
    const otherIds = other.items.map((item: { redemptionId: string }) => item.redemptionId);
    expect(otherIds).toHaveLength(20);
    expect(otherIds).not.toEqual(drawn);
    // 0.0025 × 200 = 0.5 rounds half up to 1.
    expect((await ok<Record<string, any>>(t.auditor.post(`/v1/programs/${programId}/spot-checks`, { rate: '0.0025', seed: 'x' }), 201)).size).toBe(1);

    // Results: once per drawn redemption; a failed one is followed by a reversal through the existing route.
    const [passed, failed] = drawn;
    const notDrawn = approved.find((id) => !drawn.includes(id))!;
    expect(problemOf(await t.auditor.post(`/v1/spot-checks/${first.id}/results`, { redemptionId: notDrawn, outcome: 'passed', reason: '一致' }))).toMatchObject(
      {
        status: 400,
        field: 'redemptionId',
      },
    );
    await ok(t.auditor.post(`/v1/spot-checks/${first.id}/results`, { redemptionId: passed, outcome: 'passed', reason: '合同、发票、付款凭证一致' }));
    const afterFailed = await ok<Record<string, any>>(
      t.auditor.post(`/v1/spot-checks/${first.id}/results`, { redemptionId: failed, outcome: 'failed', reason: '未见付款凭证' }),
    );
    expect(afterFailed.summary).toEqual({ checked: 2, passed: 1, failed: 1 });
    expect(problemOf(await t.auditor.post(`/v1/spot-checks/${first.id}/results`, { redemptionId: failed, outcome: 'passed', reason: '改判' }))).toMatchObject({
      status: 409,
      code: 'result_recorded',
    });
    await ok(t.issuer.post(`/v1/redemptions/${failed}/reversals`, { executedAmount: '100.00', reason: '抽查未通过：未见付款凭证' }), 201);
    expect((await ok<{ items: unknown[] }>(t.auditor.get(`/v1/spot-checks?programId=${programId}`))).items).toHaveLength(4);
    expect(problemOf(await ningbo.get(`/v1/spot-checks/${first.id}`))).toMatchObject({ status: 403 });
  });

  it('refuses a program with nothing approved, and bad rates and seeds naming the field', async () => {
    const empty = await s.program('空项目');
    expect(problemOf(await t.issuer.post(`/v1/programs/${empty.id}/spot-checks`, { rate: '0.10', seed: 's' }))).toMatchObject({
      status: 409,
      code: 'nothing_to_sample',
    });
    expect(problemOf(await t.issuer.post(`/v1/programs/${programId}/spot-checks`, { rate: '1.5', seed: 's' }))).toMatchObject({ status: 400, field: 'rate' });
    expect(problemOf(await t.issuer.post(`/v1/programs/${programId}/spot-checks`, { rate: '0.1', seed: '' }))).toMatchObject({ status: 400, field: 'seed' });
    expect(problemOf(await enterprise.post(`/v1/programs/${programId}/spot-checks`, { rate: '0.1', seed: 's' }))).toMatchObject({ status: 403 });
  });
});

describe('the ledger after all of it', () => {
  it('keeps its invariants, and the verifier re-derives every close, listing, group and sample from the export', async () => {
    await expectLedgerInvariants(t.db);
    const dir = mkdtempSync(join(tmpdir(), 'oversight-verify-'));
    try {
      const path = join(dir, 'ledger.ndjson');
      writeFileSync(path, (await t.auditor.get('/v1/ledger/export')).text);
      const report = await runVerification({ file: path });
      expect(report.firstFailure).toBeNull();
      expect(report.ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
