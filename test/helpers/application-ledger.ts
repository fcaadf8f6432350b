// An application through every decision (decision 0038), for tests that need each application entry type in a
// ledger: submitted, reviewed at both stages, notice opened, an objection recorded and dismissed, then granted.
// On Monday 2025-12-15: the notice runs 12-16 to 12-22 and the grant is on 12-23; the clock is put back after.
import { expect } from 'vitest';
import { minimalPdf } from './documents.js';
import { ENTERPRISE, HANGZHOU } from './fixtures.js';
import type { TestApp } from './test-app.js';

export async function buildApplicationLedger(t: TestApp, enterpriseUscc = ENTERPRISE) {
  const before = t.clock.now().toISOString();
  t.clock.set('2025-12-15T02:00:00.000Z');
  const enterprise = await t.as({ sub: 'applicant', role: 'enterprise', org: enterpriseUscc });
  const first = await t.as({ sub: 'reviewer-first', role: 'issuer', region: HANGZHOU });
  const final = await t.as({ sub: 'reviewer-final', role: 'issuer', region: HANGZHOU });
  const program = await first.post('/v1/programs', {
    name: '申报制算力券',
    kind: 'compute',
    budget: '1000.00',
    issuance: 'application',
    applications: { opensOn: '2025-12-01', closesOn: '2025-12-31', contact: { office: '数字经济处', telephone: '0571-87001234' } },
  });
  expect(program.status).toBe(201);
  const document = await enterprise.post('/v1/documents?name=licence.pdf', minimalPdf(`licence ${enterpriseUscc}`), { 'Content-Type': 'application/pdf' });
  const application = await enterprise.post('/v1/applications', {
    programId: program.body.id,
    enterpriseName: '杭州示例智能科技有限公司',
    amount: '100.00',
    purpose: '算力采购',
    declarations: { noRelatedPartyContracts: true, noOtherPublicFunding: true, noDishonestyRecord: true },
    documents: [document.body.sha256],
  });
  expect(application.status).toBe(201);
  const id = application.body.id as string;
  expect((await first.post(`/v1/applications/${id}/review`, { stage: 'first', decision: 'approve', reason: '材料齐全' })).status).toBe(200);
  expect((await final.post(`/v1/applications/${id}/review`, { stage: 'final', decision: 'approve', amount: '99.99', reason: '核定' })).status).toBe(200);
  const objected = await first.post(`/v1/applications/${id}/objections`, { summary: '反映材料不实' });
  expect(objected.status).toBe(201);
  const resolved = await final.post(`/v1/applications/${id}/objections/${objected.body.objections[0].id}/resolve`, {
    outcome: 'dismissed',
    reason: '经核查属实',
  });
  expect(resolved.status).toBe(200);
  t.clock.set('2025-12-23T02:00:00.000Z');
  const voucher = await first.post(`/v1/applications/${id}/grant`, { expiresOn: '2026-12-31' });
  t.clock.set(before);
  expect(voucher.status, JSON.stringify(voucher.body)).toBe(201);
  return { programId: program.body.id as string, applicationId: id, voucherId: voucher.body.id as string };
}
