// Every page of every role, in both languages: each form control has an accessible name (a label a screen
// reader reads out), every page has its heading, and no page logs an error.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU, PROVIDER, uscc } from '../helpers/fixtures.js';
import type { Claims } from '../helpers/test-app.js';
import { mintToken } from '../helpers/test-app.js';
import { applyByApi, createApplicationProgram } from './applications.js';
import { CHROMIUM, type Journey, startJourney, todayInShanghai } from './browser.js';
import { claimByApi, confirmByApi, createClaimsProgram, createContract, issueVoucher } from './claims.js';

/** Lines of an ARIA snapshot for a control without a name: `- textbox`, `- combobox [expanded=false]`. */
const UNNAMED = /^\s*- (textbox|combobox|spinbutton|checkbox|switch|radio|slider|searchbox|button)( \[[^\]]*\])?:?\s*$/;

async function unnamedControls(page: Page): Promise<string[]> {
  const snapshot = await page.locator('body').ariaSnapshot();
  return snapshot.split('\n').filter((line) => UNNAMED.test(line));
}

type Role = 'issuer' | 'provider' | 'auditor' | 'enterprise';

describe.skipIf(!existsSync(CHROMIUM))('console: every page is labelled for assistive technology', () => {
  let journey: Journey;
  const pages: Record<Role, string[]> = { issuer: [], provider: [], auditor: [], enterprise: [] };
  const claims: Record<Role, Claims> = {
    issuer: { sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU },
    provider: { sub: 'provider-ops', role: 'provider', org: PROVIDER },
    auditor: { sub: 'audit-zj', role: 'auditor', region: '330000' },
    enterprise: { sub: 'szkj-finance', role: 'enterprise', org: ENTERPRISE },
  };
  beforeAll(async () => {
    journey = await startJourney();
    const issuer = await mintToken(claims.issuer);
    const provider = await mintToken(claims.provider);
    const program = await journey.post<{ id: string }>(issuer, '/v1/programs', { name: '杭州算力券 2026', kind: 'compute', budget: '1000000.00' });
    await journey.post(issuer, '/v1/providers', {
      uscc: PROVIDER,
      name: '杭州云算力有限公司',
      bankAccount: { bankName: '杭州银行', accountName: '杭州云算力有限公司', accountNumber: '3301040160000123456' },
      services: [{ code: 'GPU-A', name: 'GPU 算力', kind: 'compute', autonomous: false }],
    });
    const voucher = await journey.post<{ id: string }>(issuer, '/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
      amount: '100000.00',
      expiresOn: '2027-12-31',
    });
    const contract = await journey.post<{ id: string }>(provider, '/v1/contracts', {
      number: 'HT-A11Y',
      beneficiaryUscc: ENTERPRISE,
      kind: 'compute',
      autonomous: false,
      amount: '500000.00',
      signedOn: '2026-01-05',
    });
    await journey.post(provider, '/v1/redemptions', {
      voucherId: voucher.id,
      contractId: contract.id,
      executedAmount: '1000.00',
      executedOn: todayInShanghai(),
      invoiceNumber: 'INV-A11Y',
    });
    const batch = await journey.post<{ id: string }>(issuer, '/v1/payment-batches', { programId: program.id, cutoff: todayInShanghai() });
    // Two applications: one awaiting its first review (the review form), one returned (the resubmission form).
    const enterprise = await mintToken(claims.enterprise);
    const applying = await createApplicationProgram(journey, issuer, todayInShanghai());
    const submitted = await applyByApi(journey, enterprise, applying.id, '杭州深算科技有限公司', '500000.00');
    const second = await createApplicationProgram(journey, issuer, todayInShanghai(), '杭州模型券 2026（申报）');
    const returned = await applyByApi(journey, enterprise, second.id, '杭州深算科技有限公司', '200000.00');
    await journey.post(issuer, `/v1/applications/${returned.id}/review`, { stage: 'first', decision: 'return', reason: '请补充材料' });
    // Claims: one awaiting the enterprise (its confirmation form), one awaiting review (the review form), one
    // disputed (the provider's resubmission form).
    // Decision 0044: a subscription each (the provider's before its claims, so that its log has deliveries: to a
    // port nothing listens on, so they wait for their next attempt).
    const subscribe = (token: string, events: string[]) =>
      journey.post<{ id: string }>(token, '/v1/webhooks', { url: 'http://127.0.0.1:9/a11y', events, description: '无障碍检查' });
    const issuerHook = await subscribe(issuer, ['voucher.granted']);
    const providerHook = await subscribe(provider, ['claim.submitted', 'claim.decided']);
    const enterpriseHook = await subscribe(enterprise, ['claim.submitted']);
    const claiming = await createClaimsProgram(journey, issuer);
    const claimVoucher = await issueVoucher(journey, issuer, claiming.id);
    const claimContract = await createContract(journey, provider, 'HT-A11Y-CLAIM');
    const claim = (invoiceNumber: string) =>
      claimByApi(journey, provider, {
        voucherId: claimVoucher.id,
        contractId: claimContract.id,
        executedAmount: '10000.00',
        executedOn: todayInShanghai(),
        invoiceNumber,
      });
    const awaiting = await claim('INV-A11Y-C1');
    const reviewing = await claim('INV-A11Y-C2');
    await confirmByApi(journey, enterprise, reviewing.id, '9000.00');
    const disputed = await claim('INV-A11Y-C3');
    await journey.post(enterprise, `/v1/redemptions/${disputed.id}/dispute`, { reason: '服务尚未交付' });
    // Decision 0042: a listing (with its delist action), a related-party group and a spot check of the first program.
    await journey.post(issuer, '/v1/watchlist', { uscc: uscc(900), reason: '失信被执行人', source: '信用中国', listedOn: todayInShanghai() });
    await journey.post(issuer, '/v1/related-parties', { usccs: [uscc(901), uscc(902)], relation: 'family', reason: '法定代表人为夫妻' });
    const spotCheck = await journey.post<{ id: string }>(issuer, `/v1/programs/${program.id}/spot-checks`, { rate: '1', seed: 'a11y' });
    pages.issuer = [
      'programs',
      `programs/${program.id}`,
      `vouchers/${voucher.id}`,
      `beneficiaries/${ENTERPRISE}`,
      'providers',
      'payment-batches',
      `payment-batches/${batch.id}`,
      'reviews',
      `reviews/${submitted.id}`,
      'claim-reviews',
      `claim-reviews/${reviewing.id}`,
      'notices',
      'watchlist',
      'related-parties',
      `spot-checks/${spotCheck.id}`,
      'reports/annual',
      'webhooks',
      `webhooks/${issuerHook.id}`,
    ];
    pages.provider = [
      'contracts',
      'redeem',
      'redemptions',
      `redemptions/${disputed.id}`,
      `redemptions/${awaiting.id}`,
      'webhooks',
      `webhooks/${providerHook.id}`,
    ];
    pages.auditor = ['ledger', 'audit', 'programs', `programs/${program.id}`, 'watchlist', 'related-parties', `spot-checks/${spotCheck.id}`, 'reports/annual'];
    pages.enterprise = [
      'applications',
      `applications/${submitted.id}`,
      `applications/${returned.id}`,
      'vouchers',
      `vouchers/${voucher.id}`,
      'claims',
      `claims/${awaiting.id}`,
      'notices',
      'webhooks',
      `webhooks/${enterpriseHook.id}`,
    ];
  });
  afterAll(async () => journey?.close());

  it('names every control on the sign-in page', async () => {
    const page = await journey.newPage();
    await page.goto(`${journey.server.url}/console/`);
    await page.getByLabel('访问令牌').waitFor();
    expect(await unnamedControls(page)).toEqual([]);
    await page.close();
  });

  it('names every control on the public notices, without signing in', async () => {
    const page = await journey.newPage();
    for (const language of ['中文', 'English'] as const) {
      await page.goto(`${journey.server.url}/console/notices`);
      await page.getByText(language, { exact: true }).click();
      await page.locator('main h3').first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await unnamedControls(page)).toEqual([]);
    }
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });

  for (const role of ['issuer', 'provider', 'auditor', 'enterprise'] as const)
    for (const language of ['中文', 'English'] as const)
      it(`names every control on each ${role} page (${language})`, async () => {
        const page = await journey.newPage();
        await journey.signIn(page, claims[role]);
        await page.getByText(language, { exact: true }).click();
        const found: Record<string, string[]> = {};
        for (const path of pages[role]) {
          await page.goto(`${journey.server.url}/console/${path}`);
          await page.locator('main h3').first().waitFor();
          await page.waitForLoadState('networkidle');
          const unnamed = await unnamedControls(page);
          if (unnamed.length) found[path] = unnamed;
        }
        expect(found).toEqual({});
        expect(journey.pageErrors).toEqual([]);
        await page.close();
      });
});
