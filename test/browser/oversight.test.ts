// Decision 0042 through the console: a program with a period is closed at the end of it and its money goes back to
// its funders; an enterprise is listed and delisted; related parties are declared; a spot check is drawn and a
// failed result recorded. The server runs on the real clock: the closing day is today (Asia/Shanghai).
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, OTHER_ENTERPRISE, uscc, ZHEJIANG } from '../helpers/fixtures.js';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, type Journey, type LedgerPage, startJourney, todayInShanghai } from './browser.js';
import { OFFICER, PROVIDER_OPS } from './claims.js';
import { AUDITOR, PROVINCE, programWithApprovedRedemptions, redraw, tomorrowInShanghai } from './oversight.js';

interface Program {
  status: string;
  closedOn: string | null;
  period: { fiscalYear: number; closesOn: string } | null;
  funding: { region: string; confirmed: string; pending: string }[];
}

describe.skipIf(!existsSync(CHROMIUM))('console: year-end close, watchlist, related parties and spot checks', () => {
  let journey: Journey;
  let issuer: string;
  let auditor: string;
  let spot: Awaited<ReturnType<typeof programWithApprovedRedemptions>>;
  const today = todayInShanghai();
  const fiscalYear = Number(today.slice(0, 4));
  const ledger = async (type: string) => (await journey.api<LedgerPage>(auditor, `/v1/ledger?limit=1000&type=${type}`)).entries;

  beforeAll(async () => {
    journey = await startJourney();
    issuer = await mintToken(OFFICER);
    auditor = await mintToken(AUDITOR);
    spot = await programWithApprovedRedemptions(journey, issuer, await mintToken(PROVIDER_OPS), '杭州算力券（抽查）', 3);
  });
  afterAll(async () => journey?.close());

  /** The watchlist and related parties are under 监管 in the header. */
  const openOversight = async (page: Page, name: '监管名单' | '关联方') => {
    await page.getByRole('menuitem', { name: '监管', exact: true }).hover();
    await page.getByRole('menuitem', { name }).click();
  };
  const row = (page: Page, testId: string, text: string) => page.getByTestId(testId).locator('.ant-table-row').filter({ hasText: text });

  it('creates a co-funded program closing today, previews each funder’s return, closes it; the auditor reads the close', async () => {
    // A program whose closing day is still ahead: the preview says so, and there is no close button.
    const later = await journey.post<{ id: string }>(issuer, '/v1/programs', {
      name: '杭州模型券（未到关闭日）',
      kind: 'model',
      budget: '1000.00',
      fiscalYear,
      closesOn: tomorrowInShanghai(),
    });
    const page = await journey.newPage();
    await journey.signIn(page, OFFICER, `programs/${later.id}`);
    await expect(page.getByTestId('close-refusal').innerText()).resolves.toContain(`未到关闭日：${tomorrowInShanghai()} 起方可关闭`);
    await expect(page.getByRole('button', { name: '关闭项目' }).count()).resolves.toBe(0);

    // Created in the console with its period, co-funded 0.6 / 0.4 with the province.
    await page.getByRole('menuitem', { name: '补贴项目' }).click();
    await page.getByLabel('项目名称').fill('杭州算力券（年度）');
    await page.getByLabel('预算（元）').fill('100000.01');
    await page.getByLabel('财政年度').fill(String(fiscalYear));
    await page.getByLabel('关闭日').fill(today);
    await page.getByLabel('关闭日').press('Tab');
    await page.getByRole('button', { name: '添加出资地区' }).click();
    await page.getByLabel('出资比例 1').fill('0.6');
    await page.getByRole('button', { name: '添加出资地区' }).click();
    await page.getByLabel('出资地区 2').fill(ZHEJIANG);
    await page.getByLabel('出资比例 2').fill('0.4');
    await page.getByRole('button', { name: '创建项目' }).click();
    await page.waitForURL(/\/console\/programs\/[^/]+$/);
    const programId = new URL(page.url()).pathname.split('/').pop()!;
    const created = await journey.api<Program>(issuer, `/v1/programs/${programId}`);
    expect(created).toMatchObject({ status: 'open', period: { fiscalYear, closesOn: today } });
    await expect(page.getByTestId('program-status').innerText()).resolves.toBe('执行中');

    // The province pays its share in; a voucher of 30,000.00 (no later than the closing day) holds part of the money.
    await journey.post(await mintToken(PROVINCE), `/v1/programs/${programId}/funding/${ZHEJIANG}/confirm`);
    const voucher = await journey.post<{ id: string }>(issuer, '/v1/vouchers', {
      programId,
      beneficiary: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
      amount: '30000.00',
      expiresOn: today,
    });
    await page.reload();
    // 100,000.01 goes back by what each confirmed: 60,000.01 and 40,000.00 (the decision's worked example).
    const closing = page.getByTestId('closing');
    await closing.getByTestId('close-allowed').waitFor();
    await expect(closing.getByTestId('close-figures').innerText()).resolves.toMatch(/1 张[\s\S]*¥30,000\.00[\s\S]*¥70,000\.01[\s\S]*¥100,000\.01/);
    await expect(row(page, 'close-shares', '杭州市 330100').innerText()).resolves.toMatch(/60%[\s\S]*¥60,000\.01[\s\S]*¥0\.00[\s\S]*¥60,000\.01/);
    await expect(row(page, 'close-shares', '浙江省 330000').innerText()).resolves.toMatch(/40%[\s\S]*¥40,000\.00[\s\S]*¥0\.00[\s\S]*¥40,000\.00/);
    await journey.screenshot(page, 'oversight-close-preview');

    await closing.getByRole('button', { name: '关闭项目' }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.innerText()).resolves.toContain('1 张有效补贴券全部失效，合计 ¥100,000.01');
    await dialog.getByRole('button', { name: '确认关闭' }).click();
    await expect(closing.getByTestId('close-result').innerText()).resolves.toContain(`项目已于 ${today} 关闭`);
    await expect(page.getByTestId('program-status').innerText()).resolves.toBe('已关闭');
    await expect(row(page, 'close-shares', '杭州市 330100').innerText()).resolves.toContain('¥60,000.01');
    await journey.screenshot(page, 'oversight-closed');

    const closed = await journey.api<Program>(issuer, `/v1/programs/${programId}`);
    expect(closed).toMatchObject({ status: 'closed', closedOn: today });
    expect(closed.funding.map((funder) => [funder.region, funder.confirmed, funder.pending])).toEqual([
      ['330100', '0.00', '0.00'],
      ['330000', '0.00', '0.00'],
    ]);
    await expect(journey.api<{ status: string }>(issuer, `/v1/vouchers/${voucher.id}`)).resolves.toMatchObject({ status: 'expired' });
    const [entry] = await ledger('program.closed');
    expect(entry!.data).toMatchObject({ programId, closedOn: today, returned: '100000.01', vouchersReturned: '30000.00' });

    // The auditor reads it: closed, with the close as the ledger recorded it, and nothing to press.
    const audit = await journey.newPage();
    await journey.signIn(audit, AUDITOR, `programs/${programId}`);
    await expect(audit.getByTestId('close-refusal').innerText()).resolves.toContain(`项目已关闭（${today}）`);
    await expect(row(audit, 'close-shares', '浙江省 330000').innerText()).resolves.toMatch(/¥40,000\.00[\s\S]*¥40,000\.00/);
    await expect(audit.getByRole('button', { name: '关闭项目' }).count()).resolves.toBe(0);
    expect(journey.pageErrors).toEqual([]);
    await page.close();
    await audit.close();
  });

  it('lists an enterprise (the voucher is then refused), delists it; the auditor sees the history', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, OFFICER);
    await openOversight(page, '监管名单');
    const form = page.getByTestId('list-enterprise');
    await form.getByLabel('统一社会信用代码').fill(OTHER_ENTERPRISE);
    await form.getByLabel('企业名称（可选）').fill('杭州失信科技有限公司');
    await form.getByLabel('列入机关或名单').fill('信用中国 严重失信主体名单');
    await form.getByLabel('列入日期').fill(today);
    await form.getByLabel('列入日期').press('Tab');
    await form.getByLabel('列入事由').fill('拒不履行法院判决');
    await form.getByRole('button', { name: '列入', exact: true }).click();
    await expect(row(page, 'watchlist', OTHER_ENTERPRISE).innerText()).resolves.toMatch(
      /杭州失信科技有限公司[\s\S]*杭州市 330100[\s\S]*严重失信主体名单[\s\S]*在列/,
    );

    // The API's refusal shows where the voucher is issued.
    await page.goto(`${journey.server.url}/console/programs/${spot.programId}`);
    await page.getByLabel('企业统一社会信用代码').fill(OTHER_ENTERPRISE);
    await page.getByLabel('企业名称').fill('杭州失信科技有限公司');
    await page.getByLabel('券面金额（元）').fill('1000.00');
    await page.getByLabel('有效期至').fill('2027-12-31');
    await page.getByLabel('有效期至').press('Tab');
    await page.getByRole('button', { name: '发放', exact: true }).click();
    // The Chinese refusal under the field, and beside it the alert whose English detail names the listing.
    await page.getByText('该企业已被列入适用于本项目地区的失信或监管名单', { exact: false }).first().waitFor();
    await page.getByRole('alert').getByText('is on the watchlist of region', { exact: false }).waitFor();

    await openOversight(page, '监管名单');
    await row(page, 'watchlist', OTHER_ENTERPRISE)
      .getByRole('button', { name: `移出名单 ${OTHER_ENTERPRISE}` })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('移出理由').fill('已履行判决，信用修复');
    await dialog.getByRole('button', { name: '确认移出' }).click();
    await row(page, 'watchlist', OTHER_ENTERPRISE).getByText('已移出').waitFor();
    await expect(row(page, 'watchlist', OTHER_ENTERPRISE).getByRole('button').count()).resolves.toBe(0);

    // The province's auditor: the listing and its delisting, read-only, and the filters.
    const audit = await journey.newPage();
    await journey.signIn(audit, AUDITOR);
    await openOversight(audit, '监管名单');
    await expect(row(audit, 'watchlist', OTHER_ENTERPRISE).innerText()).resolves.toMatch(new RegExp(`已移出[\\s\\S]*${today}[\\s\\S]*已履行判决，信用修复`));
    await expect(audit.getByRole('button', { name: /移出名单/ }).count()).resolves.toBe(0);
    await audit.getByLabel('状态').click();
    await audit.locator('.ant-select-item-option').filter({ hasText: '在列' }).click();
    await audit.getByRole('button', { name: '查询' }).click();
    await audit.waitForURL(/status=active/);
    await row(audit, 'watchlist', OTHER_ENTERPRISE).waitFor({ state: 'detached' });
    await audit.getByLabel('状态').click();
    await audit.locator('.ant-select-item-option').filter({ hasText: '已移出' }).click();
    await audit.getByLabel('统一社会信用代码').fill(OTHER_ENTERPRISE);
    await audit.getByRole('button', { name: '查询' }).click();
    await row(audit, 'watchlist', OTHER_ENTERPRISE).waitFor();
    await journey.screenshot(audit, 'oversight-watchlist');

    expect((await ledger('watchlist.listed')).map((entry) => entry.data)).toEqual([
      expect.objectContaining({ region: '330100', uscc: OTHER_ENTERPRISE, source: '信用中国 严重失信主体名单', listedOn: today }),
    ]);
    expect((await ledger('watchlist.delisted')).map((entry) => entry.data)).toEqual([
      expect.objectContaining({ uscc: OTHER_ENTERPRISE, reason: '已履行判决，信用修复', delistedOn: today }),
    ]);
    expect(journey.pageErrors).toEqual([]);
    await page.close();
    await audit.close();
  });

  it('declares a group of three related enterprises, found again by any member', async () => {
    const members = [uscc(301), uscc(302), uscc(303)];
    const page = await journey.newPage();
    await journey.signIn(page, OFFICER);
    await openOversight(page, '关联方');
    const form = page.getByTestId('declare-group');
    await form.getByLabel('企业 1 统一社会信用代码').fill(members[0]!);
    await form.getByLabel('企业 2 统一社会信用代码').fill(members[1]!);
    await form.getByRole('button', { name: '添加企业' }).click();
    await form.getByLabel('企业 3 统一社会信用代码').fill(members[2]!);
    await form.getByLabel('管理', { exact: true }).check();
    await form.getByLabel('认定依据').fill('三家公司由同一实际控制人担任法定代表人');
    await form.getByRole('button', { name: '认定', exact: true }).click();
    const group = row(page, 'related-parties', members[0]!);
    await expect(group.innerText()).resolves.toMatch(/管理[\s\S]*同一实际控制人[\s\S]*杭州市 330100/);
    await expect(group.getByTestId('group-usccs').innerText()).resolves.toBe(members.join('\n'));

    // Found by its third member; not by an enterprise outside it.
    await page.locator('#relatedPartiesFilter_uscc').fill(members[2]!);
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(new RegExp(`uscc=${members[2]}`));
    await row(page, 'related-parties', members[0]!).waitFor();
    await page.locator('#relatedPartiesFilter_uscc').fill(ENTERPRISE);
    await page.getByRole('button', { name: '查询' }).click();
    await row(page, 'related-parties', members[0]!).waitFor({ state: 'detached' });

    const [entry] = await ledger('related_parties.declared');
    expect(entry!.data).toMatchObject({ region: '330100', relation: 'management', usccs: members });
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });

  it('draws a spot check anyone can re-draw, records a failed and a passed result, and reverses the failed one', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, OFFICER, `programs/${spot.programId}`);
    const checks = page.getByTestId('spot-checks');
    await checks.getByLabel('抽查比例').fill('0.5');
    await checks.getByLabel('随机种子').fill('2026 第四季度抽查');
    await checks.getByRole('button', { name: '抽取' }).click();
    await page.waitForURL(/\/console\/spot-checks\/[^/]+$/);

    // 0.5 × 3 rounds half up to 2, in the order SHA-256(seed + id) gives.
    const drawn = redraw('2026 第四季度抽查', 50, spot.redemptions);
    expect(drawn).toHaveLength(2);
    const items = page.getByTestId('spot-check-items').locator('.ant-table-row');
    await items.nth(1).getByText(drawn[1]!.invoiceNumber).waitFor();
    await expect(items.nth(0).innerText()).resolves.toContain(drawn[0]!.invoiceNumber);
    await expect(items.count()).resolves.toBe(2);
    await expect(page.getByTestId('spot-check-seed').innerText()).resolves.toBe('2026 第四季度抽查');
    await expect(page.getByTestId('spot-check-terms').innerText()).resolves.toContain('50%（0.5）');
    await expect(page.getByTestId('spot-check-summary').innerText()).resolves.toMatch(/抽取笔数\s*2\s*\/ 3[\s\S]*已检查\s*0/);

    const record = async (invoice: string, outcome: '通过' | '不通过', reason: string) => {
      await items
        .filter({ hasText: invoice })
        .getByRole('button', { name: `登记结果 ${invoice}` })
        .click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(outcome, { exact: true }).check();
      await dialog.getByLabel('检查说明').fill(reason);
      await dialog.getByRole('button', { name: '登记', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
    };
    await record(drawn[0]!.invoiceNumber, '不通过', '发票与交付记录不符');
    const failed = items.filter({ hasText: drawn[0]!.invoiceNumber });
    await expect(failed.getByTestId('spot-check-outcome').innerText()).resolves.toContain('不通过\n发票与交付记录不符');
    await expect(page.getByTestId('spot-check-failed').innerText()).resolves.toContain('1');
    await expect(failed.getByTestId('failed-hint').innerText()).resolves.toContain('不通过：应冲销该笔兑付，追回补贴。');
    await record(drawn[1]!.invoiceNumber, '通过', '合同、发票与交付记录一致');
    await expect(page.getByTestId('spot-check-summary').innerText()).resolves.toMatch(/已检查\s*2[\s\S]*通过\s*1[\s\S]*不通过\s*1/);
    await journey.screenshot(page, 'oversight-spot-check');

    // The failed one is reversed from where it is flagged, with the console's reversal.
    await failed.getByRole('button', { name: `冲销 ${drawn[0]!.invoiceNumber}` }).click();
    const reversal = page.getByRole('dialog');
    await reversal.getByLabel('冲销执行金额（元）').fill('10000.00');
    await reversal.getByLabel('原因').fill('抽查不通过，全额冲销');
    await reversal.getByRole('button', { name: '提交冲销' }).click();
    await failed.getByText('已冲销部分或全部执行金额。').waitFor();

    const results = (await ledger('spot_check.result_recorded')).map((entry) => [entry.data['redemptionId'], entry.data['outcome']]);
    expect(results).toEqual([
      [drawn[0]!.id, 'failed'],
      [drawn[1]!.id, 'passed'],
    ]);
    await expect(journey.api<{ reversedAmount: string }>(issuer, `/v1/redemptions/${drawn[0]!.id}`)).resolves.toMatchObject({ reversedAmount: '10000.00' });

    // The program lists it with its summary.
    await page.getByRole('link', { name: '返回项目' }).click();
    await expect(page.getByTestId('spot-checks').locator('.ant-table-row').first().innerText()).resolves.toMatch(/50%[\s\S]*2 \/ 3[\s\S]*2（1 \/ 1）/);
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });
});
