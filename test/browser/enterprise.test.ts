import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU } from '../helpers/fixtures.js';
import { mintToken } from '../helpers/test-app.js';
import { createApplicationProgram, pdfBytes, sha256 } from './applications.js';
import { CHROMIUM, type Journey, startJourney, todayInShanghai } from './browser.js';

describe.skipIf(!existsSync(CHROMIUM))('console: the enterprise journey', () => {
  let journey: Journey;
  let issuer: string;
  let programId: string;
  beforeAll(async () => {
    journey = await startJourney();
    issuer = await mintToken({ sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
    const program = await createApplicationProgram(journey, issuer, todayInShanghai());
    programId = program.id;
    // A voucher of a direct program, for "my vouchers".
    const direct = await journey.post<{ id: string }>(issuer, '/v1/programs', { name: '杭州算力券 2026', kind: 'compute', budget: '1000000.00' });
    await journey.post(issuer, '/v1/vouchers', {
      programId: direct.id,
      beneficiary: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
      amount: '100000.00',
      expiresOn: '2027-12-31',
    });
  });
  afterAll(async () => journey?.close());

  it('signs in as an enterprise, uploads a PDF, applies, answers a return by resubmitting, and sees its history', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, { sub: 'szkj-finance', role: 'enterprise', org: ENTERPRISE });
    await expect(page.getByTestId('signed-in-role').innerText()).resolves.toBe('企业');
    await expect(page.getByTestId('signed-in-scope').innerText()).resolves.toBe(ENTERPRISE);
    expect(new URL(page.url()).pathname).toBe('/console/applications');
    for (const item of ['申报', '我的补贴券', '公示']) await page.getByRole('menuitem', { name: item, exact: true }).waitFor();

    await page.getByLabel('项目编号').fill(programId);
    await page.getByLabel('项目编号').press('Escape');
    await page.getByLabel('企业名称').fill('杭州深算科技有限公司');
    await page.getByLabel('申请金额（元）').fill('500000.00');
    await page.getByLabel('用途').fill('采购国产算力用于行业大模型训练');
    // Neither the declarations nor a document: the form says what is missing before anything is sent.
    await page.getByRole('button', { name: '提交申报' }).click();
    await page.getByText('三项承诺均须勾选').waitFor();
    await page.getByText('请上传至少一份申报材料').waitFor();
    for (const declaration of ['本次申报不涉及关联交易合同', '本次申报内容未获其他财政资金支持', '本企业无失信记录'])
      await page.getByLabel(declaration).check();

    const pdf = pdfBytes('Compute purchase contract HT-2026-001');
    await page.locator('input[type=file]').setInputFiles({ name: '算力采购合同.pdf', mimeType: 'application/pdf', buffer: pdf });
    const listed = page.getByTestId('documents');
    await listed.getByText('算力采购合同.pdf').waitFor();
    await listed.getByText(`SHA-256 ${sha256(pdf).slice(0, 12)}…`).waitFor();
    await journey.screenshot(page, 'enterprise-apply');

    await page.getByRole('button', { name: '提交申报' }).click();
    await page.waitForURL(/\/console\/applications\/[^/]+$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    await expect(page.getByTestId('application-status').innerText()).resolves.toBe('已提交');
    const summary = page.getByTestId('application-summary');
    await expect(summary.innerText()).resolves.toContain('¥500,000.00');
    await expect(summary.innerText()).resolves.toContain(ENTERPRISE);
    await page
      .getByTestId('documents')
      .getByText(`SHA-256 ${sha256(pdf).slice(0, 12)}…`)
      .waitFor();
    const history = page.getByTestId('application-history');
    await expect(history.innerText()).resolves.toMatch(/提交申报[\s\S]*企业 szkj-finance/);

    // The issuer returns it for a missing page.
    await journey.post(issuer, `/v1/applications/${id}/review`, { stage: 'first', decision: 'return', reason: '请补充算力采购合同的盖章页' });
    await page.reload();
    await expect(page.getByTestId('application-status').innerText()).resolves.toBe('已退回');
    await expect(history.innerText()).resolves.toMatch(/初审退回修改[\s\S]*发放机构 hz-officer-a[\s\S]*理由：请补充算力采购合同的盖章页/);
    const resubmit = page.getByTestId('resubmit');
    await resubmit.getByText('请补充算力采购合同的盖章页').waitFor();
    // Its fields as they were: the program, name, amount, purpose, declarations and the document.
    await expect(resubmit.getByLabel('项目编号').inputValue()).resolves.toBe(programId);
    await expect(resubmit.getByLabel('企业名称').inputValue()).resolves.toBe('杭州深算科技有限公司');
    await expect(resubmit.getByLabel('申请金额（元）').inputValue()).resolves.toBe('500000.00');
    await expect(resubmit.getByLabel('本企业无失信记录').isChecked()).resolves.toBe(true);
    await resubmit.getByText('算力采购合同.pdf').waitFor();
    const stamped = pdfBytes('Compute purchase contract HT-2026-001, stamped');
    await resubmit.locator('input[type=file]').setInputFiles({ name: '算力采购合同（盖章页）.pdf', mimeType: 'application/pdf', buffer: stamped });
    await resubmit.getByText(`SHA-256 ${sha256(stamped).slice(0, 12)}…`).waitFor();
    await resubmit.getByLabel('申请金额（元）').fill('450000.00');
    await resubmit.getByRole('button', { name: '重新提交' }).click();
    await page.getByTestId('application-status').filter({ hasText: '已提交' }).waitFor();
    await expect(history.innerText()).resolves.toContain('重新提交（第 2 版）');
    await expect(summary.innerText()).resolves.toContain('¥450,000.00');
    await expect(page.getByTestId('documents').first().innerText()).resolves.toContain('算力采购合同（盖章页）.pdf');
    await journey.screenshot(page, 'enterprise-application');

    const enterprise = await mintToken({ sub: 'szkj-finance', role: 'enterprise', org: ENTERPRISE });
    const answer = await journey.api<{ revision: number; amount: string; documents: { sha256: string }[] }>(enterprise, `/v1/applications/${id}`);
    expect(answer).toMatchObject({ revision: 2, amount: '450000.00' });
    expect(answer.documents.map((document) => document.sha256)).toEqual([sha256(pdf), sha256(stamped)]);

    // The list of its applications.
    await page.getByRole('menuitem', { name: '申报', exact: true }).click();
    await page.waitForURL(/\/console\/applications$/);
    const row = page.locator('.ant-table-row').filter({ hasText: '杭州算力券 2026（申报）' });
    await row.waitFor();
    await expect(row.innerText()).resolves.toMatch(/¥450,000\.00[\s\S]*已提交/);

    // Its vouchers: the balance, the year's use of the caps, and each voucher's redemptions.
    await page.getByRole('menuitem', { name: '我的补贴券' }).click();
    await page.getByTestId('my-vouchers').getByText('¥100,000.00').first().waitFor();
    await expect(page.getByTestId('vouchers-balance').innerText()).resolves.toContain('¥100,000.00');
    await page.locator('[data-testid^="bucket-"]').first().waitFor();
    await page.getByRole('button', { name: '展开行' }).first().click();
    await page.getByRole('columnheader', { name: '发票号' }).waitFor();
    await journey.screenshot(page, 'enterprise-vouchers');
    await page.getByTestId('my-vouchers').getByRole('link').first().click();
    await page.getByTestId('voucher-balance').getByText('¥100,000.00').waitFor();

    expect(journey.pageErrors).toEqual([]);
  });
});
