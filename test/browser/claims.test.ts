// Claims (decision 0041) through the console: the provider claims with its contract and invoice, the enterprise
// confirms what it paid, the issuer reviews the figures side by side and approves; a disputed claim says why.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalPdf, sha256Of } from '../helpers/documents.js';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, clockFrom, type Journey, type JourneyClock, startJourney, todayInShanghai } from './browser.js';
import { claimByApi, COMPANY, confirmByApi, createContract, issueVoucher, OFFICER, PROVIDER_OPS, type RedemptionAnswer } from './claims.js';

// The server's clock starts on Monday 2026-03-02: a claim submitted that day is to be confirmed by 2026-03-12
// (ten calendar days).
describe.skipIf(!existsSync(CHROMIUM))('console: claims, from the provider to the enterprise to the issuer', () => {
  let journey: Journey;
  let clock: JourneyClock;
  let issuer: string;
  let provider: string;
  let enterprise: string;
  let programId: string;
  let voucherId: string;
  let contractId: string;
  let firstId: string;
  beforeAll(async () => {
    clock = clockFrom('2026-03-02');
    journey = await startJourney({ clock });
    issuer = await mintToken(OFFICER);
    provider = await mintToken(PROVIDER_OPS);
    enterprise = await mintToken(COMPANY);
  });
  afterAll(async () => journey?.close());

  const status = (page: Page, text: string) => page.getByTestId('claim-status').filter({ hasText: text }).first().waitFor();

  it('creates a program whose redemptions are claims: the enterprise confirms, the issuer reviews', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, OFFICER, 'programs');
    await page.getByLabel('项目名称').fill('杭州算力券 2026（核销审核）');
    await page.getByLabel('预算（元）').fill('10000000.00');
    await page.getByLabel('核销须企业确认').check();
    await page.getByLabel('核销须发放机构审核').check();
    await expect(page.getByLabel('企业确认期限（日历日）').inputValue()).resolves.toBe('10');
    await page.getByRole('button', { name: '创建项目' }).click();
    await page.waitForURL(/\/console\/programs\/[^/]+$/);
    programId = new URL(page.url()).pathname.split('/').pop()!;
    await expect(page.getByTestId('claim-terms').innerText()).resolves.toBe('凭材料申请、预留补贴：企业确认实付金额（10 日内），发放机构审核后核准');
    await page.getByRole('button', { name: '前往核销审核' }).waitFor();
    const program = await journey.api<{ claims: unknown }>(issuer, `/v1/programs/${programId}`);
    expect(program.claims).toEqual({ beneficiaryConfirmation: true, review: true, confirmationDays: 10 });

    voucherId = (await issueVoucher(journey, issuer, programId)).id;
    contractId = (await createContract(journey, provider)).id;
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });

  it('(a) the provider claims 1,000,000.00 with its contract and invoice: 300,000.00 reserved, awaiting the enterprise', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, PROVIDER_OPS, 'redeem');
    await page.getByLabel('补贴券编号').fill(voucherId);
    await page.getByTestId('voucher-terms').getByText('¥2,000,000.00', { exact: false }).waitFor();
    await page.getByLabel('合同', { exact: true }).fill('HT-CLAIM-001');
    await page.locator('.ant-select-item-option').filter({ hasText: 'HT-CLAIM-001' }).waitFor();
    await page.getByLabel('合同', { exact: true }).press('Enter');
    await page.getByLabel('本次执行金额（元）').fill('1000000.00');
    await page.getByLabel('执行日期').fill('2026-02-27');
    await page.getByLabel('执行日期').press('Tab');
    await page.getByLabel('发票号').fill('INV-CLAIM-001');
    // One document only: a claim takes the contract and the invoice at least.
    const contract = minimalPdf('HT-CLAIM-001 contract');
    const invoice = minimalPdf('INV-CLAIM-001 invoice');
    await page.locator('input[type=file]').setInputFiles({ name: '算力服务合同.pdf', mimeType: 'application/pdf', buffer: contract });
    await page.getByTestId('documents').getByText('算力服务合同.pdf').waitFor();
    await page.getByRole('button', { name: /^提交核销/ }).click();
    await page.getByText('请上传合同和发票等材料，至少 2 份').waitFor();
    await page.locator('input[type=file]').setInputFiles({ name: '增值税发票.pdf', mimeType: 'application/pdf', buffer: invoice });
    await page
      .getByTestId('documents')
      .getByText(`SHA-256 ${sha256Of(invoice).slice(0, 12)}…`)
      .waitFor();
    await page.getByRole('button', { name: /^提交核销/ }).click();

    const result = page.getByTestId('redemption-result');
    await result.getByText('已预留补贴 ¥300,000.00', { exact: true }).waitFor();
    await expect(result.getByTestId('claim-status').innerText()).resolves.toBe('待企业确认');
    await expect(result.innerText()).resolves.toContain('核准前不计应付');
    await journey.screenshot(page, 'claims-provider-submit');

    const page1 = await journey.api<{ items: RedemptionAnswer[] }>(provider, `/v1/redemptions?voucherId=${voucherId}`);
    expect(page1.items).toHaveLength(1);
    const claim = page1.items[0]!;
    firstId = claim.id;
    expect(claim).toMatchObject({
      status: 'awaiting_confirmation',
      claim: { executedAmount: '1000000.00', reserved: '300000.00', confirmationDueOn: '2026-03-12' },
    });
    expect(claim.claim!.documents.map((document) => [document.sha256, document.from])).toEqual([
      [sha256Of(contract), 'provider'],
      [sha256Of(invoice), 'provider'],
    ]);

    // Its redemptions: the claim awaits the enterprise, with no reversal before approval.
    await page.getByRole('menuitem', { name: '核销记录' }).click();
    const row = page.locator('.ant-table-row').filter({ hasText: 'INV-CLAIM-001' });
    await row.getByText('待企业确认').waitFor();
    await expect(row.getByRole('button', { name: /冲销/ }).count()).resolves.toBe(0);
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });

  it('(b) the enterprise sees the claim with its documents, confirms 800,000.00 paid with a proof PDF: awaiting review', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, COMPANY);
    await page.getByRole('menuitem', { name: '待确认核销' }).click();
    const row = page.getByTestId('claims').locator('.ant-table-row').filter({ hasText: 'INV-CLAIM-001' });
    await row.waitFor();
    await expect(row.innerText()).resolves.toMatch(/¥1,000,000\.00[\s\S]*¥300,000\.00[\s\S]*2026-03-12[\s\S]*2 份[\s\S]*待企业确认/);
    // The documents, from the list itself.
    await row.getByRole('button', { name: '展开行' }).click();
    await page.getByRole('button', { name: '下载 算力服务合同.pdf' }).waitFor();
    await journey.screenshot(page, 'claims-enterprise-list');

    await row.getByRole('link', { name: 'INV-CLAIM-001' }).click();
    await page.waitForURL(`**/console/claims/${firstId}`);
    await status(page, '待企业确认');
    await expect(page.getByTestId('claim-due').innerText()).resolves.toBe('2026-03-12');
    await expect(page.getByTestId('provider-documents').innerText()).resolves.toMatch(/算力服务合同\.pdf[\s\S]*增值税发票\.pdf/);
    // A document of the claim downloads with the enterprise's token.
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载 增值税发票.pdf' }).click();
    expect((await downloaded).suggestedFilename()).toBe('增值税发票.pdf');

    const confirm = page.getByTestId('confirm-claim');
    await confirm.getByLabel('实际支付金额（元）').fill('800000.00');
    await confirm.getByRole('button', { name: '确认核销' }).click();
    await confirm.getByText('请上传至少 1 份材料').waitFor();
    const proof = minimalPdf('proof of payment 800000.00');
    await confirm.locator('input[type=file]').setInputFiles({ name: '银行回单.pdf', mimeType: 'application/pdf', buffer: proof });
    await confirm.getByTestId('documents').getByText('银行回单.pdf').waitFor();
    await confirm.getByRole('button', { name: '确认核销' }).click();
    await status(page, '待审核');
    await expect(page.getByTestId('claim-paid').innerText()).resolves.toContain('¥800,000.00');
    await expect(page.getByTestId('enterprise-documents').innerText()).resolves.toContain('银行回单.pdf');
    await expect(page.getByTestId('claim-history').innerText()).resolves.toMatch(/企业确认，实付 ¥800,000\.00[\s\S]*企业 szkj-finance/);
    await journey.screenshot(page, 'claims-enterprise-confirmed');

    const answer = await journey.api<RedemptionAnswer>(enterprise, `/v1/redemptions/${firstId}`);
    expect(answer).toMatchObject({ status: 'awaiting_review', claim: { paidAmount: '800000.00' } });
    expect(answer.claim!.documents.filter((document) => document.from === 'enterprise').map((document) => document.sha256)).toEqual([sha256Of(proof)]);
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });

  it('(c) the issuer’s queue shows claimed, paid and reserved side by side; approved with a reason: 240,000.00 owed, 60,000.00 released', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, OFFICER);
    await page.getByRole('menuitem', { name: '核销审核' }).click();
    await page.getByRole('tab', { name: '待审核' }).waitFor();
    const row = page.getByTestId('claim-queue').locator('.ant-table-row').filter({ hasText: 'INV-CLAIM-001' });
    await row.waitFor();
    await expect(row.innerText()).resolves.toMatch(/¥1,000,000\.00[\s\S]*¥800,000\.00[\s\S]*¥300,000\.00[\s\S]*¥240,000\.00[\s\S]*待审核/);
    await journey.screenshot(page, 'claims-issuer-queue');

    await row.getByRole('link', { name: 'INV-CLAIM-001' }).click();
    await page.waitForURL(`**/console/claim-reviews/${firstId}`);
    await status(page, '待审核');
    await expect(page.getByTestId('claim-executed').innerText()).resolves.toContain('¥1,000,000.00');
    await expect(page.getByTestId('claim-paid').innerText()).resolves.toContain('¥800,000.00');
    await expect(page.getByTestId('claim-reserved').innerText()).resolves.toContain('¥300,000.00');
    await expect(page.getByTestId('claim-approved').innerText()).resolves.toMatch(/预计核准补贴[\s\S]*¥240,000\.00/);
    await expect(page.getByTestId('provider-documents').innerText()).resolves.toMatch(/算力服务合同\.pdf[\s\S]*增值税发票\.pdf/);
    await expect(page.getByTestId('enterprise-documents').innerText()).resolves.toContain('银行回单.pdf');
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载 银行回单.pdf' }).click();
    expect((await downloaded).suggestedFilename()).toBe('银行回单.pdf');

    // A decision needs its reason.
    const review = page.getByTestId('review-claim');
    await review.getByRole('button', { name: '核准' }).click();
    await review.getByText('请填写审核意见').waitFor();
    await review.getByLabel('审核意见').fill('合同、发票与付款凭证相符，按实付金额核定');
    await review.getByRole('button', { name: '核准' }).click();
    await status(page, '已核准');
    await expect(page.getByTestId('claim-approved').innerText()).resolves.toMatch(/^核准补贴[\s\S]*¥240,000\.00/);
    await expect(page.getByTestId('claim-released').innerText()).resolves.toMatch(/^释放额度[\s\S]*¥60,000\.00/);
    await expect(page.getByTestId('claim-history').innerText()).resolves.toMatch(
      /审核通过，核准补贴[\s\S]*发放机构 hz-officer-a[\s\S]*理由：合同、发票与付款凭证相符，按实付金额核定/,
    );
    await expect(page.getByTestId('review-claim').count()).resolves.toBe(0);
    await journey.screenshot(page, 'claims-issuer-approved');

    const answer = await journey.api<RedemptionAnswer>(issuer, `/v1/redemptions/${firstId}`);
    expect(answer).toMatchObject({
      status: 'approved',
      subsidy: '240000.00',
      claim: { basis: '800000.00', approved: '240000.00', released: '60000.00', reserved: '0.00' },
    });
    // The program's money: nothing reserved any more, 240,000.00 owed, the 60,000.00 back on the voucher.
    const balances = await journey.api<{ current: Record<string, string> }>(issuer, `/v1/programs/${programId}/balances`);
    expect(balances.current).toMatchObject({ reserved: '0.00', owedToProviders: '240000.00', onVouchers: '1760000.00' });
    // The program's page shows the reserved balance beside the others.
    await page.goto(`${journey.server.url}/console/programs/${programId}`);
    await page.getByText('已到位 = 可用 + 券上余额 + 审核中预留 + 待支付 + 已支付', { exact: false }).waitFor();
    await page.getByText('审核中预留', { exact: true }).first().waitFor();
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });

  it('(d) a second claim disputed by the enterprise shows 企业有异议 and the reason on the provider’s side; the provider withdraws it', async () => {
    const second = await claimByApi(journey, provider, {
      voucherId,
      contractId,
      executedAmount: '200000.00',
      executedOn: todayInShanghai(clock),
      invoiceNumber: 'INV-CLAIM-002',
    });
    expect(second).toMatchObject({ status: 'awaiting_confirmation' });

    const company = await journey.newPage();
    await journey.signIn(company, COMPANY, `claims/${second.id}`);
    await status(company, '待企业确认');
    await expect(company.getByTestId('claim-reserved').innerText()).resolves.toContain('¥60,000.00');
    await company.getByRole('button', { name: '提出异议' }).click();
    const dialog = company.getByRole('dialog');
    await dialog.getByLabel('异议理由').fill('服务尚未交付完毕，发票金额与验收单不符');
    await dialog.getByRole('button', { name: '提交异议' }).click();
    await status(company, '企业有异议');
    await company.getByTestId('claim-reason').getByText('服务尚未交付完毕，发票金额与验收单不符').waitFor();
    await company.close();

    const page = await journey.newPage();
    await journey.signIn(page, PROVIDER_OPS, 'redemptions');
    const row = page.locator('.ant-table-row').filter({ hasText: 'INV-CLAIM-002' });
    await row.getByText('企业有异议').waitFor();
    await expect(row.getByTestId('claim-reason').innerText()).resolves.toBe('服务尚未交付完毕，发票金额与验收单不符');
    // The first, approved, may be reversed now.
    await page.locator('.ant-table-row').filter({ hasText: 'INV-CLAIM-001' }).getByText('已核准').waitFor();
    await page.getByRole('button', { name: '冲销 INV-CLAIM-001' }).waitFor();
    await journey.screenshot(page, 'claims-provider-disputed');

    // The voucher has claims now: the redeem page knows its program takes claims and asks for the documents.
    await page.getByRole('menuitem', { name: '核销', exact: true }).click();
    await page.getByLabel('补贴券编号').fill(voucherId);
    await expect(page.getByTestId('claim-notice').innerText()).resolves.toContain('本项目实行核销审核：补贴先预留，核准后方计应付');
    await page.getByRole('button', { name: '提交核销申请' }).click();
    await page.getByText('请上传合同和发票等材料，至少 2 份').waitFor();
    await page.getByRole('menuitem', { name: '核销记录' }).click();

    // Its page: the reason, the resubmission with its documents so far, and the withdrawal.
    await row.getByRole('link', { name: 'INV-CLAIM-002' }).click();
    await page.waitForURL(`**/console/redemptions/${second.id}`);
    await status(page, '企业有异议');
    const resubmit = page.getByTestId('resubmit-claim');
    await resubmit.getByText('服务尚未交付完毕，发票金额与验收单不符').waitFor();
    await resubmit.getByText('INV-CLAIM-002-合同.pdf').waitFor();
    await resubmit.getByText('INV-CLAIM-002-发票.pdf').waitFor();
    await page.getByRole('button', { name: '撤回', exact: true }).click();
    const dialog2 = page.getByRole('dialog');
    await dialog2.getByLabel('撤回原因').fill('待交付完毕后更正发票重新申报');
    await dialog2.getByRole('button', { name: '确认撤回' }).click();
    await status(page, '已撤回');
    await page.getByTestId('claim-reason').getByText('待交付完毕后更正发票重新申报').waitFor();
    await expect(page.getByTestId('resubmit-claim').count()).resolves.toBe(0);

    const answer = await journey.api<RedemptionAnswer>(provider, `/v1/redemptions/${second.id}`);
    expect(answer).toMatchObject({ status: 'withdrawn', claim: { reserved: '0.00' } });
    expect(answer.claim!.history.map((item) => item.action)).toEqual(['submitted', 'disputed', 'withdrawn']);
    expect(journey.pageErrors).toEqual([]);
  });

  it('(e) a claim the issuer returns is corrected by the provider: a document added, a note, and back to the enterprise', async () => {
    const third = await claimByApi(journey, provider, {
      voucherId,
      contractId,
      executedAmount: '100000.00',
      executedOn: todayInShanghai(clock),
      invoiceNumber: 'INV-CLAIM-003',
    });
    await confirmByApi(journey, enterprise, third.id, '100000.00');

    const officer = await journey.newPage();
    await journey.signIn(officer, OFFICER, `claim-reviews/${third.id}`);
    await status(officer, '待审核');
    await officer.getByLabel('审核意见').fill('缺少验收报告，请补充');
    await officer.getByRole('button', { name: '退回补正' }).click();
    await status(officer, '已退回');
    await officer.getByTestId('claim-reason').getByText('缺少验收报告，请补充').waitFor();
    await officer.close();

    const page = await journey.newPage();
    await journey.signIn(page, PROVIDER_OPS, `redemptions/${third.id}`);
    await status(page, '已退回');
    const resubmit = page.getByTestId('resubmit-claim');
    await resubmit.getByText('缺少验收报告，请补充').waitFor();
    const acceptance = minimalPdf('INV-CLAIM-003 acceptance report');
    await resubmit.locator('input[type=file]').setInputFiles({ name: '验收报告.pdf', mimeType: 'application/pdf', buffer: acceptance });
    await resubmit.getByText('验收报告.pdf').waitFor();
    await resubmit.getByLabel('补正说明').fill('已补充验收报告');
    await resubmit.getByRole('button', { name: '重新提交' }).click();
    await status(page, '待企业确认');
    await expect(page.getByTestId('provider-documents').innerText()).resolves.toContain('验收报告.pdf');
    await expect(page.getByTestId('claim-history').innerText()).resolves.toMatch(/审核退回补正[\s\S]*服务商补充材料后重新提交[\s\S]*说明：已补充验收报告/);

    const answer = await journey.api<RedemptionAnswer>(provider, `/v1/redemptions/${third.id}`);
    expect(answer.status).toBe('awaiting_confirmation');
    expect(answer.claim!.documents.filter((document) => document.from === 'provider').map((document) => document.name)).toEqual([
      'INV-CLAIM-003-合同.pdf',
      'INV-CLAIM-003-发票.pdf',
      '验收报告.pdf',
    ]);
    expect(journey.pageErrors).toEqual([]);
  });
});
