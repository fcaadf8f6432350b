import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU, PROVIDER } from '../helpers/fixtures.js';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, type Journey, type LedgerPage, startJourney } from './browser.js';

describe.skipIf(!existsSync(CHROMIUM))('console: the provider journey', () => {
  let journey: Journey;
  let voucherId: string;
  beforeAll(async () => {
    journey = await startJourney();
    const issuer = await mintToken({ sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
    const program = await journey.post<{ id: string }>(issuer, '/v1/programs', { name: '杭州算力券 2026', kind: 'compute', budget: '100000000.00' });
    const voucher = await journey.post<{ id: string }>(issuer, '/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
      amount: '20000000.00',
      expiresOn: '2027-12-31',
    });
    voucherId = voucher.id;
  });
  afterAll(async () => journey?.close());

  it('registers a contract, redeems seeing the subsidy, and a second redemption cut by the annual cap says so in words', async () => {
    const page = await journey.newPage();
    const token = await journey.signIn(page, { sub: 'provider-ops', role: 'provider', org: PROVIDER });
    await expect(page.getByTestId('signed-in-role').innerText()).resolves.toBe('服务商');
    await expect(page.getByTestId('signed-in-scope').innerText()).resolves.toBe(PROVIDER);
    expect(new URL(page.url()).pathname).toBe('/console/redeem');

    await page.getByRole('menuitem', { name: '合同' }).click();
    await page.getByLabel('合同编号').fill('HT-2026-001');
    await page.getByLabel('受益企业统一社会信用代码').fill(ENTERPRISE);
    await page.getByLabel('合同金额（元）').fill('100000000.00');
    await page.getByLabel('签订日期').fill('2026-01-05');
    await page.getByLabel('签订日期').press('Tab');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByRole('cell', { name: 'HT-2026-001' }).waitFor();
    await expect(page.getByRole('row').filter({ hasText: 'HT-2026-001' }).innerText()).resolves.toContain('¥100,000,000.00');

    await page.getByRole('menuitem', { name: '核销', exact: true }).click();
    const redeem = async (amount: string, invoice: string) => {
      await page.getByLabel('补贴券编号').fill(voucherId);
      // The contract is picked with the keyboard: type to search, Enter to choose.
      await page.getByLabel('合同', { exact: true }).fill('HT-2026-001');
      await page.locator('.ant-select-item-option').filter({ hasText: 'HT-2026-001' }).waitFor();
      await page.getByLabel('合同', { exact: true }).press('Enter');
      await page.getByLabel('本次执行金额（元）').fill(amount);
      await page.getByLabel('发票号').fill(invoice);
      await page.getByRole('button', { name: '提交核销' }).click();
    };

    // 60,000,000.00 of non-autonomous compute at 10%: 6,000,000.00, within the 8,000,000.00 annual cap.
    await redeem('60000000.00', 'INV-001');
    const first = page.getByTestId('redemption-result');
    await first.getByText('补贴 ¥6,000,000.00', { exact: true }).waitFor();
    await expect(first.innerText()).resolves.toContain('未受限');
    await expect(first.innerText()).resolves.toContain('10%');

    // 30,000,000.00 more would earn 3,000,000.00, but only 2,000,000.00 of the cap is left.
    await redeem('30000000.00', 'INV-002');
    const second = page.getByTestId('redemption-result');
    await second.getByText('补贴 ¥2,000,000.00', { exact: true }).waitFor();
    const words = await second.innerText();
    expect(words).toContain('按比例应补 ¥3,000,000.00，实际补贴 ¥2,000,000.00');
    expect(words).toContain('受年度上限限制');
    expect(words).toContain('¥12,000,000.00'); // the voucher's balance: 20,000,000.00 − 6,000,000.00 − 2,000,000.00
    await journey.screenshot(page, 'provider-redeem');

    // A refusal is explained in words: the same invoice again is a duplicate.
    await redeem('1000.00', 'INV-002');
    // (the problem names invoiceNumber: it is shown under that field)
    await page.locator('#invoiceNumber_help').getByText('此发票号码已被兑付使用过：发票号码全国唯一。', { exact: false }).waitFor();

    // What the ledger holds.
    const auditor = await mintToken({ sub: 'audit-zj', role: 'auditor', region: '330000' });
    const ledger = await journey.api<LedgerPage>(auditor, '/v1/ledger?limit=100');
    const redemptions = ledger.entries.filter((entry) => entry.type === 'redemption.recorded');
    expect(redemptions.map((entry) => [entry.data['subsidy'], entry.data['limitedBy']])).toEqual([
      ['6000000.00', null],
      ['2000000.00', 'annual_cap'],
    ]);
    const voucher = await journey.api<{ balance: string }>(await mintToken({ role: 'issuer', region: HANGZHOU }), `/v1/vouchers/${voucherId}`);
    expect(voucher.balance).toBe('12000000.00');

    // Its redemptions, with their settlement status.
    await page.getByRole('menuitem', { name: '核销记录' }).click();
    await page.getByRole('cell', { name: 'INV-002', exact: true }).waitFor();
    await expect(page.getByRole('row').filter({ hasText: 'INV-002' }).innerText()).resolves.toMatch(/¥2,000,000\.00[\s\S]*受年度上限限制[\s\S]*未支付/);
    await journey.screenshot(page, 'provider-journey');
    expect(token).toBeTruthy();
    expect(journey.pageErrors).toEqual([]);
  });
});
