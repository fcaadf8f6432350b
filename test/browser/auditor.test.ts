import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU, OTHER_ENTERPRISE } from '../helpers/fixtures.js';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, type Journey, type LedgerPage, startJourney } from './browser.js';

describe.skipIf(!existsSync(CHROMIUM))('console: the auditor journey', () => {
  let journey: Journey;
  let programId: string;
  beforeAll(async () => {
    journey = await startJourney();
    const issuer = await mintToken({ sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
    programId = (await journey.post<{ id: string }>(issuer, '/v1/programs', { name: '杭州语料券 2026', kind: 'corpus', budget: '5000000.00' })).id;
    for (const [uscc, name, amount] of [
      [ENTERPRISE, '杭州深算科技有限公司', '1000000.00'],
      [OTHER_ENTERPRISE, '=HYPERLINK("x")', '250000.50'],
    ] as const)
      await journey.post(issuer, '/v1/vouchers', { programId, beneficiary: { uscc, name }, amount, expiresOn: '2027-12-31' });
  });
  afterAll(async () => journey?.close());

  it('filters the ledger, opens an entry whose hash the browser recomputes and verifies, and downloads the CSV', async () => {
    const page = await journey.newPage();
    const token = await journey.signIn(page, { sub: 'audit-zj', role: 'auditor', region: '330000' });
    await expect(page.getByTestId('signed-in-role').innerText()).resolves.toBe('审计');
    await expect(page.getByTestId('signed-in-scope').innerText()).resolves.toBe('浙江省 330000');
    expect(new URL(page.url()).pathname).toBe('/console/ledger');
    await page.getByRole('row').filter({ hasText: 'program.funded' }).waitFor();
    await expect(page.getByRole('row').count()).resolves.toBe(4); // header + 3 entries

    // Filter by type (keyboard: type, Enter) and program.
    await page.getByLabel('类型').fill('voucher.issued');
    await page.getByLabel('类型').press('Enter');
    await page.getByLabel('项目编号').fill(programId);
    // The server filters (GET /v1/ledger?type=…&programId=…), a page at a time.
    const [filtered] = await Promise.all([
      page.waitForRequest(
        (request) => request.url().includes('/v1/ledger?') && request.url().includes('type=voucher.issued') && request.url().includes(`programId=${programId}`),
      ),
      page.getByRole('button', { name: '筛选' }).click(),
    ]);
    expect(new URL(filtered.url()).searchParams.get('afterSeq')).toBe('0');
    await page.waitForFunction("document.querySelectorAll('tbody tr.ant-table-row').length === 2");
    const types = await page.locator('tbody tr.ant-table-row td:nth-child(2)').allInnerTexts();
    expect(types).toEqual(['发放补贴券 voucher.issued', '发放补贴券 voucher.issued']);

    // Open the second voucher's entry: the browser recomputes its SHA-256 over the RFC 8785 canonical JSON.
    const ledger = await journey.api<LedgerPage>(token, '/v1/ledger?limit=100');
    const entry = ledger.entries.find((e) => e.seq === 3)!;
    await page.getByRole('button', { name: '查看条目 3' }).click();
    await page.getByTestId('hash-check').getByText('哈希校验一致', { exact: false }).waitFor();
    await expect(page.getByTestId('recomputed-hash').innerText()).resolves.toBe(entry.hash);
    await expect(page.getByRole('dialog').innerText()).resolves.toContain('¥250,000.50');

    // Close the entry as a person would, with its close button (Escape reaches the drawer only once focus has
    // moved into it, which on a loaded machine can come later than the key), and wait until it is gone.
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /^(Close|关闭)$/ })
      .click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    // The CSV download (Chinese header, byte-order mark, the entry's hash as text).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^ledger-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('序号');
    expect(csv).toContain(entry.hash);
    expect(csv.split('\r\n').filter((line) => line.includes('voucher.issued')).length).toBe(4); // two postings per voucher

    await page.getByRole('button', { name: '查看条目 3' }).click();
    await page.getByTestId('hash-check').getByText('哈希校验一致', { exact: false }).waitFor();
    await journey.screenshot(page, 'auditor-journey');
    expect(journey.pageErrors).toEqual([]);
  });
});
