import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU } from '../helpers/fixtures.js';
import { runScript, serviceEnvironment } from '../helpers/processes.js';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, type Journey, type LedgerPage, startJourney } from './browser.js';

describe.skipIf(!existsSync(CHROMIUM))('console: sign-in and the issuer journey', () => {
  let journey: Journey;
  beforeAll(async () => {
    journey = await startJourney();
  });
  afterAll(async () => journey?.close());

  it('serves the app at /console/ with its own CSP, redirects /console, and answers deep links', async () => {
    const redirect = await fetch(`${journey.server.url}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');
    const deep = await fetch(`${journey.server.url}/console/programs/some-id`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="root">');
    expect(deep.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(deep.headers.get('content-security-policy')).toContain("connect-src 'self'");
    // The API keeps helmet's defaults (scripts in attributes refused, insecure requests upgraded).
    const api = await fetch(`${journey.server.url}/v1/programs/x`);
    expect(api.headers.get('content-security-policy')).toContain("script-src-attr 'none'");
    expect(api.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    expect(api.headers.get('content-security-policy')).not.toContain('connect-src');
  });

  it('sends a refused token back to sign-in with the reason, and an unsigned visitor to sign-in', async () => {
    const page = await journey.newPage();
    await page.goto(`${journey.server.url}/console/programs`);
    await expect(page.getByLabel('访问令牌').isVisible()).resolves.toBe(true);
    // Chinese by default; the English switch relabels the page (and is kept for the next visit).
    await page.getByText('English', { exact: true }).click();
    await page.getByLabel('Access token').waitFor();
    await page.getByText('中文', { exact: true }).click();
    const forged = await mintToken({ sub: 'intruder', role: 'issuer', region: HANGZHOU }, 'another-secret-that-is-at-least-32-bytes!!');
    await page.getByLabel('访问令牌').fill(forged);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: '令牌' }).waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await page.close();
  });

  it('npm run token -- --console prints a one-time sign-in link; an expired session goes back to sign-in and says why', async () => {
    const printed = await runScript(
      ['scripts/token.ts', '--role', 'auditor', '--region', '330000', '--ttl', '15s', '--console', journey.server.url],
      serviceEnvironment(journey.databaseUrl, ''),
    );
    expect(printed.code, printed.output).toBe(0);
    const link = printed.output.trim();
    expect(link).toMatch(new RegExp(`^${journey.server.url}/console/#code=[\\w-]{43}$`));
    const page = await journey.newPage();
    await page.goto(link);
    await expect(page.getByTestId('signed-in-role').innerText()).resolves.toBe('审计');
    expect(page.url()).toBe(`${journey.server.url}/console/ledger`);
    // The token lives fifteen seconds (long enough to sign in on a loaded machine): the console signs out when it expires, and says so.
    await page.getByText('登录已过期，请重新登录。').waitFor({ timeout: 30_000 });
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await page.close();
  });

  it('loads its first page with well under 1 MB of JavaScript (gzip)', async () => {
    const page = await journey.newPage();
    const scripts = new Map<string, number>();
    page.on('response', async (response) => {
      if (response.url().endsWith('.js')) scripts.set(response.url(), gzipSync(await response.body()).length);
    });
    await journey.signIn(page, { role: 'issuer', region: HANGZHOU }, 'programs');
    await page.getByRole('button', { name: '创建项目' }).waitFor();
    const total = [...scripts.values()].reduce((sum, size) => sum + size, 0);
    console.log(`first page (sign-in link → /console/programs): ${scripts.size} scripts, ${(total / 1024).toFixed(0)} KiB of JavaScript gzip`);
    expect(scripts.size).toBeGreaterThan(1); // code-split
    expect(total).toBeLessThan(1024 * 1024);
    await page.close();
  });

  it('creates a program, issues a voucher (a double click writes once), and the ledger holds both', async () => {
    const page = await journey.newPage();
    const token = await journey.signIn(page, { sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
    // The link's code left the address bar at once; the token lives in this tab's sessionStorage.
    expect(page.url()).not.toContain('code=');
    expect(await page.evaluate<string[]>('Object.values(sessionStorage)')).toContain(token);
    await expect(page.getByTestId('signed-in-role').innerText()).resolves.toBe('发放机构');
    await expect(page.getByTestId('signed-in-scope').innerText()).resolves.toBe('杭州市 330100');
    expect(new URL(page.url()).pathname).toBe('/console/programs');

    // A refusal is shown next to the field it names (the API's problem, in Chinese).
    await page.getByLabel('项目名称').fill('杭州算力券 2026');
    await page.getByLabel('预算（元）').fill('100000000.001');
    await page.getByRole('button', { name: '创建项目' }).click();
    await page.locator('#budget_help').filter({ hasText: '小数至多 2 位' }).waitFor();
    await expect(page.locator('#budget_help').innerText()).resolves.toBe('须为以元为单位的金额字符串，整数部分至多 13 位、小数至多 2 位，如 "1234.50"');

    await page.getByLabel('预算（元）').fill('100000000.00');
    await page.getByRole('button', { name: '创建项目' }).click();
    await page.waitForURL(/\/console\/programs\/[^/]+$/);
    const programId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: '杭州算力券 2026' }).waitFor();
    await expect(page.locator('.ant-statistic').first().innerText()).resolves.toContain('¥100,000,000.00');

    await page.getByLabel('企业统一社会信用代码').fill(ENTERPRISE);
    await page.getByLabel('企业名称').fill('杭州深算科技有限公司');
    await page.getByLabel('券面金额（元）').fill('20000000.00');
    await page.getByLabel('有效期至').fill('2027-12-31');
    await page.getByLabel('有效期至').press('Tab');
    await page.getByRole('button', { name: '发放', exact: true }).dblclick();
    await page.waitForURL(/\/console\/vouchers\/[^/]+$/);
    const voucherId = page.url().split('/').pop()!;
    await page.getByText('¥20,000,000.00').first().waitFor();
    await expect(page.getByRole('heading').first().innerText()).resolves.toContain(voucherId);

    // What the ledger holds: one funding, one voucher (the double click did not write twice).
    const auditor = await mintToken({ sub: 'audit-zj', role: 'auditor', region: '330000' });
    const ledger = await journey.api<LedgerPage>(auditor, '/v1/ledger?limit=100');
    expect(ledger.entries.map((entry) => entry.type)).toEqual(['program.funded', 'voucher.issued']);
    expect(ledger.entries[1]!.postings).toEqual(
      expect.arrayContaining([
        { account: `program:${programId}`, amount: '-20000000.00' },
        { account: `voucher:${voucherId}`, amount: '20000000.00' },
      ]),
    );
    const program = await journey.api<{ available: string }>(token, `/v1/programs/${programId}`);
    expect(program.available).toBe('80000000.00');

    // The program page shows the voucher's money; the screenshot is the issuer's main page.
    await page.goto(`${journey.server.url}/console/programs/${programId}`);
    await page.getByText('¥80,000,000.00').first().waitFor();
    // The figures are the server's sums of the program's postings: funded = available + on vouchers + reserved + owed + paid.
    const statistic = (title: string) =>
      page
        .locator('.ant-statistic')
        .filter({ has: page.getByText(title, { exact: true }) })
        .locator('.ant-statistic-content')
        .innerText();
    await expect(statistic('已到位')).resolves.toBe('¥100,000,000.00');
    await expect(statistic('可用')).resolves.toBe('¥80,000,000.00');
    await expect(statistic('券上余额')).resolves.toBe('¥20,000,000.00');
    await expect(statistic('审核中预留')).resolves.toBe('¥0.00');
    await expect(statistic('待支付')).resolves.toBe('¥0.00');
    const balances = await journey.api<{ current: Record<string, string>; daily: { date: string }[] }>(token, `/v1/programs/${programId}/balances`);
    expect(balances.current).toEqual({
      funded: '100000000.00',
      available: '80000000.00',
      onVouchers: '20000000.00',
      reserved: '0.00',
      owedToProviders: '0.00',
      paid: '0.00',
    });
    await page.getByRole('img', { name: '项目资金逐日变化' }).locator('canvas').waitFor(); // the ECharts chunk loads on demand
    await page.getByRole('button', { name: '按日明细' }).click();
    await expect(page.getByRole('row').filter({ hasText: balances.daily[0]!.date }).innerText()).resolves.toMatch(
      /¥100,000,000\.00[\s\S]*¥80,000,000\.00[\s\S]*¥20,000,000\.00/,
    );
    await journey.screenshot(page, 'issuer-journey');
    expect(journey.pageErrors).toEqual([]);
  });
});
