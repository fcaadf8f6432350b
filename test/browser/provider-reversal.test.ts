// The provider reverses part of a redemption on /console/redemptions: the list shows what was reversed and the
// net subsidy, the ledger holds one `redemption.reversed` entry with the clawback, and a reversal beyond what
// was executed is refused in words and changes nothing.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU, PROVIDER } from '../helpers/fixtures.js';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, type Journey, type LedgerPage, startJourney, todayInShanghai } from './browser.js';

interface Redemption {
  id: string;
  invoiceNumber: string;
  subsidy: string;
  reversedAmount: string;
  clawedBack: string;
  netSubsidy: string;
}

describe.skipIf(!existsSync(CHROMIUM))('console: the provider reverses a redemption', () => {
  let journey: Journey;
  let issuer: string;
  let provider: string;
  let voucherId: string;
  beforeAll(async () => {
    journey = await startJourney();
    issuer = await mintToken({ sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
    provider = await mintToken({ sub: 'provider-ops', role: 'provider', org: PROVIDER });
    const program = await journey.post<{ id: string }>(issuer, '/v1/programs', { name: '杭州算力券 2026', kind: 'compute', budget: '100000000.00' });
    const voucher = await journey.post<{ id: string }>(issuer, '/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
      amount: '20000000.00',
      expiresOn: '2027-12-31',
    });
    voucherId = voucher.id;
    const contract = await journey.post<{ id: string }>(provider, '/v1/contracts', {
      number: 'HT-2026-301',
      beneficiaryUscc: ENTERPRISE,
      kind: 'compute',
      autonomous: false,
      amount: '100000000.00',
      signedOn: '2026-01-05',
    });
    const redeem = (executedAmount: string, invoiceNumber: string) =>
      journey.post<{ subsidy: string }>(provider, '/v1/redemptions', {
        voucherId,
        contractId: contract.id,
        executedAmount,
        executedOn: todayInShanghai(),
        invoiceNumber,
      });
    // Non-autonomous compute at 10%.
    await expect(redeem('30000000.00', 'INV-301')).resolves.toMatchObject({ subsidy: '3000000.00' });
    await expect(redeem('5000000.00', 'INV-302')).resolves.toMatchObject({ subsidy: '500000.00' });
  });
  afterAll(async () => journey?.close());

  it('reverses a third of a redemption with a reason (a double click writes once); the list and the ledger show the clawback', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, { sub: 'provider-ops', role: 'provider', org: PROVIDER }, 'redemptions');
    const row = page.getByRole('row').filter({ hasText: 'INV-301' });
    await row.waitFor();
    await expect(row.innerText()).resolves.toMatch(/¥30,000,000\.00\s+10%\s+¥3,000,000\.00\s+¥0\.00\s+¥0\.00\s+¥3,000,000\.00/);

    await row.getByRole('button', { name: '冲销 INV-301' }).click();
    const dialog = page.getByRole('dialog', { name: '冲销核销（发票 INV-301）' });
    await expect(dialog.innerText()).resolves.toContain('执行金额 ¥30,000,000.00 · 已冲销 ¥0.00');
    await dialog.getByLabel('冲销执行金额（元）').fill('10000000.00');
    await dialog.getByLabel('原因').fill('合同部分终止，退回三分之一服务');
    await dialog.getByRole('button', { name: '提交冲销' }).dblclick();
    await dialog.waitFor({ state: 'hidden' });
    // 3,000,000.00 − floor(3,000,000.00 × 20,000,000.00 / 30,000,000.00) = 1,000,000.00 clawed back.
    await row.getByText('¥2,000,000.00', { exact: true }).waitFor();
    await expect(row.innerText()).resolves.toMatch(/¥30,000,000\.00\s+10%\s+¥3,000,000\.00\s+¥10,000,000\.00\s+¥1,000,000\.00\s+¥2,000,000\.00/);
    await expect(page.getByRole('row').filter({ hasText: 'INV-302' }).innerText()).resolves.toMatch(/¥500,000\.00\s+¥0\.00\s+¥0\.00\s+¥500,000\.00/);

    // 25,000,000.00 more would pass the 30,000,000.00 executed: refused in words, in the dialog, and nothing moves.
    await row.getByRole('button', { name: '冲销 INV-301' }).click();
    await expect(dialog.innerText()).resolves.toContain('执行金额 ¥30,000,000.00 · 已冲销 ¥10,000,000.00');
    await dialog.getByLabel('冲销执行金额（元）').fill('25000000.00');
    await dialog.getByLabel('原因').fill('再次冲销');
    await dialog.getByRole('button', { name: '提交冲销' }).click();
    await dialog.getByText(/reversal_exceeds_redemption/).waitFor();
    await expect(dialog.innerText()).resolves.toContain('累计冲销金额将超过该笔兑付的执行金额');
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(row.innerText()).resolves.toMatch(/¥10,000,000\.00\s+¥1,000,000\.00\s+¥2,000,000\.00/);
    await journey.screenshot(page, 'provider-reversal');

    // What the API and the ledger hold: one reversal, its clawback back on the (still active) voucher.
    const redemptions = await journey.api<{ items: Redemption[] }>(provider, '/v1/redemptions');
    expect(redemptions.items.find((r) => r.invoiceNumber === 'INV-301')).toMatchObject({
      subsidy: '3000000.00',
      reversedAmount: '10000000.00',
      clawedBack: '1000000.00',
      netSubsidy: '2000000.00',
    });
    expect(redemptions.items.find((r) => r.invoiceNumber === 'INV-302')).toMatchObject({ reversedAmount: '0.00', netSubsidy: '500000.00' });
    const auditor = await mintToken({ sub: 'audit-zj', role: 'auditor', region: '330000' });
    const reversals = (await journey.api<LedgerPage>(auditor, '/v1/ledger?limit=1000')).entries.filter((entry) => entry.type === 'redemption.reversed');
    expect(reversals).toHaveLength(1); // the double click wrote once, the refusal not at all
    expect(reversals[0]!.data).toMatchObject({
      providerUscc: PROVIDER,
      voucherId,
      reason: '合同部分终止，退回三分之一服务',
      redemptionExecutedAmount: '30000000.00',
      redemptionSubsidy: '3000000.00',
      executedAmount: '10000000.00',
      reversedAfter: '10000000.00',
      clawback: '1000000.00',
      returnedTo: 'voucher',
    });
    expect(reversals[0]!.postings).toEqual(
      expect.arrayContaining([
        { account: `payable:${PROVIDER}`, amount: '-1000000.00' },
        { account: `voucher:${voucherId}`, amount: '1000000.00' },
      ]),
    );
    // 20,000,000.00 − 3,000,000.00 − 500,000.00 + 1,000,000.00
    expect((await journey.api<{ balance: string }>(issuer, `/v1/vouchers/${voucherId}`)).balance).toBe('17500000.00');
    expect(journey.pageErrors).toEqual([]);
  });

  it('offers no reverse button once the whole execution has been reversed', async () => {
    const page = await journey.newPage();
    await journey.signIn(page, { sub: 'provider-ops', role: 'provider', org: PROVIDER }, 'redemptions');
    const row = page.getByRole('row').filter({ hasText: 'INV-302' });
    await row.getByRole('button', { name: '冲销 INV-302' }).click();
    const dialog = page.getByRole('dialog', { name: '冲销核销（发票 INV-302）' });
    await dialog.getByLabel('冲销执行金额（元）').fill('5000000.00');
    await dialog.getByLabel('原因').fill('服务全部未交付');
    await dialog.getByRole('button', { name: '提交冲销' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('已全额冲销').waitFor();
    await expect(row.getByRole('button', { name: '冲销 INV-302' }).count()).resolves.toBe(0);
    const provider = await mintToken({ sub: 'provider-ops', role: 'provider', org: PROVIDER });
    const redemptions = await journey.api<{ items: Redemption[] }>(provider, '/v1/redemptions');
    expect(redemptions.items.find((r) => r.invoiceNumber === 'INV-302')).toMatchObject({
      reversedAmount: '5000000.00',
      clawedBack: '500000.00',
      netSubsidy: '0.00',
    });
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });
});
