// Decision 0043 through the console: the issuer opens 报表 and reads the year's figures of a seeded program (three
// redemptions of 10,000.00 at 30%, one reversed by half), the charts drawn, the position balanced, and downloads the
// XLSX and a CSV through the report's own seq; the province's auditor reads its prefecture's row, and a region
// outside its own is refused where it was typed. The server runs on the real clock: the year is this year.
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, type Journey, startJourney, todayInShanghai } from './browser.js';
import { OFFICER, PROVIDER_OPS } from './claims.js';
import { AUDITOR, programWithApprovedRedemptions } from './oversight.js';

interface Report {
  year: number;
  region: string;
  throughSeq: number;
  complete: boolean;
  totals: Record<string, string | number | null>;
  regions: { region: string; subsidyNet: string; paidNet: string }[];
}

describe.skipIf(!existsSync(CHROMIUM))('console: the annual report', () => {
  let journey: Journey;
  let issuer: string;
  const year = Number(todayInShanghai().slice(0, 4));

  beforeAll(async () => {
    journey = await startJourney();
    issuer = await mintToken(OFFICER);
    const provider = await mintToken(PROVIDER_OPS);
    // Granted 3 × 3,000.00 = 9,000.00 on 30,000.00 executed; half of one reversed: 1,500.00 clawed back on 5,000.00.
    const seeded = await programWithApprovedRedemptions(journey, issuer, provider, '杭州算力券（年度报表）', 3);
    await journey.post(provider, `/v1/redemptions/${seeded.redemptions[0]!.id}/reversals`, { executedAmount: '5000.00', reason: '部分服务退款' });
  });
  afterAll(async () => journey?.close());

  const card = (page: Page, key: string) => page.getByTestId(`total-${key}`);
  const row = (page: Page, testId: string, text: string) => page.getByTestId(testId).locator('.ant-table-row').filter({ hasText: text });

  it('shows the issuer the year’s figures, the charts and the balanced position, and downloads the XLSX and a CSV', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, OFFICER);
    await page.getByRole('menuitem', { name: '报表' }).click();
    await page.waitForURL(/\/console\/reports\/annual$/);
    // The current year of the issuer's own region, by default.
    await expect(page.getByTestId('report-header').innerText()).resolves.toMatch(new RegExp(`杭州市 330100[\\s\\S]*年度\\s*[:：]?\\s*${year}`));
    await expect(page.getByRole('textbox', { name: '地区' }).inputValue()).resolves.toBe('330100');

    const report = await journey.api<Report>(issuer, `/v1/reports/annual?year=${year}`);
    expect(report.totals).toMatchObject({ subsidyGranted: '9000.00', clawedBack: '1500.00', subsidyNet: '7500.00', executed: '25000.00' });
    await expect(card(page, 'subsidyNet').innerText()).resolves.toMatch(/净补贴\s*¥7,500\.00/);
    await expect(card(page, 'subsidyGranted').innerText()).resolves.toContain('¥9,000.00');
    await expect(card(page, 'clawedBack').innerText()).resolves.toContain('¥1,500.00');
    await expect(card(page, 'executed').innerText()).resolves.toContain('¥25,000.00');
    await expect(card(page, 'funded').innerText()).resolves.toContain('¥10,000,000.00');
    await expect(card(page, 'vouchersIssued').innerText()).resolves.toMatch(/1\s*张/);
    await expect(card(page, 'enterprises').innerText()).resolves.toMatch(/1\s*家/);
    // Every redemption bought autonomous compute; 25,000.00 executed on 7,500.00 of subsidy, rounded down.
    await expect(card(page, 'autonomousShare').innerText()).resolves.toContain('100%');
    await expect(card(page, 'leverage').innerText()).resolves.toContain('3.3333 倍');
    await expect(page.getByTestId('report-through-seq').innerText()).resolves.toBe(String(report.throughSeq));
    await expect(page.getByTestId('report-complete').innerText()).resolves.toBe(report.complete ? '年度已结束' : '年度进行中');

    // The three charts are drawn on canvases.
    for (const chart of ['chart-months', 'chart-regions', 'chart-kinds']) await page.getByTestId(chart).locator('canvas').first().waitFor();
    await expect(page.getByRole('img', { name: '按月：核定补贴、追回补贴与拨付' }).count()).resolves.toBe(1);

    // The tables: the region's own programs, the kind, the autonomous bucket, the month, and the position's identity.
    await expect(row(page, 'report-regions', '杭州市 330100（本级）').innerText()).resolves.toMatch(/¥9,000\.00[\s\S]*¥1,500\.00[\s\S]*¥7,500\.00/);
    await expect(row(page, 'report-kinds', '算力券').innerText()).resolves.toContain('¥7,500.00');
    await expect(row(page, 'report-buckets', 'compute.autonomous').innerText()).resolves.toMatch(/3[\s\S]*¥9,000\.00[\s\S]*¥1,500\.00[\s\S]*¥7,500\.00/);
    const month = todayInShanghai().slice(0, 7);
    await expect(row(page, 'report-months', month).innerText()).resolves.toMatch(/¥9,000\.00[\s\S]*¥1,500\.00/);
    await expect(page.getByTestId('report-position-check').innerText()).resolves.toContain('核对相符');
    await expect(row(page, 'report-position', '累计净到位资金').innerText()).resolves.toContain('¥10,000,000.00');
    await journey.screenshot(page, 'annual-report');

    // The XLSX, with the token, through the report's seq: a zip (PK) named after the region and year.
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 Excel' }).click()]);
    expect(xlsx.suggestedFilename()).toBe(`annual-report-330100-${year}.xlsx`);
    const workbook = readFileSync((await xlsx.path())!);
    expect(workbook.subarray(0, 2).toString('latin1')).toBe('PK');

    // One table's CSV: UTF-8 with a BOM, Chinese headers, plain decimals.
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 CSV（按券种）' }).click()]);
    expect(csv.suggestedFilename()).toBe(`annual-report-330100-${year}-kinds.csv`);
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('净补贴');
    expect(text).toContain('7500.00');
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });

  it('shows the province’s auditor the prefecture’s row, and refuses a region outside its own under the field', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, AUDITOR);
    await page.getByRole('menuitem', { name: '报表' }).click();
    await expect(page.getByRole('textbox', { name: '地区' }).inputValue()).resolves.toBe('330000');
    await expect(row(page, 'report-regions', '杭州市 330100').innerText()).resolves.toMatch(/¥7,500\.00/);
    await expect(card(page, 'subsidyNet').innerText()).resolves.toContain('¥7,500.00');

    // Not six digits: refused in the browser, nothing asked.
    await page.getByRole('textbox', { name: '地区' }).fill('3301');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('6 位行政区划代码').waitFor();

    // Beijing is outside Zhejiang: the API's refusal under the field and in the alert, the address kept to share.
    await page.getByRole('textbox', { name: '地区' }).fill('110000');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('alert').filter({ hasText: '请求被拒绝' }).waitFor();
    await page.waitForURL(/region=110000/);
    await expect(page.getByRole('alert').filter({ hasText: '请求被拒绝' }).innerText()).resolves.toContain('forbidden');
    await expect(page.locator('.ant-form-item-has-error').getByRole('textbox', { name: '地区' }).count()).resolves.toBe(1);
    await expect(page.getByTestId('report-totals').count()).resolves.toBe(0);
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });
});
