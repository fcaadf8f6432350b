// The issuer's pages beyond creating and issuing: revoking a voucher, a beneficiary's usage against the annual
// caps, and a budget decrease (the provider register is issuer-providers.test.ts). Each journey starts from money set up through the API,
// checks what the page shows, then what the ledger and the API hold.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU, OTHER_ENTERPRISE, PROVIDER } from '../helpers/fixtures.js';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, type Journey, type LedgerPage, startJourney, todayInShanghai } from './browser.js';

interface Voucher {
  id: string;
  status: string;
  balance: string;
  closeReason: string | null;
}
interface Program {
  id: string;
  budget: string;
  available: string;
}
interface Usage {
  buckets: Record<string, { granted: string; annualCap: string | null; remaining: string | null }>;
  programs: { programId: string; buckets: Record<string, { granted: string; annualCap: string | null }> }[];
}

describe.skipIf(!existsSync(CHROMIUM))('console: the issuer revokes a voucher, reads a beneficiary’s usage and decreases a budget', () => {
  let journey: Journey;
  let issuer: string;
  let auditor: string;
  let program: Program;
  let usageVoucher: Voucher;
  let revokedVoucher: Voucher;
  const today = todayInShanghai();
  const year = today.slice(0, 4);
  const ledger = async () => (await journey.api<LedgerPage>(auditor, '/v1/ledger?limit=1000')).entries;

  beforeAll(async () => {
    journey = await startJourney();
    issuer = await mintToken({ sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
    auditor = await mintToken({ sub: 'audit-zj', role: 'auditor', region: '330000' });
    const provider = await mintToken({ sub: 'provider-ops', role: 'provider', org: PROVIDER });
    program = await journey.post<Program>(issuer, '/v1/programs', { name: '杭州算力券 2026', kind: 'compute', budget: '100000000.00' });
    const issue = (beneficiary: { uscc: string; name: string }, amount: string) =>
      journey.post<Voucher>(issuer, '/v1/vouchers', { programId: program.id, beneficiary, amount, expiresOn: '2027-12-31' });
    usageVoucher = await issue({ uscc: ENTERPRISE, name: '杭州深算科技有限公司' }, '20000000.00');
    revokedVoucher = await issue({ uscc: OTHER_ENTERPRISE, name: '杭州语料数据有限公司' }, '5000000.00');
    const contract = (number: string, beneficiaryUscc: string) =>
      journey.post<{ id: string }>(provider, '/v1/contracts', {
        number,
        beneficiaryUscc,
        kind: 'compute',
        autonomous: false,
        amount: '100000000.00',
        signedOn: '2026-01-05',
      });
    const first = await contract('HT-2026-101', ENTERPRISE);
    const second = await contract('HT-2026-102', OTHER_ENTERPRISE);
    const redeem = (voucherId: string, contractId: string, executedAmount: string, invoiceNumber: string) =>
      journey.post<{ subsidy: string }>(provider, '/v1/redemptions', { voucherId, contractId, executedAmount, executedOn: today, invoiceNumber });
    // Non-autonomous compute at 10%: 30,000,000.00 → 3,000,000.00 and 25,000,000.00 → 2,500,000.00 (cap 8,000,000.00).
    await expect(redeem(usageVoucher.id, first.id, '30000000.00', 'INV-101')).resolves.toMatchObject({ subsidy: '3000000.00' });
    await expect(redeem(usageVoucher.id, first.id, '25000000.00', 'INV-102')).resolves.toMatchObject({ subsidy: '2500000.00' });
    // 10,000,000.00 → 1,000,000.00 of the 5,000,000.00 voucher: 4,000,000.00 is left unspent.
    await expect(redeem(revokedVoucher.id, second.id, '10000000.00', 'INV-201')).resolves.toMatchObject({ subsidy: '1000000.00' });
  });
  afterAll(async () => journey?.close());

  it('revokes a voucher with a reason (a double click writes once): its unspent balance returns to the program', async () => {
    const before = await journey.api<Program>(issuer, `/v1/programs/${program.id}`);
    expect(before.available).toBe('75000000.00'); // 100,000,000.00 − 20,000,000.00 − 5,000,000.00
    const page = await journey.newPage();
    await journey.signIn(page, { sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU }, `vouchers/${revokedVoucher.id}`);
    await page.getByRole('heading', { name: `补贴券 ${revokedVoucher.id}` }).waitFor();
    await expect(page.locator('.ant-statistic').filter({ hasText: '余额' }).innerText()).resolves.toContain('¥4,000,000.00');
    await page.getByRole('cell', { name: 'INV-201' }).waitFor();
    // The beneficiary and the program are links (reachable with the keyboard), to their pages.
    await expect(page.getByRole('link', { name: '杭州语料数据有限公司' }).getAttribute('href')).resolves.toBe(`/console/beneficiaries/${OTHER_ENTERPRISE}`);
    await expect(page.getByRole('link', { name: program.id }).getAttribute('href')).resolves.toBe(`/console/programs/${program.id}`);
    // Executed, rate, subsidy, reversed, clawed back, net.
    await expect(page.getByRole('row').filter({ hasText: 'INV-201' }).innerText()).resolves.toMatch(
      /¥10,000,000\.00\s+10%\s+¥1,000,000\.00\s+¥0\.00\s+¥0\.00\s+¥1,000,000\.00\s+未受限\s+未支付/,
    );

    // Without a reason nothing is sent: the field says what is missing.
    await page.getByRole('button', { name: '撤销（余额退回项目）' }).click();
    await page.locator('#reason_help').waitFor();
    expect((await journey.api<Voucher>(issuer, `/v1/vouchers/${revokedVoucher.id}`)).status).toBe('active');

    await page.getByLabel('撤销原因').fill('企业迁出杭州，不再符合申领条件');
    await page.getByRole('button', { name: '撤销（余额退回项目）' }).dblclick();
    await page.locator('.ant-tag').filter({ hasText: '已撤销' }).waitFor();
    await expect(page.locator('.ant-statistic').filter({ hasText: '余额' }).innerText()).resolves.toContain('¥0.00');
    await expect(page.locator('.ant-descriptions').innerText()).resolves.toContain('企业迁出杭州，不再符合申领条件');
    // The revoke form is gone: a revoked voucher cannot be revoked again.
    await expect(page.getByRole('button', { name: '撤销（余额退回项目）' }).count()).resolves.toBe(0);
    await journey.screenshot(page, 'issuer-voucher-revoked');

    const voucher = await journey.api<Voucher>(issuer, `/v1/vouchers/${revokedVoucher.id}`);
    expect(voucher).toMatchObject({ status: 'revoked', balance: '0.00', closeReason: '企业迁出杭州，不再符合申领条件' });
    const revocations = (await ledger()).filter((entry) => entry.type === 'voucher.revoked');
    expect(revocations).toHaveLength(1); // the double click wrote once
    expect(revocations[0]!.data).toMatchObject({ voucherId: revokedVoucher.id, reason: '企业迁出杭州，不再符合申领条件', returned: '4000000.00' });
    expect(revocations[0]!.postings).toEqual(
      expect.arrayContaining([
        { account: `voucher:${revokedVoucher.id}`, amount: '-4000000.00' },
        { account: `program:${program.id}`, amount: '4000000.00' },
      ]),
    );
    expect((await journey.api<Program>(issuer, `/v1/programs/${program.id}`)).available).toBe('79000000.00');
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });

  it('shows a beneficiary’s grants against the annual cap, as the usage API holds them', async () => {
    const usage = await journey.api<Usage>(issuer, `/v1/beneficiaries/${ENTERPRISE}/usage?year=${year}`);
    // 3,000,000.00 + 2,500,000.00 granted of the policy's 8,000,000.00 non-autonomous compute cap.
    expect(usage.buckets['compute.non_autonomous']).toEqual({ granted: '5500000.00', reserved: '0.00', annualCap: '8000000.00', remaining: '2500000.00' });

    const page = await journey.newPage();
    await journey.signIn(page, { sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU }, `beneficiaries/${ENTERPRISE}`);
    const bucket = page.getByTestId('bucket-compute.non_autonomous');
    await bucket.waitFor();
    const words = await bucket.innerText();
    expect(words).toContain('算力券（非自主可控）');
    expect(words).toContain('已享受 ¥5,500,000.00 / 年度上限 ¥8,000,000.00 · 剩余 ¥2,500,000.00');
    const bar = page.getByRole('progressbar', { name: '算力券（非自主可控） 额度使用' });
    await expect(bar.getAttribute('aria-valuenow')).resolves.toBe('68.75'); // 5,500,000.00 / 8,000,000.00
    // Every bucket the API returns is on the page, each with its own numbers.
    for (const [code, numbers] of Object.entries(usage.buckets)) {
      const text = await page.getByTestId(`bucket-${code}`).innerText();
      expect(text).toContain(`已享受 ¥${Number(numbers.granted).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
      expect(text).not.toContain(code); // named in words, not by its code
    }
    // The program table: this program's grants in the bucket.
    const row = page
      .getByRole('row')
      .filter({ hasText: program.id.slice(0, 8) })
      .filter({ hasText: '算力券（非自主可控）' });
    await expect(row.innerText()).resolves.toContain('¥5,500,000.00');
    expect(usage.programs.find((p) => p.programId === program.id)?.buckets['compute.non_autonomous']?.granted).toBe('5500000.00');

    // Another enterprise's numbers are looked up through the form.
    await page.getByLabel('统一社会信用代码').fill(OTHER_ENTERPRISE);
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(new RegExp(`/console/beneficiaries/${OTHER_ENTERPRISE}\\?year=${year}$`));
    await page.getByTestId('bucket-compute.non_autonomous').getByText('已享受 ¥1,000,000.00 / 年度上限 ¥8,000,000.00 · 剩余 ¥7,000,000.00').waitFor();
    await page.goto(`${journey.server.url}/console/beneficiaries/${ENTERPRISE}`);
    await bucket.waitFor();
    await journey.screenshot(page, 'issuer-beneficiary-usage');
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });

  it('decreases a budget, and a decrease beyond what is available is refused in words and changes nothing', async () => {
    const small = await journey.post<Program>(issuer, '/v1/programs', { name: '杭州模型券 2026', kind: 'model', budget: '10000000.00' });
    await journey.post(issuer, '/v1/vouchers', {
      programId: small.id,
      beneficiary: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
      amount: '3000000.00',
      expiresOn: '2027-12-31',
    });
    const page = await journey.newPage();
    await journey.signIn(page, { sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU }, `programs/${small.id}`);
    await page.getByRole('heading', { name: '杭州模型券 2026' }).waitFor();
    const statistic = (title: string | RegExp) => page.locator('.ant-statistic').filter({ has: page.getByText(title, { exact: true }) });
    const available = /^可用(余额)?$/; // the statistic of the program's available balance
    await statistic('预算').getByText('¥10,000,000.00').waitFor();
    await statistic(available).getByText('¥7,000,000.00').waitFor();

    const form = page.locator('form#budgetChange');
    await form.getByText('核减', { exact: true }).click();
    await form.getByLabel('金额（元）').fill('2000000.00');
    await form.getByLabel('原因').fill('年中预算调整');
    await form.getByRole('button', { name: '提交调整' }).click();
    await statistic('预算').getByText('¥8,000,000.00').waitFor();
    await statistic(available).getByText('¥5,000,000.00').waitFor();

    // More than the 5,000,000.00 available: the 422 problem is shown by the form, in words, and nothing moves.
    await form.getByText('核减', { exact: true }).click();
    await form.getByLabel('金额（元）').fill('6000000.00');
    await form.getByLabel('原因').fill('再次核减');
    await form.getByRole('button', { name: '提交调整' }).click();
    const refusal = form.getByRole('alert');
    await refusal.waitFor();
    const words = await refusal.innerText();
    expect(words).toContain('insufficient_budget');
    expect(words).toContain('预算不足');
    await expect(statistic('预算').innerText()).resolves.toContain('¥8,000,000.00');
    await expect(statistic(available).innerText()).resolves.toContain('¥5,000,000.00');
    await journey.screenshot(page, 'issuer-budget-decrease');

    const after = await journey.api<Program>(issuer, `/v1/programs/${small.id}`);
    expect(after).toMatchObject({ budget: '8000000.00', available: '5000000.00' });
    const changes = (await ledger()).filter((entry) => entry.type === 'program.budget_changed' && entry.data['programId'] === small.id);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.data).toMatchObject({ direction: 'decrease', amount: '2000000.00', reason: '年中预算调整', availableBefore: '7000000.00' });
    expect(changes[0]!.postings).toEqual(expect.arrayContaining([{ account: `program:${small.id}`, amount: '-2000000.00' }]));
    expect(journey.pageErrors).toEqual([]);
    await page.close();
  });
});
