// Decisions 0044 and 0047 through the console (事件推送): a provider subscribes a local receiver to its claim events,
// is shown the secret once, sees a claim's event delivered by the server's poller (WEBHOOK_POLL_MS) and verified
// with that secret, redelivers it with the same webhook-id, rotates the secret (the new one shown once, a delivery
// then verified with either for 24 hours), is refused a URL that is not http(s) under the URL field, and deletes the
// subscription. The server runs in test mode, where http:// to loopback is allowed.
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintToken } from '../helpers/test-app.js';
import { type Receiver, startReceiver, verified } from '../helpers/webhooks.js';
import { CHROMIUM, type Journey, startJourney, todayInShanghai } from './browser.js';
import { AUDITOR } from './oversight.js';
import { claimByApi, createClaimsProgram, createContract, issueVoucher, OFFICER, PROVIDER_OPS } from './claims.js';

/** An instant as the console writes times: YYYY-MM-DD HH:mm:ss in Asia/Shanghai. */
function shanghaiDateTime(ms: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('zh-CN', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(ms)
      .map((part) => [part.type, part.value]),
  );
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}`;
}

/** Waits until the receiver has `count` requests at `path`, for at most `ms`; those requests. */
async function untilReceived(page: Page, receiver: Receiver, path: string, count: number, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const received = receiver.received.filter((request) => request.path === path);
    if (received.length >= count) return received;
    if (Date.now() > deadline) throw new Error(`only ${received.length} of ${count} requests arrived at ${path}`);
    await page.waitForTimeout(100);
  }
}

/** Refreshes the delivery log until `row` shows `text`, for at most `ms` (the poller delivers within a second). */
async function untilLogShows(page: Page, text: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  const log = page.getByTestId('webhook-deliveries');
  for (;;) {
    await page.getByRole('button', { name: '刷新' }).click();
    await log.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
    if ((await log.locator('.ant-table-row').filter({ hasText: text }).count()) > 0) return;
    if (Date.now() > deadline) throw new Error(`the delivery log never showed ${text}: ${await log.innerText()}`);
    await page.waitForTimeout(250);
  }
}

describe.skipIf(!existsSync(CHROMIUM))('console: webhook subscriptions and their delivery log', () => {
  let journey: Journey;
  let receiver: Receiver;
  let issuer: string;
  let provider: string;

  beforeAll(async () => {
    journey = await startJourney();
    receiver = await startReceiver();
    issuer = await mintToken(OFFICER);
    provider = await mintToken(PROVIDER_OPS);
  });
  afterAll(async () => {
    await journey?.close();
    await receiver?.close();
  });

  it('a provider subscribes (a refused URL under its field first), keeps the secret, sees a claim delivered, redelivers it and deletes', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, PROVIDER_OPS);
    await page.getByRole('menuitem', { name: '事件推送' }).click();
    await page.waitForURL(/\/console\/webhooks$/);
    const form = page.getByTestId('webhook-create');
    await form.getByLabel('接收地址（URL）').waitFor();
    // A provider is offered its claims and payments only: no voucher or application events.
    await expect(form.getByRole('checkbox').count()).resolves.toBe(7);
    await expect(form.getByText('voucher.granted').count()).resolves.toBe(0);

    // Refused by the API's URL policy: the Chinese message under the URL field.
    await form.getByLabel('接收地址（URL）').fill('ftp://x');
    await form.getByLabel(/核销提交/).check();
    await form.getByRole('button', { name: '创建订阅' }).click();
    await form.locator('#webhookCreate_url_help').getByText('须为 http:// 或 https:// 地址').waitFor();

    await form.getByLabel('接收地址（URL）').fill(receiver.url('/provider'));
    await form.getByLabel(/核销审核结果/).check();
    await form.getByLabel('说明（可选）').fill('计费系统');
    await form.getByRole('button', { name: '创建订阅' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('密钥只显示这一次，关闭后无法再次查看。').waitFor();
    const secret = await dialog.getByTestId('webhook-secret').innerText();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    await expect(dialog.getByTestId('webhook-snippet').innerText()).resolves.toBe(
      [
        "import { Webhook } from 'standardwebhooks';",
        `const wh = new Webhook('${secret}');`,
        'const event = wh.verify(rawBody, headers); // throws if forged or stale',
      ].join('\n'),
    );
    await expect(dialog.getByRole('button', { name: '复制密钥' }).count()).resolves.toBe(1);
    await journey.screenshot(page, 'webhooks-secret');
    await dialog.getByRole('button', { name: '我已保存' }).click();
    await dialog.waitFor({ state: 'detached' });

    // The list: the URL, its events by name and code, active; the secret is nowhere on the page any more.
    const row = page
      .getByTestId('webhooks')
      .locator('.ant-table-row')
      .filter({ hasText: receiver.url('/provider') });
    await expect(row.innerText()).resolves.toMatch(
      /计费系统[\s\S]*核销提交 claim\.submitted[\s\S]*核销审核结果 claim\.decided[\s\S]*启用中[\s\S]*provider-ops/,
    );
    await expect(page.getByText(secret).count()).resolves.toBe(0);
    const [subscription] = (await journey.api<{ items: { id: string; events: string[]; url: string }[] }>(provider, '/v1/webhooks')).items;
    expect(subscription).toMatchObject({ url: receiver.url('/provider'), events: ['claim.submitted', 'claim.decided'] });

    // A claim by this provider: claim.submitted, delivered by the server's poller.
    const program = await createClaimsProgram(journey, issuer);
    const voucher = await issueVoucher(journey, issuer, program.id);
    const contract = await createContract(journey, provider, 'HT-HOOK-001');
    const claim = await claimByApi(journey, provider, {
      voucherId: voucher.id,
      contractId: contract.id,
      executedAmount: '10000.00',
      executedOn: todayInShanghai(),
      invoiceNumber: 'INV-HOOK-001',
    });
    await row.getByRole('link', { name: '投递记录' }).click();
    await page.waitForURL(new RegExp(`/console/webhooks/${subscription!.id}$`));
    await expect(page.getByTestId('webhook-subscription').innerText()).resolves.toMatch(/启用中[\s\S]*计费系统[\s\S]*核销提交 claim\.submitted/);
    await untilLogShows(page, '已送达');
    const delivered = page.getByTestId('webhook-deliveries').locator('.ant-table-row').filter({ hasText: '已送达' });
    await expect(delivered.innerText()).resolves.toMatch(/核销提交 claim\.submitted[\s\S]*已送达[\s\S]*1[\s\S]*HTTP 204/);
    await journey.screenshot(page, 'webhooks-deliveries');

    // What the receiver got verifies with the secret the dialog showed, once.
    const received = receiver.received.filter((request) => request.path === '/provider');
    expect(received).toHaveLength(1);
    const event = verified(received[0]!, secret, new Date());
    expect(event).toMatchObject({ type: 'claim.submitted', data: { redemptionId: claim.id } });

    // Sent again with the same webhook-id; the log shows it delivered again.
    await delivered.getByRole('button', { name: /^重新投递 msg_/ }).click();
    const [first, second] = await untilReceived(page, receiver, '/provider', 2);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    await untilLogShows(page, '已送达');

    // The secret rotated after a confirmation: the new one shown once, as at creation; the old one still signs for
    // 24 hours, until the time the dialog gives.
    const card = page.getByTestId('webhook-subscription');
    await card.getByRole('button', { name: '轮换密钥' }).click();
    const confirmRotation = page.getByRole('dialog').filter({ hasText: '轮换签名密钥' });
    await confirmRotation.getByText(/24 小时内旧密钥仍然有效/).waitFor();
    await confirmRotation.getByRole('button', { name: '确认轮换' }).click();
    const rotatedDialog = page.getByRole('dialog').filter({ hasText: '密钥已轮换' });
    await rotatedDialog.getByText('密钥只显示这一次，关闭后无法再次查看。').waitFor();
    const rotated = await rotatedDialog.getByTestId('webhook-secret').innerText();
    expect(rotated).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    expect(rotated).not.toBe(secret);
    await expect(rotatedDialog.getByTestId('webhook-snippet').innerText()).resolves.toContain(`const wh = new Webhook('${rotated}');`);
    const { secretRotatedAt } = await journey.api<{ secretRotatedAt: string }>(provider, `/v1/webhooks/${subscription!.id}`);
    const until = shanghaiDateTime(Date.parse(secretRotatedAt) + 86_400_000);
    await expect(rotatedDialog.getByTestId('webhook-previous-secret').innerText()).resolves.toBe(
      `24 小时内旧密钥仍然有效：${until} 之前的推送同时附上新旧两个签名，此后只以新密钥签名。`,
    );
    await journey.screenshot(page, 'webhooks-rotated');
    await rotatedDialog.getByRole('button', { name: '我已保存' }).click();
    await rotatedDialog.waitFor({ state: 'detached' });
    await expect(page.getByText(rotated).count()).resolves.toBe(0);
    await card.getByText(shanghaiDateTime(Date.parse(secretRotatedAt))).waitFor();

    // Sent again now: two signatures, and the receiver verifies with either secret.
    await delivered.getByRole('button', { name: /^重新投递 msg_/ }).click();
    const third = (await untilReceived(page, receiver, '/provider', 3))[2]!;
    expect(String(third.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verified(third, rotated, new Date())).toMatchObject({ type: 'claim.submitted', data: { redemptionId: claim.id } });
    expect(verified(third, secret, new Date())).toMatchObject({ type: 'claim.submitted', data: { redemptionId: claim.id } });
    await untilLogShows(page, '已送达');

    // The status filter: nothing pending or failed.
    await page.getByLabel('投递状态').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '已失败' }).click();
    await page.waitForURL(/status=failed/);
    await page.getByTestId('webhook-deliveries').locator('.ant-table-row').first().waitFor({ state: 'detached' });

    // Deleted after a confirmation: deleted in the list, no delete button any more.
    await page.getByRole('link', { name: '返回订阅列表' }).click();
    await row.getByRole('button', { name: `删除订阅 ${receiver.url('/provider')}` }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByText('尚未投递的推送将取消').waitFor();
    await confirm.getByRole('button', { name: '确认删除' }).click();
    await row.getByText('已删除').waitFor();
    await expect(row.getByRole('button').count()).resolves.toBe(0);
    await expect(journey.api<{ status: string }>(provider, `/v1/webhooks/${subscription!.id}`)).resolves.toMatchObject({ status: 'disabled' });
    // A deleted subscription's page offers neither rotation nor deletion.
    await row.getByRole('link', { name: '投递记录' }).click();
    await card.getByText('已删除').waitFor();
    await expect(card.getByRole('button').count()).resolves.toBe(0);
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });

  it('an issuer is offered every event type; an auditor has no 事件推送 entry', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, OFFICER);
    // The issuer's header is full: the entry is under its overflow (…).
    await page.locator('.ant-menu-overflow-item-rest').hover();
    await page.getByRole('menuitem', { name: '事件推送' }).click();
    await page.getByTestId('webhook-create').getByLabel('接收地址（URL）').waitFor();
    await expect(page.getByTestId('webhook-create').getByRole('checkbox').count()).resolves.toBe(12);
    const audit = await journey.newPage();
    await journey.signIn(audit, AUDITOR);
    await expect(audit.getByRole('menuitem', { name: '事件推送' }).count()).resolves.toBe(0);
    expect(journey.pageErrors).toEqual([]);
    await page.close();
    await audit.close();
  });
});
