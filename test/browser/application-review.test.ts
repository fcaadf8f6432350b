import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU } from '../helpers/fixtures.js';
import type { Claims } from '../helpers/test-app.js';
import { mintToken } from '../helpers/test-app.js';
import { addDays, type ApplicationAnswer, applyByApi, CONTACT } from './applications.js';
import { CHROMIUM, clockFrom, type Journey, type JourneyClock, startJourney, todayInShanghai } from './browser.js';

const OFFICER_A: Claims = { sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU };
const OFFICER_B: Claims = { sub: 'hz-officer-b', role: 'issuer', region: HANGZHOU };
const COMPANY: Claims = { sub: 'szkj-finance', role: 'enterprise', org: ENTERPRISE };

// The journey starts on Monday 2026-03-02 on the server's clock (the program, the reviews, the notice), and moves
// thirty days on to grant: by then the five-working-day notice has ended.
describe.skipIf(!existsSync(CHROMIUM))('console: reviewing an application, its notice, and the grant', () => {
  let journey: Journey;
  let clock: JourneyClock;
  let today: string;
  beforeAll(async () => {
    clock = clockFrom('2026-03-02');
    journey = await startJourney({ clock });
    today = todayInShanghai(clock);
  });
  afterAll(async () => journey?.close());

  const status = (page: Page, text: string) => page.getByTestId('application-status').filter({ hasText: text }).waitFor();

  it('creates a program that takes applications; officer A first-approves, B final-approves, an objection is resolved, and the voucher is granted after the notice', async () => {
    // The program, with its application window, notice length and contact.
    const page = await journey.newPage();
    await journey.signIn(page, OFFICER_A, 'programs');
    await page.getByLabel('项目名称').fill('杭州算力券 2026（申报）');
    await page.getByLabel('预算（元）').fill('10000000.00');
    await page.getByLabel('申报审核').check();
    await page.getByLabel('申报开始日期').fill(addDays(today, -1));
    await page.getByLabel('申报开始日期').press('Tab');
    await page.getByLabel('申报截止日期').fill(addDays(today, 20));
    await page.getByLabel('申报截止日期').press('Tab');
    await expect(page.getByLabel('公示工作日数').inputValue()).resolves.toBe('5');
    await page.getByLabel('异议受理部门').fill(CONTACT.office);
    await page.getByLabel('联系电话').fill(CONTACT.telephone);
    await page.getByRole('button', { name: '创建项目' }).click();
    await page.waitForURL(/\/console\/programs\/[^/]+$/);
    const programId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByText(`${addDays(today, -1)} – ${addDays(today, 20)}`).waitFor();
    await page.getByText(`${CONTACT.office}，电话 ${CONTACT.telephone}`).waitFor();
    await page.getByRole('button', { name: '前往申报审核' }).waitFor();

    const company = await mintToken(COMPANY);
    const application = await applyByApi(journey, company, programId, '杭州深算科技有限公司', '500000.00');

    // Officer A: the queue of first reviews, the application, approved.
    await page.getByRole('menuitem', { name: '申报审核' }).click();
    await page.getByRole('tab', { name: '待初审' }).waitFor();
    await page.getByRole('link', { name: '杭州深算科技有限公司' }).click();
    await page.waitForURL(`**/console/reviews/${application.id}`);
    await status(page, '已提交');
    await page.getByLabel('审核意见').fill('材料齐全，同意');
    await page.getByRole('button', { name: '初审通过' }).click();
    await status(page, '初审通过');
    // The same officer cannot take the final review: the server's four-eyes refusal, in Chinese.
    await page.getByLabel('审核意见').fill('同意');
    await page.getByRole('button', { name: '复审通过' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'four_eyes' });
    await refusal.waitFor();
    await expect(refusal.innerText()).resolves.toContain('复审须由初审通过人以外的另一名工作人员作出');
    await journey.screenshot(page, 'review-four-eyes');

    // Officer B: the final review, approving less than asked.
    const other = await journey.newPage();
    await journey.signIn(other, OFFICER_B, 'reviews?tab=final');
    await other.getByRole('link', { name: '杭州深算科技有限公司' }).click();
    await other.getByLabel('核定金额（元，可低于申请金额）').fill('600000.00');
    await other.getByLabel('审核意见').fill('核减部分非算力支出');
    await other.getByRole('button', { name: '复审通过' }).click();
    await other.getByText('核定金额不得高于申请金额').waitFor();
    await other.getByLabel('核定金额（元，可低于申请金额）').fill('400000.00');
    await other.getByRole('button', { name: '复审通过' }).click();
    await status(other, '公示中/已通过');
    await expect(other.getByTestId('approved-amount').innerText()).resolves.toBe('¥400,000.00');
    const approved = await journey.api<ApplicationAnswer>(company, `/v1/applications/${application.id}`);
    expect(approved).toMatchObject({ status: 'approved', approvedAmount: '400000.00' });
    const notice = approved.notice!;
    await expect(other.getByTestId('application-notice').innerText()).resolves.toContain(`${notice.startsOn} – ${notice.endsOn}`);
    await expect(other.getByTestId('application-history').innerText()).resolves.toMatch(
      /初审通过[\s\S]*发放机构 hz-officer-a[\s\S]*复审通过，核定金额 ¥400,000\.00[\s\S]*发放机构 hz-officer-b[\s\S]*理由：核减部分非算力支出/,
    );

    // An objection holds it; dismissed, the notice goes on.
    await other.getByRole('button', { name: '登记异议' }).click();
    await other.getByLabel('异议内容摘要').fill('来电反映该企业与服务商存在关联关系');
    await other.getByRole('button', { name: '登记', exact: true }).click();
    await status(other, '异议处理中');
    await other.getByText('有未处理的异议，处理完毕后方可发券。').waitFor();
    await expect(other.getByRole('button', { name: '发放补贴券' }).isDisabled()).resolves.toBe(true);
    await other.getByRole('button', { name: '处理异议' }).click();
    await other.getByLabel('异议不成立（继续公示）').check();
    await other.getByLabel('处理理由').fill('经核查，双方无股权或任职关联');
    await other.getByRole('button', { name: '提交', exact: true }).click();
    await status(other, '公示中/已通过');
    await expect(other.getByTestId('objections').innerText()).resolves.toMatch(/来电反映[\s\S]*异议不成立[\s\S]*经核查/);

    // The server's today is still within the notice: the grant is refused, and says why.
    await other.getByRole('button', { name: '发放补贴券' }).click();
    const early = other.getByRole('alert').filter({ hasText: 'notice_open' });
    await early.waitFor();
    await expect(early.innerText()).resolves.toContain('公示期结束后的次日起方可发券');

    // Thirty days on, the notice has ended: the voucher is granted for the approved amount.
    clock.shift(30);
    await other.getByRole('button', { name: '发放补贴券' }).click();
    const granted = other.getByTestId('granted');
    await granted.waitFor();
    await expect(granted.innerText()).resolves.toContain('¥400,000.00');
    await status(other, '已发券');
    await expect(other.getByTestId('application-history').innerText()).resolves.toMatch(/异议处理：异议不成立[\s\S]*发放补贴券/);
    await journey.screenshot(other, 'review-granted');
    const answer = await journey.api<{ voucherId: string }>(company, `/v1/applications/${application.id}`);
    const voucher = await journey.api<{ amount: string; beneficiary: { uscc: string } }>(company, `/v1/vouchers/${answer.voucherId}`);
    expect(voucher).toMatchObject({ amount: '400000.00', beneficiary: { uscc: ENTERPRISE } });

    // The queue's tabs: in notice no more, granted now.
    await other.goto(`${journey.server.url}/console/reviews?tab=granted`);
    await other.getByRole('link', { name: '杭州深算科技有限公司' }).waitFor();
    await other.getByRole('tab', { name: '公示中' }).click();
    await other.locator('.ant-empty-description').filter({ hasText: '暂无数据' }).waitFor();
    await expect(other.getByRole('link', { name: '杭州深算科技有限公司' }).count()).resolves.toBe(0);

    // The enterprise sees the voucher and the whole history.
    const mine = await journey.newPage();
    await journey.signIn(mine, COMPANY, 'vouchers');
    await mine.getByTestId('vouchers-balance').getByText('¥400,000.00').waitFor();
    await mine.goto(`${journey.server.url}/console/applications/${application.id}`);
    await status(mine, '已发券');
    await mine.getByRole('link', { name: answer.voucherId }).waitFor();

    expect(journey.pageErrors).toEqual([]);
  });
});
