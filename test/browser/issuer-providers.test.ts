// The provider register on /console/providers: an issuer registers a provider with its bank account and
// services through the form (a bad USCC and a bad account number are refused under their fields, and nothing is
// written), changes its bank account and services, suspends it with a reason and reads its history; the API holds
// the same.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANGZHOU, uscc } from '../helpers/fixtures.js';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, type Journey, startJourney } from './browser.js';

describe.skipIf(!existsSync(CHROMIUM))('console: the issuer keeps the provider register', () => {
  let journey: Journey;
  let issuer: string;
  beforeAll(async () => {
    journey = await startJourney();
    issuer = await mintToken({ sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
  });
  afterAll(async () => journey?.close());

  it('registers a provider through the form (a bad USCC and account number are refused next to their fields), changes its account and services, suspends it and shows its history', async () => {
    const registered = uscc(7);
    const page = await journey.newPage();
    await journey.signIn(page, { sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU }, 'providers');
    await page.getByRole('heading', { name: '服务商名录' }).waitFor();

    // A check character that does not match and an account number with separators: both refused by the API.
    const wrongCheck = registered.slice(0, 17) + (registered[17] === '0' ? '1' : '0');
    await page.getByLabel('统一社会信用代码').fill(wrongCheck);
    await page.getByLabel('名称', { exact: true }).fill('杭州云算服务有限公司');
    await page.getByLabel('开户银行').fill('中国工商银行杭州分行');
    await page.getByLabel('户名').fill('杭州云算服务有限公司');
    await page.getByLabel('账号').fill('1202-0212-0900');
    await page.getByLabel('服务编码 1').fill('GPU-A100');
    await page.getByLabel('服务名称 1').fill('A100 算力租用');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.locator('#uscc_help').filter({ hasText: '校验码符合 GB 32100-2015' }).waitFor();
    await page.locator('#bankAccount_accountNumber_help').filter({ hasText: '须为 8 至 32 位数字，不含空格或分隔符' }).waitFor();
    expect((await journey.api<{ registrations: unknown[] }>(issuer, '/v1/providers')).registrations).toEqual([]);

    await page.getByLabel('统一社会信用代码').fill(registered);
    await page.getByLabel('账号').fill('1202021209000012345');
    // From the keyboard this time: Enter in a field submits the form.
    await page.getByLabel('账号').press('Enter');
    const row = page.getByRole('row').filter({ hasText: registered });
    await row.waitFor();
    await expect(row.innerText()).resolves.toMatch(
      /杭州云算服务有限公司[\s\S]*中国工商银行杭州分行 · 杭州云算服务有限公司 · 1202021209000012345[\s\S]*GPU-A100 A100 算力租用[\s\S]*有效/,
    );
    await expect(page.getByLabel('统一社会信用代码').inputValue()).resolves.toBe(''); // the form is ready for the next one

    // A change (PUT): the form comes filled with what the register holds; a bad account number is refused under
    // the dialog's field and changes nothing; then a new account and a corpus service (no autonomy asked).
    await row.getByRole('button', { name: '变更 杭州云算服务有限公司' }).click();
    const change = page.getByRole('dialog', { name: `变更 杭州云算服务有限公司（${registered}）` });
    await expect(change.getByLabel('账号').inputValue()).resolves.toBe('1202021209000012345');
    await expect(change.getByLabel('服务编码 1').inputValue()).resolves.toBe('GPU-A100');
    await change.getByLabel('账号').fill('3301 0400 0000 0001');
    await change.getByRole('button', { name: '保存变更' }).click();
    await page.locator('#changeProvider_bankAccount_accountNumber_help').filter({ hasText: '须为 8 至 32 位数字' }).waitFor();
    expect((await journey.api<{ registrations: { version: number }[] }>(issuer, '/v1/providers')).registrations[0]?.version).toBe(1);
    await change.getByLabel('开户银行').fill('中国建设银行杭州分行');
    await change.getByLabel('账号').fill('33010400000000001');
    await change.getByRole('button', { name: '添加服务' }).click();
    await change.getByLabel('服务编码 2').fill('CORPUS-ZH');
    await change.getByLabel('服务名称 2').fill('中文行业语料');
    await expect(change.getByLabel('自主可控 2').isVisible()).resolves.toBe(true);
    await change.getByLabel('券种 2').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '语料券' }).click();
    await expect(change.getByLabel('自主可控 2').count()).resolves.toBe(0); // a corpus service has no autonomy
    await journey.screenshot(page, 'issuer-provider-change');
    await change.getByRole('button', { name: '保存变更' }).click();
    await change.waitFor({ state: 'hidden' });
    await row.getByText('中国建设银行杭州分行 · 杭州云算服务有限公司 · 33010400000000001').waitFor();
    await expect(row.innerText()).resolves.toMatch(/GPU-A100 A100 算力租用；CORPUS-ZH 中文行业语料[\s\S]*有效\s+2/);

    await row.getByRole('button', { name: '暂停 杭州云算服务有限公司' }).click();
    const dialog = page.getByRole('dialog', { name: '暂停 杭州云算服务有限公司' });
    await dialog.getByLabel('暂停原因').fill('收款账户待核实');
    await dialog.getByRole('button', { name: '确认暂停' }).click();
    await row.locator('.ant-tag').filter({ hasText: '已暂停' }).waitFor();
    await expect(row.innerText()).resolves.toMatch(/已暂停\s+3/);

    await row.getByRole('button', { name: '历史 杭州云算服务有限公司' }).click();
    const history = page.getByTestId('provider-history');
    await history.getByRole('cell', { name: '收款账户待核实' }).waitFor();
    const rows = await history.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^1\s+登记\s+有效\s+hz-officer-a[\s\S]*中国工商银行杭州分行 · 1202021209000012345$/);
    expect(rows[1]).toMatch(/^2\s+变更\s+有效\s+hz-officer-a[\s\S]*中国建设银行杭州分行 · 33010400000000001$/);
    expect(rows[2]).toMatch(/^3\s+暂停\s+已暂停\s+hz-officer-a[\s\S]*收款账户待核实/);
    await expect(page.getByRole('dialog', { name: '杭州云算服务有限公司 的登记历史（杭州市 330100）' }).isVisible()).resolves.toBe(true);
    // Closed with its close button: Escape reaches it only once focus has moved in, later on a loaded machine.
    await page
      .getByRole('dialog', { name: '杭州云算服务有限公司 的登记历史（杭州市 330100）' })
      .getByRole('button', { name: /^(Close|关闭)$/ })
      .click();
    await history.waitFor({ state: 'detached' });
    await journey.screenshot(page, 'issuer-provider-register');

    const api = await journey.api<{ registrations: { uscc: string; status: string; version: number; bankAccount: unknown; services: unknown }[] }>(
      issuer,
      '/v1/providers',
    );
    expect(api.registrations).toEqual([
      expect.objectContaining({
        uscc: registered,
        region: HANGZHOU,
        status: 'suspended',
        version: 3,
        bankAccount: { bankName: '中国建设银行杭州分行', accountName: '杭州云算服务有限公司', accountNumber: '33010400000000001' },
        services: [
          { code: 'GPU-A100', name: 'A100 算力租用', kind: 'compute', autonomous: false },
          { code: 'CORPUS-ZH', name: '中文行业语料', kind: 'corpus', autonomous: null },
        ],
      }),
    ]);
    const changes = await journey.api<{ changes: { version: number; action: string; reason: string | null }[] }>(
      issuer,
      `/v1/providers/${registered}/history?region=${HANGZHOU}`,
    );
    expect(changes.changes.map((change) => [change.version, change.action, change.reason])).toEqual([
      [1, 'registered', null],
      [2, 'replaced', null],
      [3, 'suspended', '收款账户待核实'],
    ]);
    expect(journey.pageErrors).toEqual([]);
  });
});
