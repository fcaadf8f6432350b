import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BEIJING, ENTERPRISE, HANGZHOU, NINGBO, ZHEJIANG } from '../helpers/fixtures.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

const path = `/v1/beneficiaries/${ENTERPRISE}/usage?year=2025`;

describe('a beneficiary’s usage', () => {
  it('shows the policy-wide totals to any issuer or auditor within the jurisdiction, program figures only within the caller’s region', async () => {
    const s = scenario(t);
    const { program, voucher, contract } = await s.ready({ program: { limits: { 'compute.non_autonomous': { annualCap: '5000.00' } } } });
    // 10% of 10,000.00 executed is 1,000.00.
    expect((await s.redeem(voucher.id, contract.id, '10000.00')).body.subsidy).toBe('1000.00');
    const policyWide = { granted: '1000.00', reserved: '0.00', annualCap: '8000000.00', remaining: '7999000.00' };
    const ownProgram = {
      programId: program.id,
      region: HANGZHOU,
      buckets: { 'compute.non_autonomous': { granted: '1000.00', reserved: '0.00', annualCap: '5000.00', remaining: '4000.00' } },
    };

    const hangzhou = await t.issuer.get(path);
    expect(hangzhou.body.buckets['compute.non_autonomous']).toEqual(policyWide);
    expect(hangzhou.body.programs).toEqual([ownProgram]);
    expect((await t.auditor.get(path)).body.programs).toEqual([ownProgram]); // Zhejiang covers Hangzhou

    for (const claims of [
      { role: 'issuer', region: NINGBO },
      { role: 'auditor', region: NINGBO },
    ]) {
      const ningbo = await (await t.as(claims)).get(path);
      expect(ningbo.body.buckets['compute.non_autonomous']).toEqual(policyWide);
      expect(ningbo.body.programs).toEqual([]);
    }
    expect(ZHEJIANG).toBe('330000');
  });

  it('is refused to issuers and auditors outside the policy’s jurisdiction, and to providers', async () => {
    for (const claims of [
      { role: 'auditor', region: BEIJING },
      { role: 'issuer', region: BEIJING },
    ]) {
      expect((await (await t.as(claims)).get(path)).body).toMatchObject({ status: 403, code: 'forbidden' });
    }
    expect((await t.provider.get(path)).status).toBe(403);
  });
});
