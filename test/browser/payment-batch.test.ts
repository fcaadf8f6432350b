import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU, PROVIDER } from '../helpers/fixtures.js';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, type Journey, type LedgerPage, startJourney, todayInShanghai } from './browser.js';

describe.skipIf(!existsSync(CHROMIUM))('console: the payment batch journey (maker and checker)', () => {
  let journey: Journey;
  let programId: string;
  beforeAll(async () => {
    journey = await startJourney();
    const issuer = await mintToken({ sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
    const provider = await mintToken({ sub: 'provider-ops', role: 'provider', org: PROVIDER });
    programId = (await journey.post<{ id: string }>(issuer, '/v1/programs', { name: '杭州算力券 2026', kind: 'compute', budget: '100000000.00' })).id;
    await journey.post(issuer, '/v1/providers', {
      uscc: PROVIDER,
      name: '杭州云算力有限公司',
      bankAccount: { bankName: '杭州银行', accountName: '杭州云算力有限公司', accountNumber: '3301040160000123456' },
      services: [{ code: 'GPU-A', name: 'GPU 算力', kind: 'compute', autonomous: false }],
    });
    const voucher = await journey.post<{ id: string }>(issuer, '/v1/vouchers', {
      programId,
      beneficiary: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
      amount: '20000000.00',
      expiresOn: '2027-12-31',
    });
    const contract = await journey.post<{ id: string }>(provider, '/v1/contracts', {
      number: 'HT-2026-001',
      beneficiaryUscc: ENTERPRISE,
      kind: 'compute',
      autonomous: false,
      amount: '100000000.00',
      signedOn: '2026-01-05',
    });
    await journey.post(provider, '/v1/redemptions', {
      voucherId: voucher.id,
      contractId: contract.id,
      executedAmount: '60000000.10',
      executedOn: todayInShanghai(),
      invoiceNumber: 'INV-001',
    });
  });
  afterAll(async () => journey?.close());

  it('issuer A prepares a batch and cannot approve it; issuer B approves; a line is marked paid', async () => {
    const maker = await journey.newPage();
    await journey.signIn(maker, { sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU }, 'payment-batches');
    await maker.getByLabel('项目编号').fill(programId);
    await maker.getByRole('button', { name: '生成批次' }).click();
    await maker.waitForURL(/\/console\/payment-batches\/[^/]+$/);
    const batchPath = new URL(maker.url()).pathname.replace('/console/', '');
    const batchId = batchPath.split('/').pop()!;
    const line = maker.getByRole('row').filter({ hasText: '杭州云算力有限公司' });
    await expect(line.innerText()).resolves.toMatch(/¥6,000,000\.01[\s\S]*待支付/); // floor(10% × 60,000,000.10)

    // The maker's own approval is refused, in words.
    await maker.getByRole('button', { name: /^审批/ }).click();
    await maker.getByRole('alert').getByText('须由经办人以外的另一名同级财政人员复核批准', { exact: false }).waitFor();
    await expect(maker.getByRole('alert').innerText()).resolves.toContain('maker_checker');

    // Another officer of the region opens the batch by its link and approves it.
    const checker = await journey.newPage();
    const checkerToken = await journey.signIn(checker, { sub: 'hz-officer-b', role: 'issuer', region: HANGZHOU }, batchPath);
    await checker.getByRole('button', { name: /^审批/ }).click();
    await checker.getByText('已审批', { exact: true }).first().waitFor();
    await expect(checker.locator('.ant-descriptions').innerText()).resolves.toContain('hz-officer-b');

    // The line is paid.
    await checker.getByRole('button', { name: '标记已支付' }).click();
    await checker.getByLabel('银行流水号').fill('HZB-20261130-0001');
    await checker.getByRole('button', { name: '提交' }).click();
    await checker.getByRole('row').filter({ hasText: 'HZB-20261130-0001' }).getByText('已支付').waitFor();
    await expect(checker.getByRole('heading').first().locator('..').innerText()).resolves.toContain('已支付');

    // What the ledger holds: one approval naming maker and checker, one disbursement of the line.
    const auditor = await mintToken({ sub: 'audit-zj', role: 'auditor', region: '330000' });
    const ledger = await journey.api<LedgerPage>(auditor, '/v1/ledger?limit=100');
    const approved = ledger.entries.filter((entry) => entry.type === 'payment.approved');
    expect(approved).toHaveLength(1);
    expect(approved[0]!.data).toMatchObject({ batchId, maker: 'hz-officer-a', checker: 'hz-officer-b' });
    const disbursed = ledger.entries.filter((entry) => entry.type === 'payment.disbursed');
    expect(disbursed).toHaveLength(1);
    expect(disbursed[0]!.postings).toEqual(
      expect.arrayContaining([
        { account: `payable:${PROVIDER}`, amount: '-6000000.01' },
        { account: `disbursed:${HANGZHOU}`, amount: '6000000.01' },
      ]),
    );
    const batch = await journey.api<{ status: string }>(checkerToken, `/v1/payment-batches/${batchId}`);
    expect(batch.status).toBe('paid');

    await journey.screenshot(checker, 'payment-batch-journey');
    expect(journey.pageErrors).toEqual([]);
  });
});
