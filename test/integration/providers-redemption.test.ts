import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runVerification } from '../../src/verifier/run.js';
import { HANGZHOU, NINGBO, PROVIDER, XIHU, ZHEJIANG } from '../helpers/fixtures.js';
import { expectLedgerInvariants, lastEntry, snapshot } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { rehash, relink } from '../helpers/tamper.js';
import { buildTestApp, type Client, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let s: ReturnType<typeof scenario>;
beforeEach(async () => {
  t = await buildTestApp();
  s = scenario(t);
});
afterEach(() => t.close());

const BANK = { bankName: '中国工商银行杭州分行', accountName: '杭州云算科技有限公司', accountNumber: '1202020109900012345' };
const AUTONOMOUS_GPU = { code: 'GPU-A', name: '国产智算集群', kind: 'compute', autonomous: true };
const GENERAL_GPU = { code: 'GPU-B', name: '通用算力', kind: 'compute', autonomous: false };

async function register(services: Record<string, unknown>[], as: Client = t.issuer) {
  const res = await as.post('/v1/providers', { uscc: PROVIDER, name: '杭州云算科技有限公司', bankAccount: BANK, services });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { region: string; version: number };
}

/** A program that requires registered providers (Hangzhou unless another issuer is given) with a voucher. */
async function requiringProgram(as: Client = t.issuer) {
  const program = await s.program({ requireRegisteredProviders: true }, as);
  const voucher = await s.voucher(program.id, {}, as);
  return { program, voucher };
}

async function expectRefused(send: () => PromiseLike<{ status: number; body: Record<string, unknown> }>, code: string) {
  const before = await snapshot(t.db);
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(422);
  expect(res.body).toMatchObject({ code, type: `urn:voucher-ledger:problem:${code}` });
  expect(await snapshot(t.db)).toBe(before);
}

describe('a program that requires registered providers', () => {
  it('refuses an unregistered provider, then grants 10% of 10,000.00 = 1,000.00 once it is registered', async () => {
    const { voucher } = await requiringProgram();
    const contract = await s.contract({ autonomous: false, serviceCode: 'GPU-B' });
    expect(contract['serviceCode']).toBe('GPU-B');
    expect((await t.provider.get(`/v1/contracts/${contract.id}`)).body).toMatchObject({ serviceCode: 'GPU-B', autonomous: false });
    await expectRefused(() => s.redeem(voucher.id, contract.id, '10000.00'), 'provider_not_registered');

    await register([GENERAL_GPU]);
    const res = await s.redeem(voucher.id, contract.id, '10000.00');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ rate: '0.10', entitlement: '1000.00', subsidy: '1000.00', voucherBalance: '49999000.00' });
    // The entry names the contract's service and the registration (and its version) that admitted the provider.
    const entry = await lastEntry(t.db);
    expect(entry.data['contract']).toMatchObject({ serviceCode: 'GPU-B', autonomous: false });
    expect(entry.data['providerRegistration']).toEqual({ region: HANGZHOU, version: 1 });
    await expectLedgerInvariants(t.db);
  });

  it('refuses an autonomy mismatch: an autonomous contract on a service registered as non-autonomous, and the reverse', async () => {
    const { voucher } = await requiringProgram();
    await register([AUTONOMOUS_GPU, GENERAL_GPU]);
    const claimsAutonomous = await s.contract({ autonomous: true, serviceCode: 'GPU-B' });
    await expectRefused(() => s.redeem(voucher.id, claimsAutonomous.id, '10000.00'), 'autonomy_mismatch');
    const claimsGeneral = await s.contract({ autonomous: false, serviceCode: 'GPU-A' });
    await expectRefused(() => s.redeem(voucher.id, claimsGeneral.id, '10000.00'), 'autonomy_mismatch');
    // The matching service: 30% of 10,000.00.
    const matching = await s.contract({ autonomous: true, serviceCode: 'GPU-A' });
    expect((await s.redeem(voucher.id, matching.id, '10000.00')).body).toMatchObject({ rate: '0.30', subsidy: '3000.00' });
  });

  it('refuses a compute contract that names no service or an unregistered one: service_not_registered', async () => {
    const { voucher } = await requiringProgram();
    await register([AUTONOMOUS_GPU, { code: 'CORPUS-LAW', name: '法律语料', kind: 'corpus' }]);
    const unnamed = await s.contract({ autonomous: true });
    await expectRefused(() => s.redeem(voucher.id, unnamed.id, '100.00'), 'service_not_registered');
    const unknown = await s.contract({ autonomous: true, serviceCode: 'GPU-Z' });
    await expectRefused(() => s.redeem(voucher.id, unknown.id, '100.00'), 'service_not_registered');
    const otherKind = await s.contract({ autonomous: true, serviceCode: 'CORPUS-LAW' });
    await expectRefused(() => s.redeem(voucher.id, otherKind.id, '100.00'), 'service_not_registered');
  });

  it('refuses a suspended provider, and admits it again once reinstated (the entry naming the version that admitted it)', async () => {
    const { voucher } = await requiringProgram();
    await register([GENERAL_GPU]);
    const contract = await s.contract({ autonomous: false, serviceCode: 'GPU-B' });
    expect((await t.issuer.post(`/v1/providers/${PROVIDER}/suspend`, { reason: '发票核查' })).status).toBe(200);
    await expectRefused(() => s.redeem(voucher.id, contract.id, '100.00'), 'provider_not_registered');
    expect((await t.issuer.post(`/v1/providers/${PROVIDER}/reinstate`, { reason: '核查完毕' })).status).toBe(200);
    expect((await s.redeem(voucher.id, contract.id, '100.00')).body).toMatchObject({ subsidy: '10.00' });
    expect((await lastEntry(t.db)).data['providerRegistration']).toEqual({ region: HANGZHOU, version: 3 });
  });

  it('accepts a registration of a region that covers the program’s, not one beside it; the nearest register decides', async () => {
    const xihu = await t.as({ role: 'issuer', region: XIHU });
    const ningbo = await t.as({ role: 'issuer', region: NINGBO });
    const province = await t.as({ role: 'issuer', region: ZHEJIANG });
    const county = await requiringProgram(xihu);
    const nb = await requiringProgram(ningbo);
    const contract = await s.contract({ autonomous: false, serviceCode: 'GPU-B' });
    await register([GENERAL_GPU], ningbo);
    // Registered in Ningbo only: nothing covers Xihu.
    await expectRefused(() => s.redeem(county.voucher.id, contract.id, '100.00'), 'provider_not_registered');
    // Hangzhou's register covers its county Xihu.
    await register([GENERAL_GPU]);
    expect((await s.redeem(county.voucher.id, contract.id, '100.00')).status).toBe(201);
    expect((await lastEntry(t.db)).data['providerRegistration']).toEqual({ region: HANGZHOU, version: 1 });

    // Suspended by Hangzhou but active in the province's register: Hangzhou's (the nearer) decides for Xihu,
    // the province's for a Ningbo program... which Ningbo's own register decides first.
    await register([GENERAL_GPU], province);
    expect((await t.issuer.post(`/v1/providers/${PROVIDER}/suspend`, { reason: '市级暂停' })).status).toBe(200);
    await expectRefused(() => s.redeem(county.voucher.id, contract.id, '100.00'), 'provider_not_registered');
    const other = await s.contract({ autonomous: false, serviceCode: 'GPU-B' });
    expect((await s.redeem(nb.voucher.id, other.id, '100.00')).status).toBe(201);
    expect((await lastEntry(t.db)).data['providerRegistration']).toEqual({ region: NINGBO, version: 1 });
  });
});

describe('a program without the flag', () => {
  it('is unaffected: an unregistered provider redeems without naming a service, and the register is not consulted', async () => {
    const { voucher, contract } = await s.ready();
    const res = await s.redeem(voucher.id, contract.id, '10000.00');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ rate: '0.10', subsidy: '1000.00' });
    const entry = await lastEntry(t.db);
    expect(entry.data['providerRegistration']).toBeNull();
    expect(entry.data['contract']).toMatchObject({ serviceCode: null });
  });
});

describe('the verifier and redemptions of the provider register', () => {
  type Entry = { seq: number; type: string; data: Record<string, unknown>; prevHash: string; hash: string };
  const dir = mkdtempSync(join(tmpdir(), 'vl-providers-'));
  const verify = (list: Entry[], name: string) => {
    const file = join(dir, name);
    writeFileSync(file, list.map((e) => `${JSON.stringify(e)}\n`).join(''));
    return runVerification({ file });
  };

  /** Redemptions: one of a program without the flag, two of one that requires registration, another without. */
  async function ledger(): Promise<Entry[]> {
    const early = await s.ready();
    expect((await s.redeem(early.voucher.id, early.contract.id, '300.00')).status).toBe(201);
    const { voucher } = await requiringProgram();
    await register([GENERAL_GPU]);
    const contract = await s.contract({ autonomous: false, serviceCode: 'GPU-B' });
    expect((await s.redeem(voucher.id, contract.id, '10000.00')).status).toBe(201);
    expect((await s.redeem(voucher.id, contract.id, '2000.00')).status).toBe(201);
    const plain = await s.ready();
    expect((await s.redeem(plain.voucher.id, plain.contract.id, '500.00')).status).toBe(201);
    const exported = await t.auditor.get('/v1/ledger/export?format=ndjson');
    return exported.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Entry);
  }

  it('accepts the new shape, and a redemption written before the register (neither member) as well', async () => {
    const entries = await ledger();
    expect((await verify(entries, 'new.ndjson')).ok).toBe(true);
    // As the service wrote redemptions before this change: no providerRegistration, no contract.serviceCode.
    const redemptions = entries.flatMap((e, i) => (e.type === 'redemption.recorded' ? [i] : []));
    const asLegacy = (list: Entry[], index: number) =>
      list.map((entry, i) => {
        if (i !== index) return entry;
        const { providerRegistration: _r, ...data } = entry.data;
        const { serviceCode: _c, ...contract } = data['contract'] as Record<string, unknown>;
        return { ...entry, data: { ...data, contract } };
      });
    const before = await verify(relink(asLegacy(entries, redemptions[0]!), 0), 'legacy.ndjson');
    expect(before.ok, JSON.stringify(before.firstFailure)).toBe(true);
    // The older shape after the newer one is a forgery: the service never writes it again.
    const last = redemptions.at(-1)!;
    const after = await verify(relink(asLegacy(entries, last), 0), 'legacy-after.ndjson');
    expect(after.firstFailure).toMatchObject({ seq: entries[last]!.seq, check: 'derived-inputs' });
    expect(after.firstFailure?.reason).toContain(
      `a redemption in the shape written before the provider register comes after seq ${entries[redemptions[0]!]!.seq}`,
    );
  });

  it('catches a forged providerRegistration or serviceCode, and a half-legacy entry', async () => {
    const entries = await ledger();
    const index = entries.findIndex((e) => e.type === 'redemption.recorded' && e.data['providerRegistration'] !== null);
    const forge = (edit: (data: Record<string, unknown>) => void) => {
      const copy = structuredClone(entries);
      edit(copy[index]!.data);
      copy[index] = rehash(copy[index]!);
      return relink(copy, index + 1);
    };
    const cases: [string, (data: Record<string, unknown>) => void, RegExp][] = [
      [
        'a registration region that is no region',
        (d) => ((d['providerRegistration'] as Record<string, unknown>)['region'] = '33010X'),
        /providerRegistration\.region/,
      ],
      ['a version of 0', (d) => ((d['providerRegistration'] as Record<string, unknown>)['version'] = 0), /providerRegistration\.version/],
      ['a member hidden in it', (d) => ((d['providerRegistration'] as Record<string, unknown>)['status'] = 'active'), /providerRegistration\.status/],
      ['a serviceCode that is a number', (d) => ((d['contract'] as Record<string, unknown>)['serviceCode'] = 7), /contract\.serviceCode/],
      ['a serviceCode dropped from a new entry', (d) => delete (d['contract'] as Record<string, unknown>)['serviceCode'], /contract\.serviceCode is missing/],
      ['a serviceCode added to a legacy entry', (d) => delete d['providerRegistration'], /contract\.serviceCode is not a member/],
    ];
    for (const [name, edit, reason] of cases) {
      const report = await verify(forge(edit), `forged-${cases.findIndex((c) => c[0] === name)}.ndjson`);
      expect(report.ok, name).toBe(false);
      expect(report.firstFailure, name).toMatchObject({ seq: entries[index]!.seq, check: 'format' });
      expect(report.firstFailure?.reason, name).toMatch(reason);
    }
  });

  it('re-checks the recorded registration against the program: forged ones are caught in derived-inputs', async () => {
    const entries = await ledger();
    const redemptions = entries.flatMap((e, i) => (e.type === 'redemption.recorded' ? [i] : []));
    const [, first, second, plain] = redemptions as [number, number, number, number];
    expect(entries[plain]!.data['providerRegistration']).toBeNull();
    const forge = (index: number, edit: (data: Record<string, unknown>) => void) => {
      const copy = structuredClone(entries);
      edit(copy[index]!.data);
      copy[index] = rehash(copy[index]!);
      return relink(copy, index + 1);
    };
    const contractOf = (d: Record<string, unknown>) => d['contract'] as Record<string, unknown>;
    const cases: [string, number, (data: Record<string, unknown>) => void, string][] = [
      [
        'no registration on a program that requires one',
        first,
        (d) => (d['providerRegistration'] = null),
        'requires registered providers, but the redemption records no providerRegistration',
      ],
      [
        'the entry rewritten in the shape from before the register',
        first,
        (d) => {
          delete d['providerRegistration'];
          delete contractOf(d)['serviceCode'];
        },
        'a redemption in the shape written before the provider register comes after seq',
      ],
      [
        'a registration of a region beside the program’s',
        first,
        (d) => ((d['providerRegistration'] as Record<string, unknown>)['region'] = NINGBO),
        `providerRegistration.region ${NINGBO} does not cover`,
      ],
      ['a compute contract without its service', first, (d) => (contractOf(d)['serviceCode'] = null), 'the compute contract names no serviceCode'],
      [
        'another service on the contract’s next redemption',
        second,
        (d) => (contractOf(d)['serviceCode'] = 'GPU-A'),
        'contract.serviceCode is "GPU-A" but the contract\'s earlier redemptions says "GPU-B"',
      ],
      [
        'a registration on a program that does not require one',
        plain,
        (d) => (d['providerRegistration'] = { region: HANGZHOU, version: 1 }),
        'does not require registered providers',
      ],
    ];
    for (const [name, index, edit, reason] of cases) {
      const report = await verify(forge(index, edit), `registry-${cases.findIndex((c) => c[0] === name)}.ndjson`);
      expect(report.ok, name).toBe(false);
      expect(report.firstFailure, name).toMatchObject({ seq: entries[index]!.seq, check: 'derived-inputs' });
      expect(report.firstFailure?.reason, name).toContain(reason);
    }
  });
});
