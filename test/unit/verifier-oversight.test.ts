// The verifier against decision 0042's entries, fed hand-built chains through verifyEntries: a program's period and
// close, listings and their delistings, related-party groups, nationwide invoices and spot checks. Each chain is
// built by a small model of its own (below), hashed and linked as the service would; each forgery must fail at its
// seq, in its check, with the verifier saying why.
import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitByWeights } from '../../src/rules/split.js';
import { largestRemainderByWeights } from '../../src/verifier/funding.js';
import { KeyTable } from '../../src/verifier/key-table.js';
import { drawKey, sampleSize } from '../../src/verifier/oversight.js';
import { buildReport, formatReport, type Report } from '../../src/verifier/report.js';
import { verifyEntries } from '../../src/verifier/verify.js';
import { uscc } from '../helpers/fixtures.js';
import type { ExportedEntry } from '../helpers/tamper.js';

type Data = Record<string, unknown>;
type Entry = ExportedEntry;

const HANGZHOU = '330100';
const NINGBO = '330200';
const ZHEJIANG = '330000';
const PROVIDER = uscc(1);
const OTHER_PROVIDER = uscc(2);
const ENTERPRISE = uscc(101);
const OTHER_ENTERPRISE = uscc(102);
const SHA = 'a'.repeat(64);

const yuan = (fen: bigint) => `${fen < 0n ? '-' : ''}${(fen < 0n ? -fen : fen) / 100n}.${String((fen < 0n ? -fen : fen) % 100n).padStart(2, '0')}`;
const fen = (text: string) => BigInt(text.replace('.', ''));
const at = (date: string) => `${date}T02:00:00.000Z`;
const issuer = (region = HANGZHOU) => ({ sub: `issuer-${region}`, role: 'issuer', region });
const id = (prefix: string, n: number) => `${prefix}_00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface Program {
  region: string;
  funders: { region: string; ratio: string }[];
  confirmed: Map<string, bigint>;
  pending: Map<string, bigint>;
  period: { fiscalYear: number; closesOn: string } | null;
  approved: string[];
}

/**
 * A model of the chain, just enough to write genuine entries: balances, programs' funders, vouchers, contracts and
 * usage, each redemption at 30% for autonomous compute without caps. Its own, so that it does not lean on the verifier.
 */
/** The largest-remainder split by ratios of at most 4 decimals, in ten-thousandths. */
const splitByRatios = (amount: bigint, funders: { region: string; ratio: string }[]) =>
  splitByWeights(
    amount,
    funders.map((f) => ({ region: f.region, weight: BigInt(Math.round(Number(f.ratio) * 10_000)) })),
  ).map((s) => s.amount);

class Chain {
  readonly entries: Entry[] = [];
  now = at('2026-03-02');
  private n = 0;
  private readonly balances = new Map<string, bigint>();
  readonly programs = new Map<string, Program>();
  private readonly vouchers = new Map<string, { programId: string; region: string; closed: boolean }>();
  private readonly contracts = new Map<string, bigint>();
  private readonly usage = new Map<string, bigint>();

  /** A copy to go on from differently. */
  fork(): Chain {
    const copy = new Chain();
    copy.entries.push(...structuredClone(this.entries));
    copy.now = this.now;
    copy.n = this.n;
    for (const [key, value] of this.balances) copy.balances.set(key, value);
    for (const [key, value] of this.programs) copy.programs.set(key, structuredClone(value));
    for (const [key, value] of this.vouchers) copy.vouchers.set(key, { ...value });
    for (const [key, value] of this.contracts) copy.contracts.set(key, value);
    for (const [key, value] of this.usage) copy.usage.set(key, value);
    return copy;
  }

  next(prefix: string): string {
    return id(prefix, ++this.n);
  }

  balance(account: string): bigint {
    return this.balances.get(account) ?? 0n;
  }

  add(type: string, actor: Data, data: Data, postings: [string, bigint][] = []): Entry {
    const previous = this.entries.at(-1);
    const unhashed = {
      seq: this.entries.length + 1,
      type,
      recordedAt: this.now,
      actor,
      data,
      postings: postings.map(([account, amount]) => ({ account, amount: yuan(amount) })),
      prevHash: previous?.hash ?? '0'.repeat(64),
    };
    const entry = { ...unhashed, hash: createHash('sha256').update(canonicalize(unhashed)!).digest('hex') };
    this.entries.push(entry);
    for (const [account, amount] of postings) this.balances.set(account, this.balance(account) + amount);
    return entry;
  }

  /** A program of `budget` split by `funders` (the first its region), the co-funders' shares pending. */
  fund(budget: string, options: { region?: string; funders?: [string, string][]; period?: { fiscalYear: number; closesOn: string } } = {}): string {
    const region = options.region ?? HANGZHOU;
    const funders = (options.funders ?? [[region, '1']]).map(([r, ratio]) => ({ region: r, ratio }));
    const programId = this.next('prg');
    const amounts = splitByRatios(fen(budget), funders);
    const program: Program = { region, funders, confirmed: new Map(), pending: new Map(), period: options.period ?? null, approved: [] };
    funders.forEach((f, i) => (f.region === region ? program.confirmed : program.pending).set(f.region, amounts[i]!));
    this.programs.set(programId, program);
    const own = amounts[funders.findIndex((f) => f.region === region)]!;
    this.add(
      'program.funded',
      issuer(region),
      {
        region,
        programId,
        kind: 'compute',
        name: '算力券',
        policyId: 'zj-ai-2025',
        policySha256: SHA,
        budget,
        limits: { 'compute.autonomous': { rate: '0.30', annualCap: null } },
        requireRegisteredProviders: false,
        ...(options.period ? { period: options.period } : {}),
        funding: funders.map((f, i) => ({ ...f, amount: yuan(amounts[i]!), status: f.region === region ? 'confirmed' : 'pending' })),
      },
      [
        [`appropriation:${region}`, -own],
        [`program:${programId}`, own],
      ],
    );
    return programId;
  }

  confirm(programId: string, funder: string): void {
    const program = this.programs.get(programId)!;
    const amount = program.pending.get(funder)!;
    program.pending.set(funder, 0n);
    program.confirmed.set(funder, (program.confirmed.get(funder) ?? 0n) + amount);
    this.add('program.funded', issuer(funder), { region: program.region, programId, kind: 'compute', funder, amount: yuan(amount) }, [
      [`appropriation:${funder}`, -amount],
      [`program:${programId}`, amount],
    ]);
  }

  /** A budget increase, split by the funders' ratios: the program's own share confirmed, the others' pending. */
  increase(programId: string, amount: string): Entry {
    const program = this.programs.get(programId)!;
    const region = program.region;
    const shares = splitByRatios(fen(amount), program.funders);
    const own = shares[program.funders.findIndex((f) => f.region === region)]!;
    return this.add(
      'program.budget_changed',
      issuer(region),
      {
        region,
        programId,
        kind: 'compute',
        direction: 'increase',
        amount,
        reason: '追加预算',
        availableBefore: yuan(this.balance(`program:${programId}`)),
        shares: program.funders.map((f, i) => ({ ...f, amount: yuan(shares[i]!), status: f.region === region ? 'confirmed' : 'pending' })),
      },
      [
        [`appropriation:${region}`, -own],
        [`program:${programId}`, own],
      ],
    );
  }

  voucher(programId: string, amount: string, beneficiary = ENTERPRISE, expiresOn = '2026-03-31'): string {
    const voucherId = this.next('vch');
    const region = this.programs.get(programId)!.region;
    this.vouchers.set(voucherId, { programId, region, closed: false });
    this.add(
      'voucher.issued',
      issuer(region),
      { region, programId, kind: 'compute', voucherId, beneficiary: { uscc: beneficiary, name: '杭州深算科技有限公司' }, amount, expiresOn },
      [
        [`program:${programId}`, -fen(amount)],
        [`voucher:${voucherId}`, fen(amount)],
      ],
    );
    return voucherId;
  }

  /** A redemption.recorded on a contract of its own (or `contractId`), decided as the verifier's rules decide it. */
  redeem(voucherId: string, executed: string, parties: { provider?: string; beneficiary?: string; invoice?: string; contractId?: string } = {}): Entry {
    const voucher = this.vouchers.get(voucherId)!;
    const provider = parties.provider ?? PROVIDER;
    const beneficiary = parties.beneficiary ?? ENTERPRISE;
    const contractId = parties.contractId ?? this.next('ctr');
    const redemptionId = this.next('rdm');
    const netBefore = this.contracts.get(contractId) ?? 0n;
    const e = fen(executed);
    const entitlement = ((netBefore + e) * 3n) / 10n - (netBefore * 3n) / 10n;
    const balance = this.balance(`voucher:${voucherId}`);
    const subsidy = entitlement < balance ? entitlement : balance;
    const usageKey = (scope: string) => `${scope}|${beneficiary}`;
    const policyUsed = this.usage.get(usageKey('policy')) ?? 0n;
    const programUsed = this.usage.get(usageKey(voucher.programId)) ?? 0n;
    this.contracts.set(contractId, netBefore + e);
    this.usage.set(usageKey('policy'), policyUsed + subsidy);
    this.usage.set(usageKey(voucher.programId), programUsed + subsidy);
    this.programs.get(voucher.programId)!.approved.push(redemptionId);
    return this.add(
      'redemption.recorded',
      { sub: `provider-${provider}`, role: 'provider', org: provider },
      {
        region: voucher.region,
        programId: voucher.programId,
        kind: 'compute',
        redemptionId,
        voucherId,
        contract: {
          id: contractId,
          number: `HT-${contractId.slice(-4)}`,
          providerUscc: provider,
          beneficiaryUscc: beneficiary,
          amount: '1000000.00',
          autonomous: true,
          signedOn: '2026-01-10',
          serviceCode: null,
        },
        invoiceNumber: parties.invoice ?? `FP-${redemptionId.slice(-6)}`,
        executedAmount: executed,
        executedOn: '2026-02-27',
        year: 2026,
        policyId: 'zj-ai-2025',
        policySha256: SHA,
        bucket: 'compute.autonomous',
        policyRate: '0.30',
        rate: '0.30',
        netExecutedBefore: yuan(netBefore),
        netExecutedAfter: yuan(netBefore + e),
        entitlement: yuan(entitlement),
        annualCap: null,
        annualUsedBefore: yuan(policyUsed),
        programAnnualCap: null,
        programUsedBefore: yuan(programUsed),
        voucherBalanceBefore: yuan(balance),
        subsidy: yuan(subsidy),
        limitedBy: subsidy < entitlement ? 'voucher_balance' : null,
        providerRegistration: null,
      },
      [
        [`voucher:${voucherId}`, -subsidy],
        [`payable:${provider}`, subsidy],
      ],
    );
  }

  /** The close as decision 0042 writes it, on this model's state (its vouchers by id, the split over confirmed amounts). */
  close(programId: string): Entry {
    const program = this.programs.get(programId)!;
    const vouchers = [...this.vouchers]
      .filter(([, v]) => v.programId === programId && !v.closed)
      .map(([voucherId]) => voucherId)
      .sort()
      .map((voucherId) => ({ voucherId, returned: this.balance(`voucher:${voucherId}`) }));
    const availableBefore = this.balance(`program:${programId}`);
    const vouchersReturned = vouchers.reduce((sum, v) => sum + v.returned, 0n);
    const returned = availableBefore + vouchersReturned;
    const shares = splitByWeights(
      returned,
      program.funders.map((f) => ({ region: f.region, weight: program.confirmed.get(f.region) ?? 0n })),
    ).map((s) => s.amount);
    const funders = program.funders.map((f, i) => ({
      region: f.region,
      ratio: f.ratio,
      confirmed: yuan(program.confirmed.get(f.region) ?? 0n),
      pendingCancelled: yuan(program.pending.get(f.region) ?? 0n),
      returned: yuan(shares[i]!),
    }));
    for (const v of vouchers) this.vouchers.get(v.voucherId)!.closed = true;
    program.funders.forEach((f, i) => {
      program.confirmed.set(f.region, (program.confirmed.get(f.region) ?? 0n) - shares[i]!);
      program.pending.set(f.region, 0n);
    });
    return this.add(
      'program.closed',
      issuer(program.region),
      {
        region: program.region,
        programId,
        kind: 'compute',
        closedOn: this.now.slice(0, 10),
        period: program.period,
        vouchers: vouchers.map((v) => ({ voucherId: v.voucherId, returned: yuan(v.returned) })),
        vouchersReturned: yuan(vouchersReturned),
        availableBefore: yuan(availableBefore),
        returned: yuan(returned),
        funders,
      },
      [
        ...vouchers.map((v): [string, bigint] => [`voucher:${v.voucherId}`, -v.returned]),
        [`program:${programId}`, -availableBefore],
        ...program.funders.map((f, i): [string, bigint] => [`appropriation:${f.region}`, shares[i]!]),
      ],
    );
  }

  list(target: string, region = ZHEJIANG, listedOn = this.now.slice(0, 10)): string {
    const listingId = this.next('wl');
    this.add('watchlist.listed', issuer(region), {
      region,
      listingId,
      uscc: target,
      name: null,
      reason: '严重失信',
      source: '信用中国 严重失信主体名单',
      listedOn,
    });
    return listingId;
  }

  delist(listingId: string, target: string, region = ZHEJIANG): Entry {
    return this.add('watchlist.delisted', issuer(region), { region, listingId, uscc: target, reason: '信用修复', delistedOn: this.now.slice(0, 10) });
  }

  group(usccs: string[], region = HANGZHOU): string {
    const groupId = this.next('rpg');
    this.add('related_parties.declared', issuer(region), { region, groupId, relation: 'shareholding', usccs, reason: '控股' });
    return groupId;
  }

  /** A draw as decision 0042 makes it: the first round_half_up(rate × population) by sha256(seed + id). */
  draw(programId: string, rate: string, seed: string, actor: Data = { sub: 'zj-audit', role: 'auditor', region: ZHEJIANG }): Entry {
    const program = this.programs.get(programId)!;
    const population = program.approved.length;
    const [whole, fraction = ''] = rate.split('.');
    const units = BigInt(whole!) * 10_000n + BigInt(fraction.padEnd(4, '0'));
    const size = Number((units * BigInt(population) + 5_000n) / 10_000n);
    const key = (rid: string) =>
      createHash('sha256')
        .update(seed + rid, 'utf8')
        .digest('hex');
    const redemptionIds = [...program.approved].sort((a, b) => (key(a) < key(b) ? -1 : 1)).slice(0, size);
    return this.add('spot_check.drawn', actor, {
      region: program.region,
      programId,
      kind: 'compute',
      spotCheckId: this.next('spc'),
      seed,
      rate,
      population,
      size,
      redemptionIds,
    });
  }

  result(draw: Entry, redemptionId: string, outcome: 'passed' | 'failed' = 'passed', actor: Data = issuer()): Entry {
    const d = draw.data;
    return this.add('spot_check.result_recorded', actor, {
      region: d['region'],
      programId: d['programId'],
      kind: 'compute',
      spotCheckId: d['spotCheckId'],
      redemptionId,
      outcome,
      reason: '核查',
    });
  }
}

async function verify(entries: Entry[]): Promise<Report> {
  const outcome = await verifyEntries([{ lines: entries.map((value, i) => ({ line: i + 1, value })) }]);
  return buildReport(outcome, false);
}

/** The chain with `entry` replaced by `forge`'s edit of it, re-hashed and re-linked from there on, as an insider would. */
function forged(entries: Entry[], seq: number, forge: (entry: Entry) => void): Entry[] {
  const list = structuredClone(entries);
  forge(list[seq - 1]!);
  for (let i = seq - 1; i < list.length; i++) {
    const { hash: _old, ...rest } = { ...list[i]!, prevHash: i === 0 ? '0'.repeat(64) : list[i - 1]!.hash };
    list[i] = { ...rest, hash: createHash('sha256').update(canonicalize(rest)!).digest('hex') };
  }
  return list;
}

async function expectOk(chain: Chain): Promise<Report> {
  const report = await verify(chain.entries);
  expect(report.firstFailure).toBeNull();
  return report;
}

async function expectFailure(entries: Entry[], seq: number, check: string, reason: string | RegExp): Promise<void> {
  const report = await verify(entries);
  expect(report.firstFailure).toEqual({ seq, check, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) });
}

describe('the split of a close', () => {
  it('weighs the confirmed amounts: 100,000.01 at 0.6/0.4 confirmed gives 60,000.01 and 40,000.00', () => {
    expect(largestRemainderByWeights(10_000_001n, [6_000_001n, 4_000_000n])).toEqual([6_000_001n, 4_000_000n]);
    // A pending co-funder paid nothing in and gets nothing back; ties go to the funder listed first.
    expect(largestRemainderByWeights(101n, [500n, 0n])).toEqual([101n, 0n]);
    expect(largestRemainderByWeights(1n, [1n, 1n])).toEqual([1n, 0n]);
    expect(largestRemainderByWeights(5n, [0n, 0n])).toBeUndefined();
  });

  it('agrees with the service’s splitByWeights for any amount and any non-negative weights', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 999_999_999_999_999n }),
        fc.array(fc.bigInt({ min: 0n, max: 99_999_999_999n }), { minLength: 1, maxLength: 4 }).filter((w) => w.some((x) => x > 0n)),
        (amount, weights) => {
          const service = splitByWeights(
            amount,
            weights.map((weight, i) => ({ region: `33010${i}`, weight })),
          ).map((s) => s.amount);
          expect(largestRemainderByWeights(amount, weights)).toEqual(service);
        },
      ),
      { numRuns: 2_000, seed: 20260331 },
    );
  });
});

describe('a program’s period and close', () => {
  /** A co-funded program with a period, half spent through one voucher, a second voucher untouched, and its close. */
  function closedChain() {
    const chain = new Chain();
    const period = { fiscalYear: 2026, closesOn: '2026-03-31' };
    const program = chain.fund('100000.01', {
      funders: [
        [HANGZHOU, '0.6'],
        [ZHEJIANG, '0.4'],
      ],
      period,
    });
    chain.confirm(program, ZHEJIANG);
    const spent = chain.voucher(program, '5000.00');
    chain.voucher(program, '1000.00', OTHER_ENTERPRISE);
    chain.redeem(spent, '4000.00');
    chain.now = at('2026-03-31');
    const close = chain.close(program);
    return { chain, program, spent, close };
  }

  it('verifies a close that returns every voucher’s balance and the program’s available by the confirmed amounts', async () => {
    const { chain, close } = closedChain();
    // 94,000.01 available + 3,800.00 and 1,000.00 on the vouchers: 98,800.01 by 60,000.01 : 40,000.00.
    expect(close.data['returned']).toBe('98800.01');
    expect((close.data['funders'] as Data[]).map((f) => f['returned'])).toEqual(['59280.01', '39520.00']);
    const report = await expectOk(chain);
    expect(report.oversight).toEqual({ closed: 1, listings: 0, delisted: 0, groups: 0, spotChecks: 0, drawn: 0, results: 0, failed: 0 });
    expect(formatReport(report)).toContain(
      '\noversight: 1 program closed, 0 listings (0 delisted), 0 related-party groups, 0 spot checks (0 drawn, 0 results, 0 failed)\n',
    );
  });

  it('gives a pending co-funder nothing back, and cancels what it owed', async () => {
    const chain = new Chain();
    const program = chain.fund('1000.00', {
      funders: [
        [HANGZHOU, '0.5'],
        [ZHEJIANG, '0.5'],
      ],
    });
    const close = chain.close(program);
    expect(close.data['funders']).toEqual([
      { region: HANGZHOU, ratio: '0.5', confirmed: '500.00', pendingCancelled: '0.00', returned: '500.00' },
      { region: ZHEJIANG, ratio: '0.5', confirmed: '0.00', pendingCancelled: '500.00', returned: '0.00' },
    ]);
    // The co-funder owes nothing more: a confirmation after the close has nothing to confirm.
    chain.now = at('2026-03-03');
    chain.add('program.funded', issuer(ZHEJIANG), { region: HANGZHOU, programId: program, kind: 'compute', funder: ZHEJIANG, amount: '500.00' }, [
      [`appropriation:${ZHEJIANG}`, -50_000n],
      [`program:${program}`, 50_000n],
    ]);
    await expectFailure(
      chain.entries,
      3,
      'derived-inputs',
      `region ${ZHEJIANG} confirms 500.00 but owes program ${program} nothing (never owed, or already confirmed)`,
    );
  });

  it('catches shares not split by the confirmed amounts, even with the postings moved to match', async () => {
    const { chain, close } = closedChain();
    const list = forged(chain.entries, close.seq, (entry) => {
      const funders = entry.data['funders'] as Data[];
      funders[0]!['returned'] = '59280.00';
      funders[1]!['returned'] = '39520.01';
      entry.postings.at(-2)!.amount = '59280.00';
      entry.postings.at(-1)!.amount = '39520.01';
    });
    await expectFailure(
      list,
      close.seq,
      'recomputation',
      `funders[0].returned 59280.00 is not region ${HANGZHOU}'s share 59280.01 of 98800.01 by the largest-remainder rule over the confirmed amounts`,
    );
  });

  it('catches confirmed amounts the funding entries do not give, split consistently by them', async () => {
    const { chain, close } = closedChain();
    const list = forged(chain.entries, close.seq, (entry) => {
      // As if the province's share were still pending: everything back to Hangzhou.
      const funders = entry.data['funders'] as Data[];
      Object.assign(funders[0]!, { returned: '98800.01' });
      Object.assign(funders[1]!, { confirmed: '0.00', pendingCancelled: '40000.00', returned: '0.00' });
      entry.postings.at(-2)!.amount = '98800.01';
      entry.postings.at(-1)!.amount = '0.00';
    });
    await expectFailure(list, close.seq, 'derived-inputs', `funders[1].confirmed is 0.00 but the chain gives 40000.00 put in by region ${ZHEJIANG}`);
  });

  it('catches a voucher left out, a balance understated, and availableBefore misstated', async () => {
    const { chain, close, spent } = closedChain();
    const vouchers = close.data['vouchers'] as Data[];
    const other = vouchers.find((v) => v['voucherId'] !== spent)!['voucherId'] as string;
    const leftOut = forged(chain.entries, close.seq, (entry) => {
      const list = entry.data['vouchers'] as Data[];
      const index = list.findIndex((v) => v['voucherId'] === other);
      list.splice(index, 1);
      entry.postings.splice(index, 1);
      entry.data['vouchersReturned'] = '3800.00';
      entry.data['returned'] = '97800.01';
      (entry.data['funders'] as Data[])[0]!['returned'] = '58680.01';
      (entry.data['funders'] as Data[])[1]!['returned'] = '39120.00';
      entry.postings.at(-2)!.amount = '58680.01';
      entry.postings.at(-1)!.amount = '39120.00';
    });
    await expectFailure(
      leftOut,
      close.seq,
      'derived-inputs',
      `vouchers leaves out voucher ${other}, active in program ${String(close.data['programId'])} at the close`,
    );

    const understated = forged(chain.entries, close.seq, (entry) => {
      const list = entry.data['vouchers'] as Data[];
      const index = list.findIndex((v) => v['voucherId'] === spent);
      list[index]!['returned'] = '3700.00';
      entry.postings[index]!.amount = '-3700.00';
      entry.data['vouchersReturned'] = '4700.00';
      entry.data['returned'] = '98700.01';
      (entry.data['funders'] as Data[])[0]!['returned'] = '59220.01';
      (entry.data['funders'] as Data[])[1]!['returned'] = '39480.00';
      entry.postings.at(-2)!.amount = '59220.01';
      entry.postings.at(-1)!.amount = '39480.00';
    });
    await expectFailure(understated, close.seq, 'derived-inputs', `vouchers[0].returned is 3700.00 but voucher:${spent} holds 3800.00`);
  });

  it('catches a close before the period ends, on another day than recorded, with another period, and twice', async () => {
    const { chain, close, program } = closedChain();
    await expectFailure(
      forged(chain.entries, close.seq, (entry) => {
        entry.recordedAt = at('2026-03-30');
        entry.data['closedOn'] = '2026-03-30';
      }),
      close.seq,
      'rules',
      "closes on 2026-03-30, before the program's period closes on 2026-03-31",
    );
    await expectFailure(
      forged(chain.entries, close.seq, (entry) => void (entry.data['closedOn'] = '2026-04-01')),
      close.seq,
      'rules',
      'closedOn 2026-04-01 is not the day the close was recorded (2026-03-31, Asia/Shanghai)',
    );
    await expectFailure(
      forged(chain.entries, close.seq, (entry) => void (entry.data['period'] = null)),
      close.seq,
      'derived-inputs',
      `period is null but program ${program}'s program.funded entry records {fiscalYear 2026, closesOn 2026-03-31}`,
    );
    // The same close again, consistent on its own.
    chain.add(
      'program.closed',
      close.actor,
      structuredClone(close.data),
      close.postings.map((p) => [p.account, fen(p.amount)]),
    );
    await expectFailure(
      chain.entries,
      close.seq + 1,
      'derived-inputs',
      `program ${program} was closed at seq ${close.seq}: a later close only returns money that came back since`,
    );
  });

  it('takes no vouchers, applications or budget changes after the close', async () => {
    const { chain, program, close } = closedChain();
    const lines = chain.entries.length - 1;
    chain.now = at('2026-04-01');
    const closed = `program ${program} was closed at seq ${close.seq}: a closed program takes no more`;
    const voucher = chain.fork();
    voucher.voucher(program, '1.00', ENTERPRISE, '2026-12-31');
    await expectFailure(voucher.entries, lines + 2, 'derived-inputs', `${closed} vouchers`);
    const increase = chain.fork();
    increase.increase(program, '1.00');
    await expectFailure(increase.entries, lines + 2, 'derived-inputs', `${closed} budget changes`);
    const application = chain.fork();
    application.add(
      'application.submitted',
      { sub: 'ent', role: 'enterprise', org: ENTERPRISE },
      {
        region: HANGZHOU,
        programId: program,
        kind: 'compute',
        applicationId: id('app', 1),
        revision: 1,
        enterprise: { uscc: ENTERPRISE, name: '杭州深算科技有限公司' },
        amount: '100.00',
        purpose: '算力',
        declarations: { noRelatedPartyContracts: true, noOtherPublicFunding: true, noDishonestyRecord: true },
        documents: [SHA],
      },
    );
    await expectFailure(application.entries, lines + 2, 'derived-inputs', `${closed} applications`);
  });

  it('catches a redemption on a closed program', async () => {
    const { chain, program, spent, close } = closedChain();
    const redemption = chain.entries.find((e) => e.type === 'redemption.recorded')!;
    // The same redemption again after the close, under new ids: consistent on its own.
    chain.now = at('2026-04-01');
    chain.add(
      'redemption.recorded',
      redemption.actor,
      { ...structuredClone(redemption.data), redemptionId: id('rdm', 999), invoiceNumber: 'FP-AFTER' },
      redemption.postings.map((p) => [p.account, fen(p.amount)]),
    );
    expect(redemption.data['voucherId']).toBe(spent);
    await expectFailure(
      chain.entries,
      close.seq + 1,
      'derived-inputs',
      `program ${program} was closed at seq ${close.seq}: a closed program takes no more redemptions`,
    );
  });

  it('holds a voucher to its program’s period, and a period to its fiscal year', async () => {
    const chain = new Chain();
    const program = chain.fund('1000.00', { period: { fiscalYear: 2026, closesOn: '2026-03-31' } });
    chain.voucher(program, '10.00', ENTERPRISE, '2026-04-01');
    await expectFailure(chain.entries, 2, 'derived-inputs', `expiresOn 2026-04-01 is after program ${program}'s period closes on 2026-03-31`);

    const late = new Chain();
    late.fund('1000.00', { period: { fiscalYear: 2025, closesOn: '2027-01-01' } });
    await expectFailure(late.entries, 1, 'rules', 'period.closesOn 2027-01-01 is outside 2025-01-01 to 2026-12-31 (fiscal year 2025 and the next)');
    const early = new Chain();
    early.fund('1000.00', { period: { fiscalYear: 2019, closesOn: '2019-12-31' } });
    await expectFailure(early.entries, 1, 'format', 'data.period.fiscalYear is not a whole year from 2020 to 2100');
  });

  it('refuses a close while a program’s claim is open, naming how many (through the claims state)', async () => {
    // Claims are exercised through the real service in test/integration/oversight-verifier.test.ts; here, that an
    // open-ended program may be closed any day, and that its close is written by its region's issuer.
    const chain = new Chain();
    const program = chain.fund('10.00');
    const close = chain.close(program);
    await expectOk(chain);
    await expectFailure(
      forged(chain.entries, close.seq, (entry) => void (entry.actor = issuer(NINGBO))),
      close.seq,
      'rules',
      `program.closed is written by an issuer of region ${HANGZHOU}, not by issuer ${NINGBO}`,
    );
  });
});

describe('listings and related-party groups', () => {
  it('bars a listed enterprise from a voucher of a program its listing covers, not outside it, nor once delisted', async () => {
    const chain = new Chain();
    const hangzhou = chain.fund('1000.00');
    const beijing = chain.fund('1000.00', { region: '110100' });
    const listing = chain.list(OTHER_ENTERPRISE);
    chain.voucher(beijing, '10.00', OTHER_ENTERPRISE);
    await expectOk(chain);
    const barred = chain.fork();
    barred.voucher(hangzhou, '10.00', OTHER_ENTERPRISE);
    await expectFailure(
      barred.entries,
      5,
      'derived-inputs',
      `the enterprise ${OTHER_ENTERPRISE} is listed by region ${ZHEJIANG} (listing ${listing}) since seq 3`,
    );
    chain.now = at('2026-03-05');
    chain.delist(listing, OTHER_ENTERPRISE);
    chain.voucher(hangzhou, '10.00', OTHER_ENTERPRISE);
    const report = await expectOk(chain);
    expect(report.oversight).toMatchObject({ listings: 1, delisted: 1 });
  });

  it('bars a listed provider’s redemption, and a payment approval with a line for it', async () => {
    const chain = new Chain();
    const program = chain.fund('100000.00');
    const voucher = chain.voucher(program, '1000.00');
    const paid = chain.redeem(voucher, '100.00');
    const listing = chain.list(PROVIDER, HANGZHOU);
    const redeemed = chain.fork();
    redeemed.redeem(voucher, '100.00');
    await expectFailure(redeemed.entries, 5, 'derived-inputs', `the provider ${PROVIDER} is listed by region ${HANGZHOU} (listing ${listing}) since seq 4`);
    chain.add(
      'payment.approved',
      { sub: 'checker', role: 'issuer', region: HANGZHOU },
      {
        region: HANGZHOU,
        programId: program,
        kind: 'compute',
        batchId: id('pbt', 1),
        cutoff: '2026-03-02',
        maker: 'maker',
        checker: 'checker',
        funders: [{ region: HANGZHOU, ratio: '1' }],
        lines: [
          {
            lineId: id('pln', 1),
            providerUscc: PROVIDER,
            amount: '30.00',
            shares: [{ region: HANGZHOU, amount: '30.00' }],
            redemptions: [{ redemptionId: paid.data['redemptionId'], amount: '30.00' }],
          },
        ],
        total: '30.00',
      },
    );
    await expectFailure(
      chain.entries,
      5,
      'derived-inputs',
      `the provider ${PROVIDER} is listed by region ${HANGZHOU} (listing ${listing}) since seq 4, and line ${id('pln', 1)} pays it`,
    );
  });

  it('keeps one active listing per region and enterprise, delistings of active listings only, and their dates', async () => {
    const chain = new Chain();
    const listing = chain.list(ENTERPRISE);
    const twice = chain.fork();
    twice.list(ENTERPRISE);
    await expectFailure(
      twice.entries,
      2,
      'derived-inputs',
      `region ${ZHEJIANG} already lists ${ENTERPRISE} (listing ${listing}, since seq 1): one active listing per region and enterprise`,
    );
    const elsewhere = chain.fork();
    elsewhere.list(ENTERPRISE, HANGZHOU);
    await expectOk(elsewhere);
    const byOther = chain.fork();
    byOther.delist(listing, ENTERPRISE, HANGZHOU);
    await expectFailure(
      byOther.entries,
      2,
      'derived-inputs',
      `listing ${listing} is region ${ZHEJIANG}'s listing of ${ENTERPRISE}, not region ${HANGZHOU}'s of ${ENTERPRISE}`,
    );
    const again = chain.fork();
    again.delist(listing, ENTERPRISE);
    again.delist(listing, ENTERPRISE);
    await expectFailure(again.entries, 3, 'derived-inputs', `listing ${listing} was already delisted`);
    const future = new Chain();
    future.list(ENTERPRISE, ZHEJIANG, '2026-03-03');
    await expectFailure(future.entries, 1, 'rules', 'listedOn 2026-03-03 is after the day the listing was recorded (2026-03-02, Asia/Shanghai)');
    const backdated = chain.fork();
    backdated.delist(listing, ENTERPRISE);
    await expectFailure(
      forged(backdated.entries, 2, (entry) => void (entry.data['delistedOn'] = '2026-03-01')),
      2,
      'rules',
      'delistedOn 2026-03-01 is not the day the delisting was recorded (2026-03-02, Asia/Shanghai)',
    );
    const byAuditor = new Chain();
    byAuditor.list(ENTERPRISE);
    await expectFailure(
      forged(byAuditor.entries, 1, (entry) => void (entry.actor = { sub: 'audit', role: 'auditor', region: ZHEJIANG })),
      1,
      'rules',
      `watchlist.listed is written by an issuer of region ${ZHEJIANG}, not by auditor ${ZHEJIANG}`,
    );
  });

  it('bars a redemption between two members of a group, everywhere, from the group on', async () => {
    const chain = new Chain();
    const program = chain.fund('100000.00', { region: '110100' });
    const voucher = chain.voucher(program, '1000.00', OTHER_ENTERPRISE);
    chain.redeem(voucher, '100.00', { provider: OTHER_PROVIDER, beneficiary: OTHER_ENTERPRISE });
    const group = chain.group([OTHER_PROVIDER, OTHER_ENTERPRISE, ENTERPRISE]);
    chain.redeem(voucher, '100.00', { provider: PROVIDER, beneficiary: OTHER_ENTERPRISE });
    await expectOk(chain);
    chain.redeem(voucher, '100.00', { provider: OTHER_PROVIDER, beneficiary: OTHER_ENTERPRISE });
    await expectFailure(
      chain.entries,
      6,
      'derived-inputs',
      `the provider ${OTHER_PROVIDER} and the enterprise ${OTHER_ENTERPRISE} are related parties (group ${group}, declared at seq 4)`,
    );
  });

  it('takes groups of 2 to 20 distinct USCCs, once each', async () => {
    const chain = new Chain();
    chain.group([ENTERPRISE]);
    await expectFailure(chain.entries, 1, 'format', 'data.usccs has 1 items, not 2 to 20');
    const twice = new Chain();
    twice.group([ENTERPRISE, ENTERPRISE]);
    await expectFailure(twice.entries, 1, 'format', 'data.usccs lists an item twice');
  });
});

describe('invoices', () => {
  it('are used once nationwide, by any provider and program', async () => {
    const chain = new Chain();
    const hangzhou = chain.fund('100000.00');
    const ningbo = chain.fund('100000.00', { region: NINGBO });
    chain.redeem(chain.voucher(hangzhou, '100.00'), '10.00', { invoice: '26330000000000000001' });
    chain.redeem(chain.voucher(ningbo, '100.00'), '10.00', { provider: OTHER_PROVIDER, invoice: '26330000000000000001' });
    await expectFailure(chain.entries, 6, 'derived-inputs', `invoice 26330000000000000001 was already redeemed by provider ${PROVIDER}`);
  });
});

describe('spot checks', () => {
  function sampled() {
    const chain = new Chain();
    const program = chain.fund('100000.00');
    const voucher = chain.voucher(program, '10000.00');
    for (let i = 0; i < 10; i++) chain.redeem(voucher, '10.00');
    const draw = chain.draw(program, '0.25', '2026-Q1');
    return { chain, program, draw, population: chain.programs.get(program)!.approved };
  }

  it('re-draws a sample: round_half_up(0.25 × 10) = 3 of 10, by sha256(seed + id)', async () => {
    const { chain, draw, population } = sampled();
    expect(draw.data['size']).toBe(3);
    const drawn = draw.data['redemptionIds'] as string[];
    expect(drawn).toEqual([...population].sort((a, b) => (drawKey('2026-Q1', a) < drawKey('2026-Q1', b) ? -1 : 1)).slice(0, 3));
    chain.result(draw, drawn[0]!);
    chain.result(draw, drawn[1]!, 'failed', { sub: 'zj-audit', role: 'auditor', region: ZHEJIANG });
    const report = await expectOk(chain);
    expect(report.oversight).toMatchObject({ spotChecks: 1, drawn: 3, results: 2, failed: 1 });
    expect(sampleSize('0.0001', 4_999)).toBe(0);
    expect(sampleSize('0.0001', 5_000)).toBe(1);
    expect(sampleSize('1', 7)).toBe(7);
  });

  it('catches a swapped id, a wrong population and a wrong size', async () => {
    const { chain, draw, population, program } = sampled();
    const drawn = draw.data['redemptionIds'] as string[];
    const other = population.find((rid) => !drawn.includes(rid))!;
    await expectFailure(
      forged(chain.entries, draw.seq, (entry) => void ((entry.data['redemptionIds'] as string[])[1] = other)),
      draw.seq,
      'derived-inputs',
      `redemptionIds[1] is ${other}, but the first 3 of program ${program}'s 10 approved redemptions by sha256(seed + redemptionId) has ${drawn[1]!} there`,
    );
    await expectFailure(
      forged(chain.entries, draw.seq, (entry) => Object.assign(entry.data, { population: 9, size: 2, redemptionIds: drawn.slice(0, 2) })),
      draw.seq,
      'derived-inputs',
      `population is 9 but program ${program} has 10 approved redemptions before the draw`,
    );
    await expectFailure(
      forged(chain.entries, draw.seq, (entry) => Object.assign(entry.data, { size: 2, redemptionIds: drawn.slice(0, 2) })),
      draw.seq,
      'recomputation',
      'size is 2 but round_half_up(rate 0.25 × population 10) is 3',
    );
    await expectFailure(
      forged(chain.entries, draw.seq, (entry) => void (entry.data['rate'] = '0')),
      draw.seq,
      'format',
      'data.rate is not a decimal string above 0 and at most 1, with at most 4 decimals',
    );
  });

  it('records results only for drawn redemptions of the spot check, once, by its region’s issuer or a covering auditor', async () => {
    const { chain, draw, population } = sampled();
    const drawn = draw.data['redemptionIds'] as string[];
    const undrawn = population.find((rid) => !drawn.includes(rid))!;
    const forgedResult = chain.fork();
    forgedResult.result(draw, undrawn);
    await expectFailure(
      forgedResult.entries,
      draw.seq + 1,
      'derived-inputs',
      `records a result for redemption ${undrawn}, which spot check ${String(draw.data['spotCheckId'])} did not draw`,
    );
    const twice = chain.fork();
    twice.result(draw, drawn[0]!);
    twice.result(draw, drawn[0]!, 'failed');
    await expectFailure(
      twice.entries,
      draw.seq + 2,
      'derived-inputs',
      `spot check ${String(draw.data['spotCheckId'])} already has a result for redemption ${drawn[0]!}`,
    );
    const outsider = chain.fork();
    outsider.result(draw, drawn[0]!, 'passed', { sub: 'nb-audit', role: 'auditor', region: NINGBO });
    await expectFailure(
      outsider.entries,
      draw.seq + 1,
      'rules',
      `spot_check.result_recorded is written by an issuer of region ${HANGZHOU} or an auditor covering it, not by auditor ${NINGBO}`,
    );
  });

  it('draws only from a program with an approved redemption, counting those approved before the draw only', async () => {
    const chain = new Chain();
    const program = chain.fund('1000.00');
    chain.programs.get(program)!.approved.push(id('rdm', 1));
    chain.draw(program, '1', 'empty');
    await expectFailure(chain.entries, 2, 'derived-inputs', `draws a spot check of program ${program}, which has no approved redemption to sample`);
  });
});

describe('a report without decision 0042’s entries', () => {
  it('has no oversight line', async () => {
    const chain = new Chain();
    chain.redeem(chain.voucher(chain.fund('1000.00'), '100.00'), '10.00');
    const report = await expectOk(chain);
    expect('oversight' in report).toBe(false);
    expect(formatReport(report)).not.toContain('oversight');
  });
});

describe('the key table’s walk (for a draw’s population)', () => {
  it('gives back every key in the order it came, with its row or value, packed, latin1 and UTF-16 alike', () => {
    const keys = [id('rdm', 1), 'INV-1', '发票-1', id('rdm', 2), 'rdm_not-a-uuid', 'x'.repeat(300)];
    for (const mode of [false, true, 'values'] as const) {
      const table = new KeyTable(mode);
      keys.forEach((key, i) => table.intern(key, 7 * i));
      const seen: [string, number][] = [];
      table.forEach(
        () => true,
        (key, row) => seen.push([key, row]),
      );
      expect(seen).toEqual(keys.map((key, i) => [key, mode === true ? i : mode === 'values' ? 7 * i : 0]));
    }
    // Across arena pages (1 MB each): 60,000 packed ids and a long key that takes a page of its own.
    const table = new KeyTable(true);
    const many = Array.from({ length: 60_000 }, (_, i) => id('rdm', i));
    many.forEach((key) => table.intern(key));
    table.intern('y'.repeat(1_100_000));
    let count = 0;
    table.forEach(
      (row) => row % 1000 === 0,
      (key, row) => {
        count++;
        expect(key).toBe(row === 60_000 ? 'y'.repeat(1_100_000) : many[row]);
      },
    );
    expect(count).toBe(61);
  });
});
