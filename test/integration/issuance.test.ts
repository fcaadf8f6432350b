import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENTERPRISE, PROVIDER } from '../helpers/fixtures.js';
import { expectLedgerInvariants, lastEntry, snapshot } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let s: ReturnType<typeof scenario>;
beforeEach(async () => {
  t = await buildTestApp();
  s = scenario(t);
});
afterEach(() => t.close());

describe('programs', () => {
  it('funding a program moves its budget from the region appropriation into the program', async () => {
    const res = await t.issuer.post('/v1/programs', { name: '杭州算力券 2025', kind: 'compute', budget: '250000000.00' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^prg_/),
      name: '杭州算力券 2025',
      kind: 'compute',
      region: '330100',
      policyId: 'zj-ai-2025',
      budget: '250000000.00',
      available: '250000000.00',
      limits: { 'compute.autonomous': { rate: '0.30', annualCap: null }, 'compute.non_autonomous': { rate: '0.10', annualCap: null } },
      requireRegisteredProviders: false,
      issuance: 'direct',
      applications: null,
      // Redemptions are owed at once unless a program asks for confirmation or review (decision 0041).
      claims: { beneficiaryConfirmation: false, review: false, confirmationDays: 10 },
      // Open-ended unless given a period; open until closed (decision 0042).
      period: null,
      status: 'open',
      closedOn: null,
      funding: [{ region: '330100', ratio: '1', amount: '250000000.00', confirmed: '250000000.00', pending: '0.00', status: 'confirmed' }],
      receipt: expect.objectContaining({ seq: 1, treeSize: 1 }),
    });
    const entry = await lastEntry(t.db);
    expect(entry).toMatchObject({ seq: 1, type: 'program.funded', prevHash: '0'.repeat(64), actor: { role: 'issuer', region: '330100' } });
    expect(entry.postings).toEqual([
      { account: 'appropriation:330100', amount: '-250000000.00' },
      { account: `program:${res.body.id}`, amount: '250000000.00' },
    ]);
  });

  it('a program may not loosen the policy: exceeds_policy', async () => {
    const res = await t.issuer.post('/v1/programs', { name: 'x', kind: 'compute', budget: '1.00', limits: { 'compute.non_autonomous': { rate: '0.20' } } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('exceeds_policy');
    const cap = await t.issuer.post('/v1/programs', { name: 'x', kind: 'corpus', budget: '1.00', limits: { corpus: { annualCap: '2000000.01' } } });
    expect(cap.body.code).toBe('exceeds_policy');
  });

  it('a limits bucket of another kind is a 400 naming it', async () => {
    const res = await t.issuer.post('/v1/programs', { name: 'x', kind: 'corpus', budget: '1.00', limits: { model: { rate: '0.10' } } });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('limits.model');
  });

  it('an issuer outside Zhejiang cannot run a zj-ai-2025 program: outside_jurisdiction', async () => {
    const beijing = await t.as({ role: 'issuer', region: '110000' });
    const res = await beijing.post('/v1/programs', { name: 'x', kind: 'model', budget: '1.00' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('outside_jurisdiction');
  });

  it('an unknown policy is a 400 on policyId', async () => {
    const res = await t.issuer.post('/v1/programs', { name: 'x', kind: 'model', budget: '1.00', policyId: 'gd-ai-2030' });
    expect(res.body).toMatchObject({ status: 400, field: 'policyId' });
  });
});

describe('vouchers', () => {
  it('issuing moves the amount from the program to the voucher', async () => {
    const program = await s.program({ budget: '1000.00' });
    const res = await t.issuer.post('/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: '示例' },
      amount: '600.00',
      expiresOn: '2026-12-31',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      programId: program.id,
      kind: 'compute',
      beneficiary: { uscc: ENTERPRISE, name: '示例' },
      amount: '600.00',
      balance: '600.00',
      status: 'active',
      expiresOn: '2026-12-31',
    });
    expect((await t.issuer.get(`/v1/programs/${program.id}`)).body.available).toBe('400.00');
    expect((await t.auditor.get(`/v1/vouchers/${res.body.id}`)).body.balance).toBe('600.00');
  });

  it('when the program cannot cover the amount, insufficient_budget and nothing changes', async () => {
    const program = await s.program({ budget: '1000.00' });
    await s.voucher(program.id, { amount: '999.99' });
    const before = await snapshot(t.db);
    const res = await t.issuer.post('/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: 'a' },
      amount: '0.02',
      expiresOn: '2026-12-31',
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('insufficient_budget');
    expect(await snapshot(t.db)).toBe(before);
  });

  it('a USCC with a wrong check character is a 400 on beneficiary.uscc', async () => {
    const program = await s.program();
    const res = await t.issuer.post('/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: '91330100799655058C', name: 'a' },
      amount: '1.00',
      expiresOn: '2026-12-31',
    });
    expect(res.body).toMatchObject({ status: 400, code: 'validation_failed', field: 'beneficiary.uscc' });
  });

  it('another region’s issuer may neither issue on nor read the program', async () => {
    const program = await s.program();
    const ningbo = await t.as({ role: 'issuer', region: '330200' });
    const issued = await ningbo.post('/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: 'a' },
      amount: '1.00',
      expiresOn: '2026-12-31',
    });
    expect(issued.status).toBe(403);
    expect((await ningbo.get(`/v1/programs/${program.id}`)).status).toBe(403);
  });

  it('revoking returns the balance to the program; revoking twice is voucher_not_active', async () => {
    const { program, voucher, contract } = await s.ready({ program: { budget: '10000.00' }, voucher: { amount: '1000.00' } });
    await s.redeem(voucher.id, contract.id, '1000.00');
    const res = await t.issuer.post(`/v1/vouchers/${voucher.id}/revoke`, { reason: '企业注销' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'revoked', balance: '0.00', closeReason: '企业注销' });
    expect((await t.issuer.get(`/v1/programs/${program.id}`)).body.available).toBe('9900.00');
    expect(await lastEntry(t.db)).toMatchObject({ type: 'voucher.revoked', data: { returned: '900.00', reason: '企业注销' } });
    expect((await t.issuer.post(`/v1/vouchers/${voucher.id}/revoke`, { reason: 'again' })).body.code).toBe('voucher_not_active');
  });

  it('the expiry sweep closes lapsed vouchers of the issuer’s region and returns their balances', async () => {
    const program = await s.program({ budget: '10000.00' });
    const lapsing = await s.voucher(program.id, { amount: '1000.00', expiresOn: '2025-12-20' });
    const lasting = await s.voucher(program.id, { amount: '2000.00', expiresOn: '2026-12-31' });
    t.clock.set('2025-12-20T15:00:00Z'); // 23:00 in Shanghai on the last valid day
    expect((await t.issuer.post('/v1/vouchers/expiry-sweep')).body).toEqual({ expired: [] });
    t.clock.set('2025-12-20T16:00:00Z'); // midnight in Shanghai: the voucher has lapsed
    const res = await t.issuer.post('/v1/vouchers/expiry-sweep');
    expect(res.body).toEqual({
      expired: [{ voucherId: lapsing.id, programId: program.id, returned: '1000.00' }],
      receipt: expect.objectContaining({ inclusionPath: expect.any(Array) }),
    });
    expect((await t.issuer.get(`/v1/vouchers/${lapsing.id}`)).body.status).toBe('expired');
    expect((await t.issuer.get(`/v1/vouchers/${lasting.id}`)).body.status).toBe('active');
    expect((await t.issuer.get(`/v1/programs/${program.id}`)).body.available).toBe('8000.00');
    expect((await lastEntry(t.db)).type).toBe('voucher.expired');
    const contract = await s.contract();
    const late = await s.redeem(lapsing.id, contract.id, '10.00', { executedOn: '2025-12-19' });
    expect(late.body.code).toBe('voucher_not_active');
    await expectLedgerInvariants(t.db);
  });

  it('an expiry date in the past is a 400 on expiresOn', async () => {
    const program = await s.program();
    const res = await t.issuer.post('/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: 'a' },
      amount: '1.00',
      expiresOn: '2025-12-14',
    });
    expect(res.body).toMatchObject({ status: 400, field: 'expiresOn' });
  });
});

describe('contracts', () => {
  it('registers a contract for the token’s provider', async () => {
    const res = await t.provider.post('/v1/contracts', {
      number: 'HT-1',
      beneficiaryUscc: ENTERPRISE,
      kind: 'compute',
      autonomous: true,
      amount: '1000.00',
      signedOn: '2025-07-01',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^ctr_/),
      number: 'HT-1',
      providerUscc: PROVIDER,
      beneficiaryUscc: ENTERPRISE,
      kind: 'compute',
      autonomous: true,
      amount: '1000.00',
      signedOn: '2025-07-01',
      nationalKeyProject: false,
      netExecuted: '0.00',
      netSubsidy: '0.00',
      voucherId: null,
    });
  });

  it('a provider contracting with itself is related_party', async () => {
    const res = await t.provider.post('/v1/contracts', { number: 'HT-2', beneficiaryUscc: PROVIDER, kind: 'model', amount: '1.00', signedOn: '2025-07-01' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('related_party');
  });

  it('compute needs autonomous; other kinds must not have it', async () => {
    const missing = await t.provider.post('/v1/contracts', {
      number: 'a',
      beneficiaryUscc: ENTERPRISE,
      kind: 'compute',
      amount: '1.00',
      signedOn: '2025-07-01',
    });
    expect(missing.body).toMatchObject({ status: 400, field: 'autonomous' });
    const extra = await t.provider.post('/v1/contracts', {
      number: 'a',
      beneficiaryUscc: ENTERPRISE,
      kind: 'corpus',
      autonomous: true,
      amount: '1.00',
      signedOn: '2025-07-01',
    });
    expect(extra.body).toMatchObject({ status: 400, field: 'autonomous' });
  });

  it('the same contract number twice from one provider is duplicate_contract', async () => {
    await s.contract({ number: 'HT-9' });
    const res = await t.provider.post('/v1/contracts', { number: 'HT-9', beneficiaryUscc: ENTERPRISE, kind: 'model', amount: '1.00', signedOn: '2025-07-01' });
    expect(res).toMatchObject({ status: 409, body: { code: 'duplicate_contract' } });
  });
});

describe('the append-only ledger', () => {
  it('the database itself refuses UPDATE and DELETE on ledger entries and postings', async () => {
    await s.program();
    await expect(sql`update ledger_entries set type = 'x'`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from ledger_entries`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`update ledger_postings set amount_fen = 1`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from ledger_postings`.execute(t.db)).rejects.toThrow(/append-only/);
    await expectLedgerInvariants(t.db);
  });

  it('GET /v1/ledger pages by seq and shows each auditor only the regions it covers', async () => {
    const ningbo = await t.as({ role: 'issuer', region: '330200' });
    await s.program();
    await s.program({}, ningbo);
    await s.program();
    const page = await t.auditor.get('/v1/ledger?limit=2');
    expect(page.body.entries.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(page.body.nextAfterSeq).toBe(2);
    const rest = await t.auditor.get('/v1/ledger?afterSeq=2&limit=2');
    expect(rest.body).toMatchObject({ entries: [{ seq: 3 }], nextAfterSeq: null });
    const hz = await t.as({ role: 'auditor', region: '330100' });
    const hzPage = await hz.get('/v1/ledger');
    expect(hzPage.body.entries.map((e: { seq: number }) => e.seq)).toEqual([1, 3]);
    expect(hzPage.body.entries[1].prevHash).toBe(page.body.entries[1].hash);
    expect((await t.issuer.get('/v1/ledger')).status).toBe(403);
  });
});
