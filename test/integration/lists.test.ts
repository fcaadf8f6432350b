// The list endpoints: keyset pages of at most `limit` (default 50, at most 200), an opaque cursor, an RFC 8288
// Link to the next page, and the same scopes as reading one record (decision 0023).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/shared/pagination.js';
import { ENTERPRISE, HANGZHOU, NINGBO, OTHER_ENTERPRISE, OTHER_PROVIDER, XIHU, ZHEJIANG } from '../helpers/fixtures.js';
import { snapshot } from '../helpers/ledger-checks.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type Client, type TestApp } from '../helpers/test-app.js';

let t: TestApp;
let s: ReturnType<typeof scenario>;
beforeEach(async () => {
  t = await buildTestApp();
  s = scenario(t);
});
afterEach(() => t.close());

type Page = { items: { id: string }[]; nextCursor: string | null };

/** Follows `Link: rel="next"` from `path` to the last page; every page's status, size and link checked on the way. */
async function walk(as: Client, path: string, limit: number): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let next: string | undefined = `${path}${path.includes('?') ? '&' : '?'}limit=${limit}`;
  let pages = 0;
  while (next) {
    const res = await as.get(next);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const page = res.body as Page;
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((item) => item.id));
    pages += 1;
    const link = res.headers['link'] as string | undefined;
    if (page.nextCursor === null) {
      expect(link).toBeUndefined();
      next = undefined;
    } else {
      expect(page.items.length).toBe(limit);
      const target = /^<([^>]+)>; rel="next"$/.exec(link ?? '')?.[1];
      expect(target).toBeDefined();
      expect(new URL(target!, 'http://x').searchParams.get('cursor')).toBe(page.nextCursor);
      next = target;
    }
  }
  return { ids, pages };
}

const sorted = (ids: string[]) => [...ids].sort();

describe('GET /v1/programs', () => {
  it('pages 5 programs by 2 as 2 + 2 + 1, each once, oldest first, with Link headers; issuers see what their region funds, auditors what they cover', async () => {
    const ningbo = await t.as({ role: 'issuer', region: NINGBO });
    const province = await t.as({ role: 'issuer', region: ZHEJIANG });
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      t.clock.set(`2025-12-15T04:00:0${i}Z`);
      created.push((await s.program({ name: `杭州算力券 ${i}` })).id);
    }
    t.clock.set('2025-12-15T04:00:05Z');
    const cofunded = (
      await s.program({
        funding: [
          { region: HANGZHOU, ratio: '0.6' },
          { region: ZHEJIANG, ratio: '0.4' },
        ],
      })
    ).id;
    const ningboProgram = (await s.program({}, ningbo)).id;

    const hangzhou = await walk(t.issuer, '/v1/programs', 2);
    expect(hangzhou.ids).toEqual([...created, cofunded]);
    expect(hangzhou.pages).toBe(3);
    // the province co-funds one Hangzhou program: it reads that one only
    expect((await walk(province, '/v1/programs', 50)).ids).toEqual([cofunded]);
    expect((await walk(ningbo, '/v1/programs', 50)).ids).toEqual([ningboProgram]);
    expect(sorted((await walk(t.auditor, '/v1/programs', 3)).ids)).toEqual(sorted([...created, cofunded, ningboProgram]));
    const cityAuditor = await t.as({ role: 'auditor', region: HANGZHOU });
    expect(sorted((await walk(cityAuditor, '/v1/programs', 200)).ids)).toEqual(sorted([...created, cofunded]));
    expect((await t.provider.get('/v1/programs')).status).toBe(403);

    const first = await t.issuer.get('/v1/programs?limit=2');
    expect(first.body.items[0]).toMatchObject({ id: created[0], name: '杭州算力券 0', region: HANGZHOU, budget: '100000000.00', available: '100000000.00' });
    expect((await t.issuer.get('/v1/programs?kind=corpus')).body).toEqual({ items: [], nextCursor: null });
  });

  it('answers 50 by default and at most 200; a limit outside 1–200 or not a whole number is a 400 naming limit', async () => {
    for (let i = 0; i < 52; i++) await s.program({ budget: '1.00' });
    const page = await t.issuer.get('/v1/programs');
    expect(page.body.items).toHaveLength(50);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    expect((await t.issuer.get('/v1/programs?limit=200')).body.items).toHaveLength(52);
    for (const limit of ['0', '201', '2.5', 'ten', '-1', ''])
      expect((await t.issuer.get(`/v1/programs?limit=${limit}`)).body, limit).toMatchObject({ status: 400, code: 'validation_failed', field: 'limit' });
  });

  it('refuses a cursor that is not one it gave out (garbage, edited, another list’s) with a 400 naming cursor', async () => {
    await s.program();
    await s.program();
    const { nextCursor } = (await t.issuer.get('/v1/programs?limit=1')).body as Page;
    const decoded = JSON.parse(Buffer.from(nextCursor!, 'base64url').toString()) as { a: string[] };
    const bad = [
      'not a cursor',
      'eyJ2IjoxfQ', // {"v":1}
      Buffer.from('{"v":1,"l":"programs","a":[1]}').toString('base64url'),
      encodeCursor({ list: 'vouchers', after: decoded.a as [string, string] }),
      nextCursor!.slice(0, -3),
    ];
    for (const cursor of bad) {
      const res = await t.issuer.get(`/v1/programs?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', field: 'cursor' });
    }
    expect((await t.issuer.get(`/v1/programs?cursor=${nextCursor}`)).status).toBe(200);
  });

  it('stays stable under inserts between pages: every program that existed is seen exactly once, later ones after them', async () => {
    const before: string[] = [];
    for (let i = 0; i < 4; i++) {
      t.clock.set(`2025-12-15T04:00:0${i}Z`);
      before.push((await s.program()).id);
    }
    const first = (await t.issuer.get('/v1/programs?limit=2')).body as Page;
    t.clock.set('2025-12-15T04:00:09Z');
    const later = [(await s.program()).id, (await s.program()).id];
    const rest = await walk(t.issuer, `/v1/programs?cursor=${first.nextCursor}`, 2);
    expect([...first.items.map((p) => p.id), ...rest.ids.slice(0, 2)]).toEqual(before);
    expect(sorted(rest.ids.slice(2))).toEqual(sorted(later));
  });
});

describe('GET /v1/vouchers', () => {
  it('filters by program, beneficiary and status within the issuer’s region; an auditor sees the regions it covers', async () => {
    const xihu = await t.as({ role: 'issuer', region: XIHU });
    const program = await s.program();
    const other = await s.program();
    const a = await s.voucher(program.id);
    const b = await s.voucher(program.id, { beneficiary: { uscc: OTHER_ENTERPRISE, name: '另一家企业' } });
    const c = await s.voucher(other.id, { amount: '100.00' });
    const xihuVoucher = await s.voucher((await s.program({}, xihu)).id, {}, xihu);
    expect((await t.issuer.post(`/v1/vouchers/${c.id}/revoke`, { reason: '企业注销' })).status).toBe(200);

    expect(sorted((await walk(t.issuer, '/v1/vouchers', 2)).ids)).toEqual(sorted([a.id, b.id, c.id]));
    expect(sorted((await walk(t.issuer, `/v1/vouchers?programId=${program.id}`, 1)).ids)).toEqual(sorted([a.id, b.id]));
    expect((await walk(t.issuer, `/v1/vouchers?beneficiaryUscc=${OTHER_ENTERPRISE}`, 5)).ids).toEqual([b.id]);
    const revoked = await t.issuer.get('/v1/vouchers?status=revoked');
    expect(revoked.body.items).toEqual([expect.objectContaining({ id: c.id, status: 'revoked', balance: '0.00', amount: '100.00', closeReason: '企业注销' })]);
    expect(sorted((await walk(t.auditor, `/v1/vouchers?beneficiaryUscc=${ENTERPRISE}`, 2)).ids)).toEqual(sorted([a.id, c.id, xihuVoucher.id]));
    expect((await walk(xihu, '/v1/vouchers', 5)).ids).toEqual([xihuVoucher.id]);

    expect((await t.issuer.get('/v1/vouchers?status=spent')).body).toMatchObject({ status: 400, field: 'status' });
    expect((await t.issuer.get('/v1/vouchers?beneficiaryUscc=91330100000000000X')).body).toMatchObject({ status: 400, field: 'beneficiaryUscc' });
    expect((await t.issuer.get('/v1/vouchers?region=330000')).body).toMatchObject({ status: 400, field: 'region' });
    expect((await t.provider.get('/v1/vouchers')).status).toBe(403);
  });

  it('lets a provider read the balance, status, expiry and claim terms of a voucher it holds a contract against, and nothing more', async () => {
    const { voucher } = await s.ready({ voucher: { amount: '1000.00' } });
    const other = await t.as({ role: 'provider', org: OTHER_PROVIDER });
    expect((await other.get(`/v1/vouchers/${voucher.id}`)).body).toMatchObject({ status: 403, code: 'forbidden' });
    // a corpus contract is not against a compute voucher
    await s.contract({ kind: 'corpus', autonomous: undefined }, other);
    expect((await other.get(`/v1/vouchers/${voucher.id}`)).status).toBe(403);

    const contract = (await t.provider.get('/v1/contracts')).body.items[0] as { id: string };
    const read = await t.provider.get(`/v1/vouchers/${voucher.id}`);
    // …and whether its redemptions are claims needing the contract and the invoice (decision 0041).
    expect(read.body).toEqual({
      id: voucher.id,
      kind: 'compute',
      status: 'active',
      balance: '1000.00',
      expiresOn: '2027-12-31',
      claims: { beneficiaryConfirmation: false, review: false, confirmationDays: 10 },
    });
    // non-autonomous compute: 10% of 3,000.00 = 300.00 leaves 700.00
    expect((await s.redeem(voucher.id, contract.id, '3000.00')).status).toBe(201);
    expect((await t.provider.get(`/v1/vouchers/${voucher.id}`)).body).toMatchObject({ balance: '700.00' });
    expect((await t.provider.get('/v1/vouchers/vch_missing')).status).toBe(404);
  });
});

describe('GET /v1/contracts', () => {
  it('lists a provider’s own contracts only, filtered by beneficiary or voucher; others may not list them', async () => {
    const mine = [(await s.contract()).id, (await s.contract({ beneficiaryUscc: OTHER_ENTERPRISE })).id, (await s.contract()).id];
    const other = await t.as({ role: 'provider', org: OTHER_PROVIDER });
    const theirs = (await s.contract({}, other)).id;
    expect(sorted((await walk(t.provider, '/v1/contracts', 2)).ids)).toEqual(sorted(mine));
    expect((await walk(other, '/v1/contracts', 2)).ids).toEqual([theirs]);
    expect((await walk(t.provider, `/v1/contracts?beneficiaryUscc=${OTHER_ENTERPRISE}`, 2)).ids).toEqual([mine[1]]);
    const voucher = await s.voucher((await s.program()).id);
    expect((await s.redeem(voucher.id, mine[2]!, '100.00')).status).toBe(201);
    expect((await t.provider.get(`/v1/contracts?voucherId=${voucher.id}`)).body.items).toEqual([
      expect.objectContaining({ id: mine[2], voucherId: voucher.id, netExecuted: '100.00', netSubsidy: '10.00' }),
    ]);
    expect((await t.issuer.get('/v1/contracts')).status).toBe(403);
    expect((await t.auditor.get('/v1/contracts')).status).toBe(403);
  });
});

describe('GET /v1/redemptions', () => {
  it('pages in ledger order: a provider its own, an issuer its region’s, an auditor what it covers; filtered by program, voucher, contract, provider', async () => {
    const other = await t.as({ role: 'provider', org: OTHER_PROVIDER });
    const ningbo = await t.as({ role: 'issuer', region: NINGBO });
    const { program, voucher, contract } = await s.ready();
    const theirContract = await s.contract({}, other);
    const secondVoucher = await s.voucher(program.id, { beneficiary: { uscc: OTHER_ENTERPRISE, name: '另一家企业' } });
    const otherProgram = await s.program();
    const thirdVoucher = await s.voucher(otherProgram.id);

    const ids: string[] = [];
    const redeem = async (voucherId: string, contractId: string, amount: string, as: Client = t.provider) => {
      const res = await s.redeem(voucherId, contractId, amount, {}, as);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id as string);
      return res.body.id as string;
    };
    await redeem(voucher.id, contract.id, '1000.00');
    await redeem(voucher.id, theirContract.id, '2000.00', other);
    await redeem(voucher.id, contract.id, '3000.00');
    const onSecond = await redeem(secondVoucher.id, (await s.contract({ beneficiaryUscc: OTHER_ENTERPRISE })).id, '4000.00');
    const onThird = await redeem(thirdVoucher.id, (await s.contract()).id, '5000.00');

    expect((await walk(t.issuer, '/v1/redemptions', 2)).ids).toEqual(ids);
    expect((await walk(t.auditor, '/v1/redemptions', 4)).ids).toEqual(ids);
    expect((await walk(t.provider, '/v1/redemptions', 2)).ids).toEqual([ids[0], ids[2], onSecond, onThird]);
    expect((await walk(other, '/v1/redemptions', 2)).ids).toEqual([ids[1]]);
    expect((await walk(ningbo, '/v1/redemptions', 2)).ids).toEqual([]);

    expect((await walk(t.issuer, `/v1/redemptions?voucherId=${voucher.id}`, 2)).ids).toEqual(ids.slice(0, 3));
    expect((await walk(t.issuer, `/v1/redemptions?contractId=${contract.id}`, 2)).ids).toEqual([ids[0], ids[2]]);
    expect((await walk(t.auditor, `/v1/redemptions?programId=${otherProgram.id}`, 2)).ids).toEqual([onThird]);
    expect((await walk(t.auditor, `/v1/redemptions?providerUscc=${OTHER_PROVIDER}`, 2)).ids).toEqual([ids[1]]);
    // a provider naming another provider reads nothing of it
    expect((await t.provider.get(`/v1/redemptions?providerUscc=${OTHER_PROVIDER}`)).body).toEqual({ items: [], nextCursor: null });

    const page = (await t.provider.get('/v1/redemptions?limit=1')).body as Page & { items: Record<string, unknown>[] };
    // non-autonomous compute: 10% of 1,000.00
    expect(page.items[0]).toMatchObject({
      id: ids[0],
      voucherId: voucher.id,
      contractId: contract.id,
      programId: program.id,
      executedAmount: '1000.00',
      subsidy: '100.00',
      netSubsidy: '100.00',
      settlement: { status: 'unpaid', batchId: null, paidOn: null, bankReference: null },
    });
    // its own redemption by id; another provider's is refused
    expect((await t.provider.get(`/v1/redemptions/${ids[0]}`)).body).toEqual(page.items[0]);
    expect((await t.provider.get(`/v1/redemptions/${ids[1]}`)).status).toBe(403);
    const cursor = encodeCursor({ list: 'contracts', after: ['2025-12-15T04:00:00.000Z', 'x'] });
    expect((await t.provider.get(`/v1/redemptions?cursor=${cursor}`)).body).toMatchObject({ status: 400, field: 'cursor' });
  });

  it('reads leave the database as it was', async () => {
    const { voucher, contract } = await s.ready();
    await s.redeem(voucher.id, contract.id, '100.00');
    const before = await snapshot(t.db);
    for (const path of ['/v1/redemptions', '/v1/vouchers', '/v1/programs']) expect((await t.issuer.get(path)).status).toBe(200);
    expect(await snapshot(t.db)).toBe(before);
  });
});
