import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, HANGZHOU, NINGBO, uscc } from '../helpers/fixtures.js';
import { mintToken } from '../helpers/test-app.js';
import { type ApplicationAnswer, applyByApi, approveByApi, CONTACT, createApplicationProgram } from './applications.js';
import { CHROMIUM, clockFrom, type Journey, startJourney, todayInShanghai } from './browser.js';

const NINGBO_ENTERPRISE = uscc(201, NINGBO);

describe.skipIf(!existsSync(CHROMIUM))('console: the public notices, for anyone', () => {
  let journey: Journey;
  let hangzhou: ApplicationAnswer;
  let hangzhouProgram: string;
  beforeAll(async () => {
    // Approved on a fixed day of a year the working-day calendar holds (the notice needs its holidays).
    const clock = clockFrom('2026-03-02');
    journey = await startJourney({ clock });
    const today = todayInShanghai(clock);
    const officerA = await mintToken({ sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
    const officerB = await mintToken({ sub: 'hz-officer-b', role: 'issuer', region: HANGZHOU });
    const program = await createApplicationProgram(journey, officerA, today);
    hangzhouProgram = program.id;
    const company = await mintToken({ sub: 'szkj-finance', role: 'enterprise', org: ENTERPRISE });
    const applied = await applyByApi(journey, company, program.id, '杭州深算科技有限公司', '500000.00');
    hangzhou = await approveByApi(journey, officerA, officerB, applied.id, '400000.00');
    // One in Ningbo too, for the region filter; and one not yet approved, which is not published.
    const ningboA = await mintToken({ sub: 'nb-officer-a', role: 'issuer', region: NINGBO });
    const ningboB = await mintToken({ sub: 'nb-officer-b', role: 'issuer', region: NINGBO });
    const ningbo = await createApplicationProgram(journey, ningboA, today, '宁波算力券 2026（申报）', {
      office: '宁波市经济和信息化局',
      telephone: '0574-89180000',
    });
    const ningboCompany = await mintToken({ sub: 'nb-finance', role: 'enterprise', org: NINGBO_ENTERPRISE });
    const other = await applyByApi(journey, ningboCompany, ningbo.id, '宁波海数科技有限公司', '300000.00');
    await approveByApi(journey, ningboA, ningboB, other.id);
    await applyByApi(journey, await mintToken({ role: 'enterprise', org: uscc(301) }), program.id, '杭州未审科技有限公司', '100000.00');
  });
  afterAll(async () => journey?.close());

  it('shows each approved application with its notice period and where to object, without signing in or sending a token', async () => {
    const page = await journey.newPage();
    const sent: (string | undefined)[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/v1/public/notices')) sent.push(request.headers()['authorization']);
    });
    await page.goto(`${journey.server.url}/console/notices`);
    await page.getByRole('heading', { name: '补贴公示' }).waitFor();
    await expect(page.getByLabel('访问令牌').count()).resolves.toBe(0);
    const row = page.locator('.ant-table-row').filter({ hasText: '杭州深算科技有限公司' });
    await row.waitFor();
    const words = await row.innerText();
    expect(words).toContain(ENTERPRISE);
    expect(words).toContain('杭州算力券 2026（申报）');
    expect(words).toContain('¥400,000.00');
    expect(words).toContain(`${hangzhou.notice!.startsOn} – ${hangzhou.notice!.endsOn}`);
    expect(words).toContain(`${CONTACT.office}，电话 ${CONTACT.telephone}`);
    expect(words).toMatch(/公示中|待公示/);
    await page.locator('.ant-table-row').filter({ hasText: '宁波海数科技有限公司' }).waitFor();
    await expect(page.locator('.ant-table-row').filter({ hasText: '杭州未审科技有限公司' }).count()).resolves.toBe(0);
    await journey.screenshot(page, 'public-notices');

    // Filtered by region, then by program.
    await page.getByLabel('地区').fill('宁波');
    await page.getByLabel('地区').press('Enter');
    await page.waitForURL(/region=330200/);
    await page.locator('.ant-table-row').filter({ hasText: '杭州深算科技有限公司' }).waitFor({ state: 'detached' });
    await page.locator('.ant-table-row').filter({ hasText: '宁波海数科技有限公司' }).waitFor();
    await page.goto(`${journey.server.url}/console/notices?programId=${hangzhouProgram}`);
    await page.locator('.ant-table-row').filter({ hasText: '杭州深算科技有限公司' }).waitFor();
    await expect(page.locator('.ant-table-row').count()).resolves.toBe(1);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.every((authorization) => authorization === undefined)).toBe(true);

    // In English too.
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Public notices' }).waitFor();
    await page.getByRole('columnheader', { name: 'Notice period' }).waitFor();
    await page.getByText('中文', { exact: true }).click();

    // Signed in, the enterprise finds the same page in its menu; the notices are still read without its token.
    const signedIn = await journey.newPage();
    signedIn.on('request', (request) => {
      if (request.url().includes('/v1/public/notices')) sent.push(request.headers()['authorization']);
    });
    await journey.signIn(signedIn, { sub: 'szkj-finance', role: 'enterprise', org: ENTERPRISE });
    await signedIn.getByRole('menuitem', { name: '公示' }).click();
    await signedIn.locator('.ant-table-row').filter({ hasText: '杭州深算科技有限公司' }).waitFor();
    expect(sent.every((authorization) => authorization === undefined)).toBe(true);
    expect(journey.pageErrors).toEqual([]);
  });
});
