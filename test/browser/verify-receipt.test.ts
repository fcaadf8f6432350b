// 验证 (decision 0045): a provider checks its redemption in the browser against the public log — the entry's hash
// recomputed, the public checkpoint's Ed25519 signature checked with the public log key, the inclusion proof and the
// consistency of an earlier signed tree — and a forged checkpoint (one root byte changed on the way) fails it, which
// the page cannot fake: the signature is over the root. The audit page shows the public checkpoint and the log key.
import { existsSync } from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANGZHOU, PROVIDER } from '../helpers/fixtures.js';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, type Journey, startJourney } from './browser.js';
import { createContract, issueVoucher } from './claims.js';

/** The lines of a finished report, and its overall result. */
async function report(scope: Locator) {
  await scope.getByTestId('verify-result').waitFor();
  const steps = scope.getByTestId('verify-step');
  const lines: { status: string | null; text: string }[] = [];
  for (const step of await steps.all()) lines.push({ status: await step.getAttribute('data-status'), text: await step.innerText() });
  return { lines, result: await scope.getByTestId('verify-result').getAttribute('data-status') };
}

/** The dialog a 验证 button opens, after the button is clicked. */
async function openVerification(page: Page, name: string) {
  await page.getByRole('button', { name, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  return dialog;
}

async function closeDialog(page: Page) {
  await page.getByRole('dialog').locator('.ant-modal-footer').getByRole('button', { name: '关闭', exact: true }).click();
  await page.getByRole('dialog').waitFor({ state: 'hidden' });
}

describe.skipIf(!existsSync(CHROMIUM))('console: verifying a redemption against the public log', () => {
  let journey: Journey;
  let voucherId: string;
  let logKey: string;
  let issuer: string;
  let programId: string;
  beforeAll(async () => {
    journey = await startJourney();
    issuer = await mintToken({ sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
    const provider = await mintToken({ sub: 'provider-ops', role: 'provider', org: PROVIDER });
    const program = await journey.post<{ id: string }>(issuer, '/v1/programs', { name: '杭州算力券 2026', kind: 'compute', budget: '10000000.00' });
    programId = program.id;
    voucherId = (await issueVoucher(journey, issuer, program.id)).id;
    await createContract(journey, provider, 'HT-VERIFY-001');
    logKey = (await (await fetch(`${journey.server.url}/v1/public/log-key`)).text()).trim();
  });
  afterAll(async () => journey?.close());

  it('redeems, shows the receipt, and every check of 验证 passes; the redemptions page checks it again', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, { sub: 'provider-ops', role: 'provider', org: PROVIDER });
    // Public reads go without a token.
    const publicAuthorization: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/v1/public/')) publicAuthorization.push(request.headers()['authorization']);
    });

    await page.getByLabel('补贴券编号').fill(voucherId);
    await page.getByLabel('合同', { exact: true }).fill('HT-VERIFY-001');
    await page.locator('.ant-select-item-option').filter({ hasText: 'HT-VERIFY-001' }).waitFor();
    await page.getByLabel('合同', { exact: true }).press('Enter');
    await page.getByLabel('本次执行金额（元）').fill('10000.00');
    await page.getByLabel('发票号').fill('INV-V-001');
    await page.getByRole('button', { name: '提交核销' }).click();
    const result = page.getByTestId('redemption-result');
    await result.getByText('补贴 ¥3,000.00', { exact: true }).waitFor();

    // The receipt: the tree it was signed in, and the entry's leaf (seq − 1).
    const redemptions = await journey.api<{ items: { ledgerSeq: number; invoiceNumber: string }[] }>(
      await mintToken({ sub: 'provider-ops', role: 'provider', org: PROVIDER }),
      '/v1/redemptions',
    );
    const seq = redemptions.items.find((item) => item.invoiceNumber === 'INV-V-001')!.ledgerSeq;
    // signed at the head of its batch: this redemption alone
    await expect(result.getByTestId('receipt-tree-size').innerText()).resolves.toBe(String(seq));
    await expect(result.getByTestId('receipt-leaf-index').innerText()).resolves.toBe(String(seq - 1));

    // The ledger moves on: the receipt's tree is then a proper prefix of the latest one.
    await issueVoucher(journey, issuer, programId, '1000.00');

    let dialog = await openVerification(page, `验证回执 #${seq}`);
    let checked = await report(dialog);
    expect(checked.result).toBe('ok');
    expect(checked.lines.map((line) => line.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const text = checked.lines.map((line) => line.text).join('\n');
    expect(text).toContain(`✓ 账本分录哈希一致（#${seq}`);
    expect(text).toContain(`✓ 检查点签名有效（日志公钥 ${logKey.split('+').slice(0, 2).join('+')}`);
    expect(text).toMatch(/✓ 已包含在树大小为 \d+ 的最新检查点中/);
    expect(text).toContain('✓ 回执检查点签名有效');
    expect(text).toContain(`✓ 与最新检查点一致（树大小 ${seq} → ${seq + 1}）`);
    await expect(dialog.getByTestId('verify-result').innerText()).resolves.toContain('验证通过');
    await journey.screenshot(page, 'provider-verify-receipt');
    await closeDialog(page);

    // Later, from the list, without the receipt: the checkpoint signed at the entry's seq stands in for it.
    await page.getByRole('menuitem', { name: '核销记录' }).click();
    dialog = await openVerification(page, '验证 INV-V-001');
    checked = await report(dialog);
    expect(checked.result).toBe('ok');
    expect(checked.lines.map((line) => line.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(checked.lines[3]!.text).toContain(`✓ 分录所在检查点签名有效（树大小 ${seq}）`);
    expect(checked.lines[4]!.text).toContain(`✓ 与最新检查点一致（树大小 ${seq} → ${seq + 1}）`);
    await closeDialog(page);

    expect(publicAuthorization.length).toBeGreaterThanOrEqual(5);
    expect(publicAuthorization.every((header) => header === undefined)).toBe(true);
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });

  it('fails the signature, and the whole check, when the public checkpoint arrives with one root byte changed', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, { sub: 'provider-ops', role: 'provider', org: PROVIDER }, 'redemptions');
    let forged = 0;
    await page.route('**/v1/public/checkpoint', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { note: string; rootHash: string };
      const [origin, size, root, ...rest] = body.note.split('\n');
      const bytes = Buffer.from(root!, 'base64');
      bytes[0] = bytes[0]! ^ 0x01;
      forged++;
      await route.fulfill({ response, json: { ...body, note: [origin, size, bytes.toString('base64'), ...rest].join('\n') } });
    });
    const dialog = await openVerification(page, '验证 INV-V-001');
    const checked = await report(dialog);
    expect(forged).toBeGreaterThan(0);
    expect(checked.result).toBe('fail');
    expect(checked.lines[0]).toMatchObject({ status: 'ok' }); // the entry itself is as hashed
    expect(checked.lines[1]).toMatchObject({ status: 'fail' });
    expect(checked.lines[1]!.text).toContain('✗ 检查点签名无效');
    // Its root is not the tree's either: neither the inclusion nor the consistency proof reaches it.
    expect(checked.lines[2]).toMatchObject({ status: 'fail' });
    expect(checked.lines.at(-1)).toMatchObject({ status: 'fail' });
    await expect(dialog.getByTestId('verify-result').innerText()).resolves.toContain('验证未通过');
    await journey.screenshot(page, 'provider-verify-forged-checkpoint');
    await closeDialog(page);

    // The true checkpoint again, but none signed at the entry's seq: consistency is said not to be checked.
    await page.unroute('**/v1/public/checkpoint');
    await page.route('**/v1/public/checkpoints/*', (route) =>
      route.fulfill({ status: 404, contentType: 'application/problem+json', json: { status: 404, code: 'not_found', detail: 'no checkpoint' } }),
    );
    const again = await report(await openVerification(page, '验证 INV-V-001'));
    expect(again.lines.map((line) => line.status)).toEqual(['ok', 'ok', 'ok', 'skipped']);
    expect(again.lines[3]!.text).toContain('未检查一致性');
    expect(again.result).toBe('ok');
    await closeDialog(page);
    await page.close();
  });

  it('shows the auditor the public checkpoint and the log key, in both languages', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, { sub: 'audit-zj', role: 'auditor', region: '330000' }, 'audit');
    const card = page.getByTestId('public-log');
    await expect(card.getByTestId('public-log-key').innerText()).resolves.toBe(logKey);
    const link = card.getByRole('link', { name: '查看公开检查点（/v1/public/checkpoint）' });
    await expect(link.getAttribute('href')).resolves.toBe('/v1/public/checkpoint');
    await expect(card.innerText()).resolves.toContain('任何人无需账号即可读取公开检查点');
    // The link opens the note itself, for anyone.
    const note = await (await fetch(new URL((await link.getAttribute('href'))!, journey.server.url))).text();
    expect(note.split('\n')[0]).toBe(logKey.split('+')[0]);

    await page.getByLabel('语言 / Language').click();
    await page.getByText('English', { exact: true }).click();
    await card.getByRole('link', { name: 'See the public checkpoint (/v1/public/checkpoint)' }).waitFor();
    await expect(card.innerText()).resolves.toContain('Anyone can read the public checkpoint without an account');
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });
});
