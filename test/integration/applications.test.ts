// Enterprises apply; two officers review; the public notice runs on the Chinese working-day calendar; the voucher
// is granted only after it (decision 0038, 0040). Worked dates are Asia/Shanghai; every instant below is 10:00 there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU, NINGBO, OTHER_ENTERPRISE, ZHEJIANG } from '../helpers/fixtures.js';
import { minimalPdf, sha256Of } from '../helpers/documents.js';
import { expectLedgerInvariants, lastEntry, snapshot } from '../helpers/ledger-checks.js';
import { relink } from '../helpers/tamper.js';
import { runVerification } from '../../src/verifier/run.js';
import { buildTestApp, type Client, type TestApp } from '../helpers/test-app.js';

const at = (date: string) => `${date}T02:00:00.000Z`;
const CONTACT = { office: '杭州市经济和信息化局数字经济处', telephone: '0571-87001234' };
const DECLARED = { noRelatedPartyContracts: true, noOtherPublicFunding: true, noDishonestyRecord: true };

let t: TestApp;
let enterprise: Client;
let otherEnterprise: Client;
let officerA: Client;
let officerB: Client;
let ningbo: Client;
let documentSha: string;
let otherDocumentSha: string;

async function upload(client: Client, bytes: Buffer, name: string): Promise<string> {
  const res = await client.post(`/v1/documents?name=${encodeURIComponent(name)}`, bytes, { 'Content-Type': 'application/pdf' });
  expect([200, 201]).toContain(res.status);
  return res.body.sha256 as string;
}

async function applicationProgram(name: string, terms: Partial<{ opensOn: string; closesOn: string; noticeWorkingDays: number }> = {}) {
  const res = await officerA.post('/v1/programs', {
    name,
    kind: 'compute',
    budget: '5000000.00',
    issuance: 'application',
    applications: { opensOn: '2026-01-05', closesOn: '2026-06-30', contact: CONTACT, ...terms },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; issuance: string; applications: unknown };
}

function apply(client: Client, programId: string, overrides: Record<string, unknown> = {}) {
  return client.post('/v1/applications', {
    programId,
    enterpriseName: '杭州深算科技有限公司',
    amount: '800000.00',
    purpose: '采购智能算力训练行业大模型',
    declarations: DECLARED,
    documents: [documentSha],
    ...overrides,
  });
}

const review = (client: Client, id: string, body: Record<string, unknown>) => client.post(`/v1/applications/${id}/review`, body);

/** Submitted on `submittedOn`, first-approved by A, final-approved by B on `approvedOn`. */
async function approvedApplication(programId: string, client: Client, submittedOn: string, approvedOn: string, amount?: string) {
  t.clock.set(at(submittedOn));
  const submitted = await apply(client, programId);
  expect(submitted.status).toBe(201);
  const id = submitted.body.id as string;
  expect((await review(officerA, id, { stage: 'first', decision: 'approve', reason: '材料齐全，符合申报条件' })).status).toBe(200);
  t.clock.set(at(approvedOn));
  const final = await review(officerB, id, { stage: 'final', decision: 'approve', reason: amount ? '按核定金额支持' : '同意', ...(amount ? { amount } : {}) });
  expect(final.status).toBe(200);
  return final.body;
}

beforeAll(async () => {
  t = await buildTestApp({ now: at('2026-03-02') });
  enterprise = await t.as({ sub: 'ent-ops', role: 'enterprise', org: ENTERPRISE });
  otherEnterprise = await t.as({ sub: 'other-ops', role: 'enterprise', org: OTHER_ENTERPRISE });
  officerA = await t.as({ sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
  officerB = await t.as({ sub: 'hz-officer-b', role: 'issuer', region: HANGZHOU });
  ningbo = await t.as({ sub: 'nb-officer', role: 'issuer', region: NINGBO });
  documentSha = await upload(enterprise, minimalPdf('business licence'), '营业执照.pdf');
  otherDocumentSha = await upload(otherEnterprise, minimalPdf('other enterprise'), '其他.pdf');
});
afterAll(() => t.close());

describe('a program that takes applications', () => {
  it('records its window, notice length and contact, and refuses direct issuance', async () => {
    const program = await applicationProgram('杭州算力券 2026（申报）', { noticeWorkingDays: 7 });
    expect(program.issuance).toBe('application');
    expect(program.applications).toEqual({ opensOn: '2026-01-05', closesOn: '2026-06-30', noticeWorkingDays: 7, contact: CONTACT });
    const direct = await officerA.post('/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
      amount: '1000.00',
      expiresOn: '2026-12-31',
    });
    expect(direct.status).toBe(409);
    expect(direct.body.code).toBe('issuance_by_application');
    const defaults = await applicationProgram('默认公示期');
    expect((defaults.applications as { noticeWorkingDays: number }).noticeWorkingDays).toBe(5);
  });

  it('is listed without a token as a call for applications, with its window, notice length and contact', async () => {
    const program = await applicationProgram('公开征集', { opensOn: '2026-03-03', closesOn: '2026-03-31', noticeWorkingDays: 7 });
    t.clock.set(at('2026-03-02'));
    const calls = async () =>
      ((await request(t.app).get('/v1/public/programs?region=330100&limit=200')).body.items as { programId: string }[]).find(
        (call) => call.programId === program.id,
      );
    expect(await calls()).toEqual({
      programId: program.id,
      name: '公开征集',
      kind: 'compute',
      region: HANGZHOU,
      opensOn: '2026-03-03',
      closesOn: '2026-03-31',
      noticeWorkingDays: 7,
      contact: '杭州市经济和信息化局数字经济处，电话 0571-87001234',
      state: 'upcoming',
    });
    t.clock.set(at('2026-03-03'));
    expect(await calls()).toMatchObject({ state: 'open' });
    t.clock.set(at('2026-04-01'));
    expect(await calls()).toMatchObject({ state: 'closed' });
    // A program that issues directly is no call for applications; Ningbo's region holds none of Hangzhou's.
    const direct = await officerA.post('/v1/programs', { name: '直接发放', kind: 'compute', budget: '1.00' });
    const listed = (await request(t.app).get('/v1/public/programs?limit=200')).body.items.map((call: { programId: string }) => call.programId);
    expect(listed).toContain(program.id);
    expect(listed).not.toContain(direct.body.id);
    expect((await request(t.app).get(`/v1/public/programs?region=${NINGBO}`)).body.items).toEqual([]);
  });

  it('refuses terms that do not fit, naming the field', async () => {
    const base = { name: 'x', kind: 'compute', budget: '1.00', issuance: 'application' };
    const cases: [Record<string, unknown>, string][] = [
      [base, 'applications'],
      [{ ...base, applications: { opensOn: '2026-03-01', closesOn: '2026-02-01', contact: CONTACT } }, 'applications.closesOn'],
      [{ ...base, applications: { opensOn: '2026-03-01', closesOn: '2026-04-01', noticeWorkingDays: 0, contact: CONTACT } }, 'applications.noticeWorkingDays'],
      [
        { ...base, applications: { opensOn: '2026-03-01', closesOn: '2026-04-01', contact: { office: '办公室', telephone: 'call us' } } },
        'applications.contact.telephone',
      ],
      [{ ...base, issuance: 'direct', applications: { opensOn: '2026-03-01', closesOn: '2026-04-01', contact: CONTACT } }, 'applications'],
    ];
    for (const [body, field] of cases) {
      const before = await snapshot(t.db);
      const res = await officerA.post('/v1/programs', body);
      expect(res.status, field).toBe(400);
      expect(res.body.field).toBe(field);
      expect(await snapshot(t.db)).toEqual(before);
    }
  });
});

describe('applying', () => {
  it('refuses outside the window, without a declaration, with a document the enterprise did not upload, and a second one', async () => {
    const program = await applicationProgram('窗口测试', { opensOn: '2026-03-03', closesOn: '2026-03-04' });
    t.clock.set(at('2026-03-02'));
    const early = await apply(enterprise, program.id);
    expect([early.status, early.body.code]).toEqual([422, 'application_window_closed']);
    t.clock.set(at('2026-03-03'));
    const undeclared = await apply(enterprise, program.id, { declarations: { ...DECLARED, noDishonestyRecord: false } });
    expect([undeclared.status, undeclared.body.code, undeclared.body.field]).toEqual([422, 'declaration_required', 'declarations.noDishonestyRecord']);
    const missing = await apply(enterprise, program.id, { declarations: { noRelatedPartyContracts: true, noOtherPublicFunding: true } });
    expect([missing.status, missing.body.field]).toEqual([422, 'declarations.noDishonestyRecord']);
    const borrowed = await apply(enterprise, program.id, { documents: [documentSha, otherDocumentSha] });
    expect([borrowed.status, borrowed.body.code, borrowed.body.field]).toEqual([422, 'unknown_document', 'documents[1]']);
    const unknown = await apply(enterprise, program.id, { documents: ['0'.repeat(64)] });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'unknown_document']);

    const first = await apply(enterprise, program.id);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'submitted',
      revision: 1,
      amount: '800000.00',
      approvedAmount: null,
      enterprise: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
      documents: [{ sha256: documentSha, name: '营业执照.pdf', contentType: 'application/pdf' }],
      history: [{ action: 'submitted', by: { role: 'enterprise', sub: 'ent-ops' }, revision: 1 }],
    });
    const second = await apply(enterprise, program.id);
    expect([second.status, second.body.code]).toEqual([409, 'duplicate_application']);
    t.clock.set(at('2026-03-05'));
    const late = await apply(otherEnterprise, program.id, { documents: [otherDocumentSha] });
    expect([late.status, late.body.code]).toEqual([422, 'application_window_closed']);
  });

  it('is read only by its enterprise, the region’s issuers and auditors covering it', async () => {
    const program = await applicationProgram('可见范围');
    t.clock.set(at('2026-03-02'));
    const { body } = await apply(enterprise, program.id);
    expect((await enterprise.get(`/v1/applications/${body.id}`)).status).toBe(200);
    expect((await officerA.get(`/v1/applications/${body.id}`)).status).toBe(200);
    expect((await (await t.as({ role: 'auditor', region: ZHEJIANG })).get(`/v1/applications/${body.id}`)).status).toBe(200);
    expect((await otherEnterprise.get(`/v1/applications/${body.id}`)).status).toBe(404);
    expect((await ningbo.get(`/v1/applications/${body.id}`)).status).toBe(403);
    const own = await otherEnterprise.get(`/v1/applications?programId=${program.id}`);
    expect(own.body.items).toEqual([]);
    const queue = await officerA.get(`/v1/applications?programId=${program.id}&status=submitted`);
    expect(queue.body.items.map((item: { id: string }) => item.id)).toEqual([body.id]);
    expect((await ningbo.post(`/v1/applications/${body.id}/review`, { stage: 'first', decision: 'approve', reason: 'x' })).status).toBe(403);
    // Its documents are readable by whoever may read it, byte for byte, and by no one else (404, as if absent).
    const licence = minimalPdf('business licence');
    for (const reader of [enterprise, officerA, await t.as({ role: 'auditor', region: ZHEJIANG })]) {
      const download = await reader.get(`/v1/documents/${documentSha}`).buffer(true);
      expect(download.status).toBe(200);
      expect(sha256Of(download.body as Buffer)).toBe(sha256Of(licence));
    }
    for (const stranger of [otherEnterprise, ningbo, await t.as({ role: 'auditor', region: NINGBO })])
      expect((await stranger.get(`/v1/documents/${documentSha}`)).status).toBe(404);
    expect((await enterprise.post(`/v1/applications/${body.id}/review`, { stage: 'first', decision: 'approve', reason: 'x' })).status).toBe(403);
  });
});

describe('the review queue', () => {
  it('pages oldest first with a cursor, and a review without its reason is refused naming it', async () => {
    const program = await applicationProgram('分页');
    t.clock.set(at('2026-03-02'));
    const first = await apply(enterprise, program.id);
    t.clock.set('2026-03-02T03:00:00.000Z');
    const second = await apply(otherEnterprise, program.id, { enterpriseName: '杭州另一家科技有限公司', documents: [otherDocumentSha] });
    const page1 = await officerA.get(`/v1/applications?programId=${program.id}&status=submitted&limit=1`);
    expect(page1.body.items.map((item: { id: string }) => item.id)).toEqual([first.body.id]);
    expect(page1.headers['link']).toContain('rel="next"');
    const page2 = await officerA.get(`/v1/applications?programId=${program.id}&status=submitted&limit=1&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toMatchObject({ items: [{ id: second.body.id }], nextCursor: null });
    const before = await snapshot(t.db);
    const reasonless = await review(officerA, first.body.id, { stage: 'first', decision: 'approve' });
    expect([reasonless.status, reasonless.body.field]).toEqual([400, 'reason']);
    expect(await snapshot(t.db)).toEqual(before);
  });
});

describe('review, notice and grant', () => {
  it('a 5-working-day notice opened on Friday 2026-03-06 runs 03-09 to 03-13; a grant on 03-13 is refused, on Monday 03-16 it succeeds', async () => {
    const program = await applicationProgram('周五公示');
    const approved = await approvedApplication(program.id, enterprise, '2026-03-02', '2026-03-06', '600000.00');
    expect(approved).toMatchObject({
      status: 'approved',
      approvedAmount: '600000.00',
      notice: { decidedOn: '2026-03-06', startsOn: '2026-03-09', endsOn: '2026-03-13', workingDays: 5, contact: CONTACT },
    });
    expect(approved.history.map((event: { action: string; stage: string | null; by: { sub: string } }) => [event.action, event.stage, event.by.sub])).toEqual([
      ['submitted', null, 'ent-ops'],
      ['reviewed', 'first', 'hz-officer-a'],
      ['reviewed', 'final', 'hz-officer-b'],
      ['notice_opened', null, 'hz-officer-b'],
    ]);

    const notices = await request(t.app).get(`/v1/public/notices?programId=${program.id}`);
    expect(notices.status).toBe(200);
    expect(notices.body.items).toEqual([
      {
        applicationId: approved.id,
        programId: program.id,
        programName: '周五公示',
        region: HANGZHOU,
        kind: 'compute',
        enterpriseName: '杭州深算科技有限公司',
        uscc: ENTERPRISE,
        amount: '600000.00',
        startsOn: '2026-03-09',
        endsOn: '2026-03-13',
        workingDays: 5,
        contact: '杭州市经济和信息化局数字经济处，电话 0571-87001234',
        state: 'upcoming',
      },
    ]);

    t.clock.set(at('2026-03-13'));
    const early = await officerA.post(`/v1/applications/${approved.id}/grant`, { expiresOn: '2026-12-31' });
    expect([early.status, early.body.code]).toEqual([409, 'notice_open']);
    expect((await request(t.app).get(`/v1/public/notices?programId=${program.id}`)).body.items[0].state).toBe('open');

    t.clock.set(at('2026-03-16'));
    const granted = await officerA.post(`/v1/applications/${approved.id}/grant`, { expiresOn: '2026-12-31' });
    expect(granted.status).toBe(201);
    expect(granted.body).toMatchObject({
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE },
      amount: '600000.00',
      balance: '600000.00',
      status: 'active',
    });
    const issued = await lastEntry(t.db);
    expect(issued.type).toBe('voucher.issued');
    expect(issued.data['application']).toEqual({
      id: approved.id,
      revision: 1,
      firstReviewer: 'hz-officer-a',
      finalReviewer: 'hz-officer-b',
      noticeStartsOn: '2026-03-09',
      noticeEndsOn: '2026-03-13',
      documents: [documentSha],
    });
    const again = await officerA.post(`/v1/applications/${approved.id}/grant`, { expiresOn: '2026-12-31' });
    expect([again.status, again.body.code]).toEqual([409, 'invalid_transition']);

    // The enterprise sees its voucher, and only its own.
    const vouchers = await enterprise.get('/v1/vouchers');
    expect(vouchers.body.items.map((voucher: { id: string }) => voucher.id)).toContain(granted.body.id);
    expect((await otherEnterprise.get(`/v1/vouchers/${granted.body.id}`)).status).toBe(404);
    expect((await enterprise.get(`/v1/vouchers/${granted.body.id}`)).body.balance).toBe('600000.00');
    expect((await enterprise.get(`/v1/beneficiaries/${ENTERPRISE}/usage?year=2026`)).status).toBe(200);
    expect((await enterprise.get(`/v1/beneficiaries/${OTHER_ENTERPRISE}/usage?year=2026`)).status).toBe(403);
    expect((await enterprise.get('/v1/redemptions')).body.items).toEqual([]);
  });

  it('a notice across the 2026 Labour Day holiday skips 05-01…05-05 and counts Saturday 05-09', async () => {
    const program = await applicationProgram('劳动节公示');
    const approved = await approvedApplication(program.id, enterprise, '2026-04-27', '2026-04-30');
    // Day 1 Wed 05-06, Thu 05-07, Fri 05-08, the adjusted working Saturday 05-09, and Monday 05-11.
    expect(approved.notice).toMatchObject({ decidedOn: '2026-04-30', startsOn: '2026-05-06', endsOn: '2026-05-11', workingDays: 5 });
  });

  it('the same officer approving both stages is 403 four_eyes, and a final review before the first is 409', async () => {
    const program = await applicationProgram('四眼原则');
    t.clock.set(at('2026-03-02'));
    const { body } = await apply(enterprise, program.id);
    const tooEarly = await review(officerB, body.id, { stage: 'final', decision: 'approve', reason: '同意' });
    expect([tooEarly.status, tooEarly.body.code]).toEqual([409, 'invalid_transition']);
    await review(officerA, body.id, { stage: 'first', decision: 'approve', reason: '材料齐全' });
    const before = await snapshot(t.db);
    const same = await review(officerA, body.id, { stage: 'final', decision: 'approve', reason: '同意' });
    expect([same.status, same.body.code]).toEqual([403, 'four_eyes']);
    const above = await review(officerB, body.id, { stage: 'final', decision: 'approve', amount: '800000.01', reason: '同意' });
    expect([above.status, above.body.code]).toEqual([422, 'amount_above_requested']);
    const amountAtFirst = await review(officerB, body.id, { stage: 'first', decision: 'approve', amount: '1.00', reason: '同意' });
    expect(amountAtFirst.status).toBe(409);
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('an upheld objection rejects the application and no voucher can be granted', async () => {
    const program = await applicationProgram('异议成立');
    const approved = await approvedApplication(program.id, enterprise, '2026-03-02', '2026-03-06');
    t.clock.set(at('2026-03-10'));
    const objected = await officerA.post(`/v1/applications/${approved.id}/objections`, { summary: '举报该企业与服务商存在关联关系' });
    expect(objected.status).toBe(201);
    expect(objected.body.status).toBe('on_hold');
    const objectionId = objected.body.objections[0].id as string;
    t.clock.set(at('2026-03-16'));
    const held = await officerA.post(`/v1/applications/${approved.id}/grant`, { expiresOn: '2026-12-31' });
    expect([held.status, held.body.code]).toEqual([409, 'objection_open']);
    expect((await request(t.app).get(`/v1/public/notices?programId=${program.id}`)).body.items[0].state).toBe('on_hold');
    const upheld = await officerB.post(`/v1/applications/${approved.id}/objections/${objectionId}/resolve`, {
      outcome: 'upheld',
      reason: '经核查关联关系属实',
    });
    expect(upheld.status).toBe(200);
    expect(upheld.body.status).toBe('rejected');
    expect(upheld.body.objections[0]).toMatchObject({ status: 'upheld', resolvedBy: 'hz-officer-b', reason: '经核查关联关系属实' });
    const refused = await officerA.post(`/v1/applications/${approved.id}/grant`, { expiresOn: '2026-12-31' });
    expect([refused.status, refused.body.code]).toEqual([409, 'invalid_transition']);
    expect((await request(t.app).get(`/v1/public/notices?programId=${program.id}`)).body.items).toEqual([]);
    const twice = await officerB.post(`/v1/applications/${approved.id}/objections/${objectionId}/resolve`, { outcome: 'dismissed', reason: 'x' });
    expect([twice.status, twice.body.code]).toEqual([409, 'objection_resolved']);
  });

  it('a dismissed objection returns the application to its notice, and it is granted after it', async () => {
    const program = await applicationProgram('异议不成立');
    const approved = await approvedApplication(program.id, enterprise, '2026-03-02', '2026-03-06');
    t.clock.set(at('2026-03-10'));
    const objected = await officerA.post(`/v1/applications/${approved.id}/objections`, { summary: '反映申报材料不实' });
    const dismissed = await officerA.post(`/v1/applications/${approved.id}/objections/${objected.body.objections[0].id}/resolve`, {
      outcome: 'dismissed',
      reason: '经核查材料属实',
    });
    expect(dismissed.body.status).toBe('approved');
    t.clock.set(at('2026-03-16'));
    expect((await officerA.post(`/v1/applications/${approved.id}/grant`, { expiresOn: '2026-12-31' })).status).toBe(201);
  });

  it('a returned application resubmitted and approved grants once', async () => {
    const program = await applicationProgram('退回补正');
    t.clock.set(at('2026-03-02'));
    const { body } = await apply(enterprise, program.id, { amount: '900000.00' });
    await review(officerA, body.id, { stage: 'first', decision: 'approve', reason: '材料齐全' });
    const returned = await review(officerB, body.id, { stage: 'final', decision: 'return', reason: '请补充算力采购合同' });
    expect(returned.body.status).toBe('returned');
    expect((await review(officerB, body.id, { stage: 'final', decision: 'approve', reason: 'x' })).status).toBe(409);
    const contract = await upload(enterprise, minimalPdf('compute purchase contract'), '算力采购合同.pdf');
    const resubmitted = await enterprise.post(`/v1/applications/${body.id}/resubmit`, {
      programId: program.id,
      enterpriseName: '杭州深算科技有限公司',
      amount: '900000.00',
      purpose: '采购智能算力训练行业大模型',
      declarations: DECLARED,
      documents: [documentSha, contract],
    });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body).toMatchObject({ status: 'submitted', revision: 2 });
    // A reviewer still looking at revision 1 is told the enterprise resubmitted.
    const stale = await review(officerA, body.id, { stage: 'first', decision: 'approve', revision: 1, reason: '材料齐全' });
    expect([stale.status, stale.body.code, stale.body.field]).toEqual([409, 'stale_revision', 'revision']);
    // Review starts again: officer A's first approval of revision 1 no longer counts, so B may take the first stage now.
    await review(officerB, body.id, { stage: 'first', decision: 'approve', reason: '补正后材料齐全' });
    t.clock.set(at('2026-03-06'));
    const final = await review(officerA, body.id, { stage: 'final', decision: 'approve', reason: '同意' });
    expect(final.body).toMatchObject({
      status: 'approved',
      approvedAmount: '900000.00',
      revision: 2,
      notice: { startsOn: '2026-03-09', endsOn: '2026-03-13' },
    });
    t.clock.set(at('2026-03-16'));
    expect((await officerA.post(`/v1/applications/${body.id}/grant`, { expiresOn: '2026-12-31' })).status).toBe(201);
    expect((await officerA.post(`/v1/applications/${body.id}/grant`, { expiresOn: '2026-12-31' })).status).toBe(409);
    const granted = await enterprise.get(`/v1/vouchers?programId=${program.id}`);
    expect(granted.body.items).toHaveLength(1);
  });

  it('a final approval whose notice would reach a year with no calendar file is refused and changes nothing', async () => {
    const program = await applicationProgram('跨年公示', { closesOn: '2026-12-31' });
    // Decided Monday 2026-12-28: the notice would run 12-29, 12-30, 12-31 and two working days of 2027, a year with no file yet.
    t.clock.set(at('2026-12-28'));
    const { body } = await apply(enterprise, program.id);
    await review(officerA, body.id, { stage: 'first', decision: 'approve', reason: '材料齐全' });
    const before = await snapshot(t.db);
    const refused = await review(officerB, body.id, { stage: 'final', decision: 'approve', reason: '同意' });
    expect([refused.status, refused.body.code]).toEqual([422, 'calendar_year_unknown']);
    expect(await snapshot(t.db)).toEqual(before);
    await expectLedgerInvariants(t.db);
  });
});

describe('the verifier re-derives every application decision', () => {
  type Entry = {
    seq: number;
    type: string;
    recordedAt: string;
    actor: Record<string, unknown>;
    data: Record<string, unknown>;
    postings: unknown[];
    prevHash: string;
    hash: string;
  };
  let dir: string;
  let entries: Entry[];
  const verify = (name: string, list: Entry[]) => {
    const path = join(dir, name);
    writeFileSync(path, list.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
    return runVerification({ file: path });
  };
  const forge = (edit: (list: Entry[]) => Entry) => {
    const list = entries.map((entry) => structuredClone(entry));
    const edited = edit(list);
    return { seq: edited.seq, list: relink(list, edited.seq - 1) };
  };
  const granted = (list: Entry[]) => list.find((entry) => entry.type === 'voucher.issued' && 'application' in entry.data)!;
  const finalApproval = (list: Entry[], applicationId: unknown) =>
    list.find((entry) => entry.type === 'application.reviewed' && entry.data['applicationId'] === applicationId && entry.data['stage'] === 'final')!;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vl-applications-'));
    const auditor = await t.as({ role: 'auditor', region: ZHEJIANG });
    entries = (await auditor.get('/v1/ledger/export')).text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Entry);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the ledger the journeys above wrote verifies, every application entry type in it', async () => {
    const types = new Set(entries.map((entry) => entry.type));
    for (const type of [
      'application.submitted',
      'application.reviewed',
      'application.notice_opened',
      'application.objection_recorded',
      'application.objection_resolved',
    ])
      expect(types).toContain(type);
    const report = await verify('ledger.ndjson', entries);
    expect(report.firstFailure).toBeNull();
    expect(report.ok).toBe(true);
  });

  it('catches a grant dated before the notice ended', async () => {
    const { seq, list } = forge((all) => Object.assign(granted(all), { recordedAt: '2026-03-13T02:00:00.000Z' }));
    const report = await verify('early-grant.ndjson', list);
    expect(report.firstFailure).toMatchObject({
      seq,
      check: 'derived-inputs',
      reason: expect.stringMatching(/before the notice of application app_\S+ ended \(2026-03-13\)/),
    });
  });

  it('catches a final approval by the officer who took the first review', async () => {
    const { seq, list } = forge((all) => {
      const final = finalApproval(all, (granted(all).data['application'] as { id: string }).id);
      final.actor = { ...final.actor, sub: 'hz-officer-a' };
      return final;
    });
    const report = await verify('one-reviewer.ndjson', list);
    expect(report.firstFailure).toMatchObject({
      seq,
      check: 'derived-inputs',
      reason: expect.stringMatching(/hz-officer-a approved application app_\S+ at both stages/),
    });
  });

  it('catches a notice shorter than the calendar gives, and a voucher issued directly on an application program', async () => {
    const shortened = forge(
      (all) =>
        Object.assign(all.find((entry) => entry.type === 'application.notice_opened')!.data, { endsOn: '2026-03-12' }) &&
        all.find((entry) => entry.type === 'application.notice_opened')!,
    );
    expect((await verify('short-notice.ndjson', shortened.list)).firstFailure).toMatchObject({
      seq: shortened.seq,
      check: 'recomputation',
      reason: expect.stringMatching(/run 2026-03-09 to 2026-03-13/),
    });
    const direct = forge((all) => {
      const entry = granted(all);
      delete entry.data['application'];
      return entry;
    });
    expect((await verify('direct.ndjson', direct.list)).firstFailure).toMatchObject({
      seq: direct.seq,
      check: 'derived-inputs',
      reason: expect.stringMatching(/takes applications: its vouchers are granted from one/),
    });
  });

  it('catches a notice dated before the final approval that opened it, its dates re-derived to match', async () => {
    const { seq, list } = forge((all) => {
      const grant = granted(all);
      const applicationId = (grant.data['application'] as { id: string }).id;
      const notice = all.find((entry) => entry.type === 'application.notice_opened' && entry.data['applicationId'] === applicationId)!;
      // Monday 2026-02-02: five working days from Tuesday 02-03 end on Monday 02-09, consistently re-derived.
      Object.assign(notice, { recordedAt: '2026-02-02T02:00:00.000Z' });
      Object.assign(notice.data, { decidedOn: '2026-02-02', startsOn: '2026-02-03', endsOn: '2026-02-09' });
      const application = grant.data['application'] as Record<string, unknown>;
      Object.assign(application, { noticeStartsOn: '2026-02-03', noticeEndsOn: '2026-02-09' });
      return notice;
    });
    const report = await verify('backdated-notice.ndjson', list);
    expect(report.firstFailure).toMatchObject({
      seq,
      check: 'derived-inputs',
      reason: expect.stringMatching(/recorded at 2026-02-02T02:00:00\.000Z, before the previous decision on application app_\S+/),
    });
  });

  it('catches a grant from an application whose objection was upheld', async () => {
    const { seq, list } = forge((all) => {
      const upheld = all.find((entry) => entry.type === 'application.objection_resolved' && entry.data['outcome'] === 'upheld')!;
      // Pass the grant of another application off as this one's.
      const grant = granted(all);
      const application = grant.data['application'] as Record<string, unknown>;
      application['id'] = upheld.data['applicationId'];
      return grant;
    });
    const report = await verify('upheld.ndjson', list);
    expect(report.firstFailure).toMatchObject({ seq, check: 'derived-inputs' });
  });
});
