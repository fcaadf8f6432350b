import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANGZHOU, ZHEJIANG } from '../helpers/fixtures.js';
import { mintToken } from '../helpers/test-app.js';
import { CHROMIUM, type Journey, type LedgerPage, startJourney } from './browser.js';

describe.skipIf(!existsSync(CHROMIUM))('console: a co-funded program (the worked example of docs/programs.md)', () => {
  let journey: Journey;
  let programId: string;
  beforeAll(async () => {
    journey = await startJourney();
    const city = await mintToken({ sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU });
    programId = (
      await journey.post<{ id: string }>(city, '/v1/programs', {
        name: '杭州算力券（省市共担）',
        kind: 'compute',
        budget: '100.01',
        funding: [
          { region: HANGZHOU, ratio: '0.6' },
          { region: ZHEJIANG, ratio: '0.4' },
        ],
      })
    ).id;
  });
  afterAll(async () => journey?.close());

  it('the province confirms its pending share, then the city increases the budget', async () => {
    const province = await journey.newPage();
    await journey.signIn(province, { sub: 'zj-finance', role: 'issuer', region: ZHEJIANG });
    const awaiting = province.getByRole('row').filter({ hasText: '杭州算力券（省市共担）' }).first();
    await expect(awaiting.innerText()).resolves.toContain('¥40.00');
    await awaiting.getByRole('button', { name: '确认本级出资' }).click();
    await province.getByText('待本级确认出资的项目').waitFor({ state: 'detached' });

    const city = await journey.newPage();
    await journey.signIn(city, { sub: 'hz-officer-a', role: 'issuer', region: HANGZHOU }, `programs/${programId}`);
    await city.getByText('¥100.01').first().waitFor();
    await city.getByLabel('金额（元）', { exact: true }).fill('10.01');
    await city.getByLabel('原因').fill('追加年度预算');
    await city.getByRole('button', { name: '提交调整' }).click();
    // 10.01 splits 6.01 / 4.00: the city's share is available at once, the province's is pending again.
    await city.getByText('¥106.02').first().waitFor();
    await expect(city.getByTestId('funding').getByRole('row').filter({ hasText: '浙江省 330000' }).innerText()).resolves.toMatch(
      /40%[\s\S]*¥44\.00[\s\S]*¥40\.00[\s\S]*¥4\.00/,
    );

    const auditor = await mintToken({ role: 'auditor', region: ZHEJIANG });
    const ledger = await journey.api<LedgerPage>(auditor, '/v1/ledger?limit=100');
    expect(ledger.entries.map((entry) => entry.type)).toEqual(['program.funded', 'program.funded', 'program.budget_changed']);
    expect(ledger.entries[1]!.data).toMatchObject({ funder: ZHEJIANG, amount: '40.00' });
    await journey.screenshot(city, 'co-funding-journey');
    expect(journey.pageErrors).toEqual([]);
  });
});
