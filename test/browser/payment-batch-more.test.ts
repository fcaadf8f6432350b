import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU, OTHER_ENTERPRISE, OTHER_PROVIDER, PROVIDER, uscc } from '../helpers/fixtures.js';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, type Journey, type LedgerPage, startJourney, todayInShanghai } from './browser.js';

const THIRD_PROVIDER = uscc(3);
const MAKER = { sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU } as const;
const CHECKER = { sub: 'hz-officer-b', role: 'issuer', region: HANGZHOU } as const;
const PROVIDERS = [
  { uscc: PROVIDER, name: '杭州云算力有限公司', bankName: '杭州银行', accountNumber: '3301040160000123456' },
  { uscc: OTHER_PROVIDER, name: '杭州智算服务有限公司', bankName: '浙商银行', accountNumber: '3310010010120100654321' },
  { uscc: THIRD_PROVIDER, name: '杭州星河数据有限公司', bankName: '中国工商银行', accountNumber: '1202021109900012345' },
] as const;

interface Line {
  id: string;
  providerUscc: string;
  amount: string;
  status: string;
  redemptionIds: string[];
  bankReference: string | null;
  failureReason: string | null;
}
interface Batch {
  id: string;
  status: string;
  lines: Line[];
}
interface Redemption {
  id: string;
  subsidy: string;
  settlement: { status: string; batchId: string | null; paidOn: string | null; bankReference: string | null };
}

describe.skipIf(!existsSync(CHROMIUM))('console: a payment batch paid by the instruction file and a bank statement, and cancelled batches', () => {
  let journey: Journey;
  let issuer: string;
  let auditor: string;
  let programId: string;
  let cancelProgramId: string;
  /** The redemption of each provider in the first program, in PROVIDERS order. */
  const redemptions: Redemption[] = [];
  let cancelRedemption: Redemption;

  beforeAll(async () => {
    journey = await startJourney();
    issuer = await mintToken(MAKER);
    auditor = await mintToken({ sub: 'audit-zj', role: 'auditor', region: '330000' });
    programId = (await journey.post<{ id: string }>(issuer, '/v1/programs', { name: '杭州算力券 结算', kind: 'compute', budget: '1000000.00' })).id;
    cancelProgramId = (await journey.post<{ id: string }>(issuer, '/v1/programs', { name: '杭州算力券 取消', kind: 'compute', budget: '1000000.00' })).id;
    for (const p of PROVIDERS)
      await journey.post(issuer, '/v1/providers', {
        uscc: p.uscc,
        name: p.name,
        bankAccount: { bankName: p.bankName, accountName: p.name, accountNumber: p.accountNumber },
        services: [{ code: 'GPU-A', name: 'GPU 算力', kind: 'compute', autonomous: false }],
      });
    const voucher = await journey.post<{ id: string }>(issuer, '/v1/vouchers', {
      programId,
      beneficiary: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
      amount: '500000.00',
      expiresOn: '2027-12-31',
    });
    // Non-autonomous compute: 10% of the executed amount, floored to the fen.
    for (const [index, executedAmount] of ['10000.00', '20000.10', '3000.00'].entries()) {
      const provider = await mintToken({ sub: `ops-${index}`, role: 'provider', org: PROVIDERS[index]!.uscc });
      const contract = await journey.post<{ id: string }>(provider, '/v1/contracts', {
        number: `HT-2026-10${index}`,
        beneficiaryUscc: ENTERPRISE,
        kind: 'compute',
        autonomous: false,
        amount: '1000000.00',
        signedOn: '2026-01-05',
      });
      redemptions.push(
        await journey.post<Redemption>(provider, '/v1/redemptions', {
          voucherId: voucher.id,
          contractId: contract.id,
          executedAmount,
          executedOn: todayInShanghai(),
          invoiceNumber: `INV-10${index}`,
        }),
      );
    }
    expect(redemptions.map((r) => r.subsidy)).toEqual(['1000.00', '2000.01', '300.00']);

    const otherVoucher = await journey.post<{ id: string }>(issuer, '/v1/vouchers', {
      programId: cancelProgramId,
      beneficiary: { uscc: OTHER_ENTERPRISE, name: '杭州远景智能有限公司' },
      amount: '100000.00',
      expiresOn: '2027-12-31',
    });
    const provider = await mintToken({ sub: 'ops-0', role: 'provider', org: PROVIDER });
    const contract = await journey.post<{ id: string }>(provider, '/v1/contracts', {
      number: 'HT-2026-200',
      beneficiaryUscc: OTHER_ENTERPRISE,
      kind: 'compute',
      autonomous: false,
      amount: '1000000.00',
      signedOn: '2026-01-05',
    });
    cancelRedemption = await journey.post<Redemption>(provider, '/v1/redemptions', {
      voucherId: otherVoucher.id,
      contractId: contract.id,
      executedAmount: '5000.55',
      executedOn: todayInShanghai(),
      invoiceNumber: 'INV-200',
    });
    expect(cancelRedemption.subsidy).toBe('500.05');
  });
  afterAll(async () => journey?.close());

  const redemption = (id: string) => journey.api<Redemption>(issuer, `/v1/redemptions/${id}`);
  const ledgerEntries = async () => (await journey.api<LedgerPage>(auditor, '/v1/ledger?limit=1000')).entries;

  it('after approval: the instruction file, a failed line whose claim is released, and a bank statement that pays only what matches', async () => {
    const maker = await journey.newPage();
    await journey.signIn(maker, MAKER, 'payment-batches');
    await maker.getByLabel('项目编号').fill(programId);
    await maker.getByRole('button', { name: '生成批次' }).click();
    await maker.waitForURL(/\/console\/payment-batches\/[^/]+$/);
    const batchPath = new URL(maker.url()).pathname.replace('/console/', '');
    const batchId = batchPath.split('/').pop()!;
    const made = await journey.api<Batch>(issuer, `/v1/payment-batches/${batchId}`);
    expect(made.lines.map((line) => [line.providerUscc, line.amount])).toEqual(
      [
        [PROVIDER, '1000.00'],
        [OTHER_PROVIDER, '2000.01'],
        [THIRD_PROVIDER, '300.00'],
      ].sort(([a], [b]) => a!.localeCompare(b!)),
    );
    const lineOf = (uscc: string) => made.lines.find((line) => line.providerUscc === uscc)!;
    // A draft has no instruction file yet.
    await maker.getByRole('button', { name: '生成批次' }).waitFor({ state: 'detached' });
    await expect(maker.getByRole('button', { name: '下载支付指令文件' }).count()).resolves.toBe(0);

    // A second issuer approves.
    const checker = await journey.newPage();
    await journey.signIn(checker, CHECKER, batchPath);
    await checker.getByRole('button', { name: /^审批/ }).click();
    await checker.getByText('已审批', { exact: true }).first().waitFor();
    const lines = checker.getByTestId('batch-lines');
    const row = (name: string) => lines.getByRole('row').filter({ hasText: name });

    // The instruction file: UTF-8 with a BOM, CRLF rows, one per line, the amounts as the API has them.
    const [download] = await Promise.all([checker.waitForEvent('download'), checker.getByRole('button', { name: '下载支付指令文件' }).click()]);
    expect(download.suggestedFilename()).toBe(`payment-instructions-${batchId}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const rows = csv.slice(1).split('\r\n');
    expect(rows[0]).toBe('reference,provider_name,provider_uscc,bank_name,account_name,account_number,amount,share_330100');
    expect(rows).toHaveLength(made.lines.length + 2); // header, three lines, the empty string after the last CRLF
    for (const p of PROVIDERS) {
      const line = lineOf(p.uscc);
      expect(rows).toContain(`${line.id},${p.name},${p.uscc},${p.bankName},${p.name},${p.accountNumber},${line.amount},${line.amount}`);
    }

    // The third provider's transfer bounces: its line is marked failed, with the reason shown.
    await row('杭州星河数据有限公司').getByRole('button', { name: '标记失败' }).click();
    await checker.getByLabel('失败原因').fill('收款账户已销户');
    await checker.getByRole('button', { name: '提交' }).click();
    await row('杭州星河数据有限公司').getByText('支付失败').waitFor();
    await expect(row('杭州星河数据有限公司').innerText()).resolves.toContain('收款账户已销户');
    // Its claim is released: unpaid and in no batch, for the next batch to gather.
    await expect(redemption(redemptions[2]!.id)).resolves.toMatchObject({ settlement: { status: 'unpaid', batchId: null } });
    await expect(redemption(redemptions[1]!.id)).resolves.toMatchObject({ settlement: { status: 'in_batch', batchId } });

    // The bank statement: the first line as instructed, the second a fen more, a transfer this batch never
    // instructed, and one for the failed line.
    const today = todayInShanghai();
    const statement = [
      'reference,amount,paidOn,bankReference',
      `${lineOf(PROVIDER).id},1000.00,${today},HZB-20261130-0101`,
      `${lineOf(OTHER_PROVIDER).id},2000.02,${today},HZB-20261130-0102`,
      `pln_not-in-this-batch,88.00,${today},HZB-20261130-0103`,
      `${lineOf(THIRD_PROVIDER).id},300.00,${today},HZB-20261130-0104`,
      '',
    ].join('\r\n');
    await checker
      .locator('input[type="file"]')
      .setInputFiles({ name: 'statement.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${statement}`, 'utf8') });
    const result = checker.getByTestId('reconciliation');
    await result.waitFor();
    await expect(checker.getByTestId('reconciliation-summary').innerText()).resolves.toMatch(
      /已匹配 1 笔（本次支付 1 笔）；不符 2 笔；未知 1 笔；仍待支付 1 笔。\s*批次状态：\s*部分支付/,
    );
    await expect(
      result
        .getByRole('row')
        .filter({ hasText: lineOf(PROVIDER).id })
        .innerText(),
    ).resolves.toMatch(/杭州云算力有限公司[\s\S]*¥1,000\.00[\s\S]*已匹配：已支付（流水号 HZB-20261130-0101/);
    await expect(
      result
        .getByRole('row')
        .filter({ hasText: lineOf(OTHER_PROVIDER).id })
        .innerText(),
    ).resolves.toMatch(/¥2,000\.02[\s\S]*¥2,000\.01[\s\S]*不符：金额与应付不符，未支付/);
    await expect(result.getByRole('row').filter({ hasText: 'pln_not-in-this-batch' }).innerText()).resolves.toMatch(
      /¥88\.00[\s\S]*未知：本批次没有这个参考号，未支付/,
    );
    await expect(
      result
        .getByRole('row')
        .filter({ hasText: lineOf(THIRD_PROVIDER).id })
        .innerText(),
    ).resolves.toContain('不符：该行已标记支付失败，未支付');

    // The lines: the matched one is paid with the statement's reference, the mismatched one still pending.
    await row('杭州云算力有限公司').getByText('已支付').waitFor();
    await expect(row('杭州云算力有限公司').innerText()).resolves.toContain('HZB-20261130-0101');
    await expect(row('杭州智算服务有限公司').innerText()).resolves.toMatch(/待支付[\s\S]*标记已支付/);
    await expect(checker.getByRole('heading').first().locator('..').innerText()).resolves.toContain('部分支付');
    // A batch with a line paid cannot be cancelled any more.
    await expect(checker.getByRole('button', { name: '取消批次' }).count()).resolves.toBe(0);

    // What the API and the ledger hold: one disbursement, of the matched line, and nothing for the others.
    const batch = await journey.api<Batch>(issuer, `/v1/payment-batches/${batchId}`);
    expect(batch.status).toBe('partially_paid');
    expect(Object.fromEntries(batch.lines.map((line) => [line.providerUscc, line.status]))).toEqual({
      [PROVIDER]: 'paid',
      [OTHER_PROVIDER]: 'pending',
      [THIRD_PROVIDER]: 'failed',
    });
    const disbursed = (await ledgerEntries()).filter((entry) => entry.type === 'payment.disbursed');
    expect(disbursed).toHaveLength(1);
    expect(disbursed[0]!.data).toMatchObject({
      batchId,
      lineId: lineOf(PROVIDER).id,
      amount: '1000.00',
      bankReference: 'HZB-20261130-0101',
      paidOn: today,
      maker: MAKER.sub,
      checker: CHECKER.sub,
    });
    expect(disbursed[0]!.postings).toEqual(
      expect.arrayContaining([
        { account: `payable:${PROVIDER}`, amount: '-1000.00' },
        { account: `disbursed:${HANGZHOU}`, amount: '1000.00' },
      ]),
    );
    await expect(redemption(redemptions[0]!.id)).resolves.toMatchObject({
      settlement: { status: 'paid', batchId, paidOn: today, bankReference: 'HZB-20261130-0101' },
    });
    await expect(redemption(redemptions[1]!.id)).resolves.toMatchObject({ settlement: { status: 'in_batch', batchId } });
    await expect(redemption(redemptions[2]!.id)).resolves.toMatchObject({ settlement: { status: 'unpaid', batchId: null } });

    await journey.screenshot(checker, 'payment-batch-reconcile-journey');
    expect(journey.pageErrors).toEqual([]);
  });

  it('cancels a draft batch and an approved one with no line paid: both show cancelled and release their claims', async () => {
    const maker = await journey.newPage();
    await journey.signIn(maker, MAKER, 'payment-batches');
    const makeBatch = async () => {
      await maker.goto(`${journey.server.url}/console/payment-batches`);
      await maker.getByLabel('项目编号').fill(cancelProgramId);
      await maker.getByRole('button', { name: '生成批次' }).click();
      await maker.waitForURL(/\/console\/payment-batches\/[^/]+$/);
      await maker.getByTestId('batch-lines').getByText('¥500.05', { exact: true }).waitFor();
      return new URL(maker.url()).pathname.replace('/console/', '');
    };
    const cancel = async (page: typeof maker, reason: string) => {
      await page.getByRole('button', { name: '取消批次' }).click();
      await page.getByRole('dialog').getByLabel('取消原因（可选）').fill(reason);
      await page.getByRole('button', { name: '确认取消' }).click();
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      await page.getByTestId('batch-lines').getByText('已取消').waitFor();
    };

    // A draft, cancelled by its maker.
    const draftPath = await makeBatch();
    const draftId = draftPath.split('/').pop()!;
    await expect(redemption(cancelRedemption.id)).resolves.toMatchObject({ settlement: { status: 'in_batch', batchId: draftId } });
    await cancel(maker, '截止日选错，重新制单');
    await expect(maker.getByRole('heading').first().locator('..').innerText()).resolves.toContain('已取消');
    await expect(maker.getByTestId('batch-lines').getByRole('row').filter({ hasText: '杭州云算力有限公司' }).innerText()).resolves.toMatch(
      /已取消[\s\S]*截止日选错，重新制单/,
    );
    await expect(maker.getByRole('button', { name: '取消批次' }).count()).resolves.toBe(0);
    await expect(maker.getByRole('button', { name: /^审批/ }).count()).resolves.toBe(0);
    await expect(journey.api<Batch>(issuer, `/v1/payment-batches/${draftId}`)).resolves.toMatchObject({
      status: 'cancelled',
      lines: [{ status: 'cancelled', failureReason: '截止日选错，重新制单' }],
    });
    await expect(redemption(cancelRedemption.id)).resolves.toMatchObject({ settlement: { status: 'unpaid', batchId: null } });

    // The released claim is gathered again by the next batch, which a second issuer approves and then cancels.
    const approvedPath = await makeBatch();
    const approvedId = approvedPath.split('/').pop()!;
    expect(approvedId).not.toBe(draftId);
    const checker = await journey.newPage();
    await journey.signIn(checker, CHECKER, approvedPath);
    await checker.getByRole('button', { name: /^审批/ }).click();
    await checker.getByText('已审批', { exact: true }).first().waitFor();
    await cancel(checker, '收款账户待核实');
    await expect(checker.getByRole('heading').first().locator('..').innerText()).resolves.toContain('已取消');
    await expect(checker.getByRole('button', { name: '下载支付指令文件' }).count()).resolves.toBe(0);
    await expect(journey.api<Batch>(issuer, `/v1/payment-batches/${approvedId}`)).resolves.toMatchObject({
      status: 'cancelled',
      lines: [{ status: 'cancelled', failureReason: '收款账户待核实' }],
    });
    await expect(redemption(cancelRedemption.id)).resolves.toMatchObject({ settlement: { status: 'unpaid', batchId: null } });

    // The list shows both cancelled; the ledger has the approval and no payment of the program.
    await checker.goto(`${journey.server.url}/console/payment-batches`);
    for (const id of [draftId, approvedId])
      await expect(
        checker
          .getByRole('row')
          .filter({ hasText: `${id.slice(0, 8)}…` })
          .innerText(),
      ).resolves.toContain('已取消');
    const entries = (await ledgerEntries()).filter((entry) => entry.data['programId'] === cancelProgramId);
    expect(entries.filter((entry) => entry.type === 'payment.approved').map((entry) => entry.data['batchId'])).toEqual([approvedId]);
    expect(entries.filter((entry) => entry.type === 'payment.disbursed')).toEqual([]);

    await journey.screenshot(checker, 'payment-batch-cancel-journey');
    expect(journey.pageErrors).toEqual([]);
  });
});
