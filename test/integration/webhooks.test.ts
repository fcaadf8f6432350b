// Webhooks (decision 0044) through the real app, on both engines: subscriptions and who may keep them, the URL
// policy, events written in the entry's own transaction, who receives what in real flows, Standard Webhooks
// signatures verified by the `standardwebhooks` package at a local receiver, a receiver down for a while, retries
// spent, redelivery, and the sweep's voucher.expiring notices.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLedger } from '../../src/deps.js';
import { accounts, transfer } from '../../src/ledger/ledger.types.js';
import { notifyExpiring } from '../../src/webhooks/use-cases/expiring.js';
import { REFUSED_ADDRESS } from '../../src/webhooks/webhooks.delivery.js';
import { webhookOutbox } from '../../src/webhooks/webhooks.outbox.js';
import { requeueDelivery } from '../../src/webhooks/webhooks.repository.js';
import { at, buildClaimsLedger } from '../helpers/claims-ledger.js';
import { ENTERPRISE, HANGZHOU, NINGBO, OTHER_ENTERPRISE, PROVIDER, ZHEJIANG } from '../helpers/fixtures.js';
import { scenario } from '../helpers/scenario.js';
import { buildSettlementLedger } from '../helpers/settlement-ledger.js';
import { buildTestApp, type Claims, type Client, mintToken, type TestApp } from '../helpers/test-app.js';
import { dispatcherFor, type Receiver, startReceiver, verified } from '../helpers/webhooks.js';

let t: TestApp;
let receiver: Receiver;
beforeEach(async () => {
  t = await buildTestApp();
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  await t.close();
});

const ISSUER: Claims = { role: 'issuer', region: HANGZHOU };
const del = async (claims: Claims, path: string) =>
  request(t.app)
    .delete(path)
    .set('Authorization', `Bearer ${await mintToken(claims)}`);

async function subscribe(as: Client, events: string[], path = '/hook') {
  const res = await as.post('/v1/webhooks', { url: receiver.url(path), events });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; secret: string };
}

const count = async (table: 'webhook_events' | 'webhook_deliveries') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** What the receiver got at `path`, each verified with `secret`. */
const receivedAt = (path: string, secret: string) => receiver.received.filter((r) => r.path === path).map((r) => verified(r, secret, t.clock.now()));

describe('subscriptions', () => {
  it('an issuer subscribes for its region: the secret once, then never; the list, one, delete; others see nothing of it', async () => {
    const created = await t.issuer.post('/v1/webhooks', { url: receiver.url(), events: ['voucher.granted', 'payment.paid'], description: '财政局对账' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'active', owner: { kind: 'issuer', id: HANGZHOU }, events: ['voucher.granted', 'payment.paid'] });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const list = await t.issuer.get('/v1/webhooks');
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).not.toHaveProperty('secret');
    const one = await t.issuer.get(`/v1/webhooks/${created.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('secret');
    expect(JSON.stringify([list.body, one.body])).not.toContain(created.body.secret);

    // Another region's issuer, a provider: as if it did not exist.
    const ningbo = await t.as({ role: 'issuer', region: NINGBO });
    expect((await ningbo.get(`/v1/webhooks/${created.body.id}`)).status).toBe(404);
    expect((await ningbo.get('/v1/webhooks')).body.items).toEqual([]);
    expect((await t.provider.get(`/v1/webhooks/${created.body.id}/deliveries`)).status).toBe(404);
    expect((await del({ role: 'issuer', region: NINGBO }, `/v1/webhooks/${created.body.id}`)).status).toBe(404);
    // A colleague of the same region manages it.
    const colleague = await t.as({ role: 'issuer', region: HANGZHOU, sub: 'colleague' });
    expect((await colleague.get(`/v1/webhooks/${created.body.id}`)).status).toBe(200);

    const deleted = await del(ISSUER, `/v1/webhooks/${created.body.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ status: 'disabled' });
    expect(deleted.body.disabledAt).not.toBeNull();
    expect((await del(ISSUER, `/v1/webhooks/${created.body.id}`)).body).toEqual(deleted.body);
  });

  it('auditors may not subscribe; a party subscribes only to events that name it; duplicates and bad fields are 400 naming them', async () => {
    expect((await t.auditor.post('/v1/webhooks', { url: receiver.url(), events: ['voucher.granted'] })).body).toMatchObject({ code: 'forbidden' });
    expect((await t.auditor.get('/v1/webhooks')).status).toBe(403);

    const enterprise = await t.as({ role: 'enterprise', org: ENTERPRISE });
    const foreign = await enterprise.post('/v1/webhooks', { url: receiver.url(), events: ['voucher.granted', 'payment.paid'] });
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ code: 'validation_failed', field: 'events[1]' });
    const provider = await t.provider.post('/v1/webhooks', { url: receiver.url(), events: ['application.decided'] });
    expect(provider.body).toMatchObject({ code: 'validation_failed', field: 'events[0]' });

    const twice = await t.issuer.post('/v1/webhooks', { url: receiver.url(), events: ['voucher.granted', 'voucher.granted'] });
    expect(twice.body).toMatchObject({ code: 'validation_failed', field: 'events[1]' });
    const unknown = await t.issuer.post('/v1/webhooks', { url: receiver.url(), events: ['voucher.issued'] });
    expect(unknown.body).toMatchObject({ code: 'validation_failed', field: 'events[0]' });
    expect((await t.issuer.post('/v1/webhooks', { url: receiver.url(), events: [] })).body).toMatchObject({ field: 'events' });
    expect((await t.issuer.post('/v1/webhooks', { url: receiver.url(), events: ['voucher.granted'], secret: 'x' })).body).toMatchObject({
      field: 'secret',
    });
    expect((await t.issuer.get('/v1/webhooks/wh_x/deliveries?status=lost')).body).toMatchObject({ code: 'validation_failed', field: 'status' });
    const zh = await t.issuer.post('/v1/webhooks', { url: 'ftp://example.com/hook', events: ['voucher.granted'] }, { 'Accept-Language': 'zh-CN' });
    expect(zh.body).toMatchObject({ code: 'webhook_url_refused', field: 'url', title: '回调地址不被接受' });
    expect(zh.body.errors[0]).toMatchObject({ field: 'url', message: '须为 http:// 或 https:// 地址' });
  });

  it('at most 10 active subscriptions per owner; a deleted one frees its place; an Idempotency-Key replays the same answer', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) ids.push((await subscribe(t.issuer, ['voucher.granted'])).id);
    const eleventh = await t.issuer.post('/v1/webhooks', { url: receiver.url(), events: ['voucher.granted'] });
    expect(eleventh.status).toBe(409);
    expect(eleventh.body.code).toBe('webhook_limit_reached');
    await del(ISSUER, `/v1/webhooks/${ids[0]}`);
    const key = { 'Idempotency-Key': 'hook-11' };
    const first = await t.issuer.post('/v1/webhooks', { url: receiver.url(), events: ['voucher.granted'] }, key);
    const again = await t.issuer.post('/v1/webhooks', { url: receiver.url(), events: ['voucher.granted'] }, key);
    expect(first.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });

  it('in development http:// to loopback is allowed; credentials, fragments and other schemes never', async () => {
    for (const url of ['http://127.0.0.1:9/x', 'http://localhost/x', 'http://[::1]:8080/x', 'https://hooks.example.com/voucher'])
      expect((await t.issuer.post('/v1/webhooks', { url, events: ['voucher.granted'] })).status, url).toBe(201);
    for (const [url, message] of [
      ['https://user:pw@hooks.example.com/x', 'must not carry credentials: the signature authenticates the service'],
      ['https://hooks.example.com/x#frag', 'must not have a fragment'],
      ['hooks.example.com/x', 'must be an absolute URL'],
    ]) {
      const res = await t.issuer.post('/v1/webhooks', { url, events: ['voucher.granted'] });
      expect(res.status, url).toBe(422);
      expect(res.body).toMatchObject({ code: 'webhook_url_refused', field: 'url', errors: [{ field: 'url', message }] });
    }
  });
});

describe('the URL policy in production', () => {
  const productionApp = async (env: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'vl-webhooks-'));
    const key = join(dir, 'signing.pem');
    writeFileSync(key, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }));
    return buildTestApp({ env: { NODE_ENV: 'production', LEDGER_SIGNING_KEY: key, ...env } });
  };

  it('only https://, and loopback or private targets only when WEBHOOK_ALLOW_PRIVATE lists them', async () => {
    const p = await productionApp();
    try {
      const refused = async (url: string, message: string) => {
        const res = await p.issuer.post('/v1/webhooks', { url, events: ['voucher.granted'] });
        expect(res.status, url).toBe(422);
        expect(res.body, url).toMatchObject({ code: 'webhook_url_refused', field: 'url', errors: [{ field: 'url', message }] });
      };
      await refused('http://hooks.example.com/x', 'must be an https:// URL in production');
      for (const host of ['127.0.0.1', 'localhost', '10.1.2.3', '172.20.0.1', '192.168.1.10', '169.254.169.254', '[::1]', '[fd00::1]', '[fe80::1]', '0.0.0.0'])
        await refused(`https://${host}/x`, `${host.replace(/^\[|\]$/g, '')} is a loopback or private address; list it in WEBHOOK_ALLOW_PRIVATE to allow it`);
      expect((await p.issuer.post('/v1/webhooks', { url: 'https://hooks.example.com/x', events: ['voucher.granted'] })).status).toBe(201);
      expect((await p.issuer.post('/v1/webhooks', { url: 'https://172.32.0.1/x', events: ['voucher.granted'] })).status).toBe(201);
    } finally {
      await p.close();
    }
    const allowed = await productionApp({ WEBHOOK_ALLOW_PRIVATE: '10.0.0.0/8, hooks.internal' });
    try {
      for (const url of ['https://10.1.2.3/x', 'https://hooks.internal/x'])
        expect((await allowed.issuer.post('/v1/webhooks', { url, events: ['voucher.granted'] })).status, url).toBe(201);
      expect((await allowed.issuer.post('/v1/webhooks', { url: 'https://192.168.1.10/x', events: ['voucher.granted'] })).status).toBe(422);
    } finally {
      await allowed.close();
    }
  });

  it('is checked again at delivery on the address connected to: a loopback receiver is refused unless listed', async () => {
    const { secret } = await subscribe(t.issuer, ['voucher.granted']);
    const s = scenario(t);
    await s.voucher((await s.program()).id);
    const production = { NODE_ENV: 'production', JWT_SECRET: 'a3f1c9e27b4d8a6015e9c3b7d2f48a1c6e0b9d7f3a5c2e8b', LEDGER_SIGNING_KEY: '/nonexistent' };
    expect(await dispatcherFor(t, production).deliverDue()).toEqual({ delivered: 0, attempted: 1 });
    expect(receiver.received).toHaveLength(0);
    const [hook] = (await t.issuer.get('/v1/webhooks')).body.items;
    const log = (await t.issuer.get(`/v1/webhooks/${hook.id}/deliveries`)).body.items;
    // The subscriber is told it was refused, not which internal address its host resolved to.
    expect(log[0]).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null, lastError: REFUSED_ADDRESS });

    t.clock.set(new Date(t.clock.now().getTime() + 5_000).toISOString());
    expect(await dispatcherFor(t, { ...production, WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8' }).deliverDue()).toEqual({ delivered: 1, attempted: 1 });
    expect(receivedAt('/hook', secret).map((event) => event.type)).toEqual(['voucher.granted']);
  });
});

describe('the outbox', () => {
  it('writes an event in the transaction of its entry: rolled back with it, committed with it; nothing for an entry no one receives', async () => {
    await subscribe(t.issuer, ['voucher.granted']);
    const program = await scenario(t).program();
    const ledger = createLedger();
    const draft = (id: string) => ({
      type: 'voucher.issued' as const,
      actor: { sub: 'test', role: 'issuer' as const, region: HANGZHOU },
      data: {
        region: HANGZHOU,
        programId: program.id,
        kind: 'compute',
        voucherId: id,
        beneficiary: { uscc: ENTERPRISE, name: '企业' },
        amount: '0.01',
        expiresOn: '2027-12-31',
      },
      postings: transfer(accounts.program(program.id), accounts.voucher(id), 1n),
    });
    await expect(
      t.unitOfWork.transact(async (trx) => {
        await ledger.append(trx, draft('vch_rolled_back'), t.clock.now());
        expect(
          Number(
            (
              await trx
                .selectFrom('webhook_events')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
        ).toBe(1);
        throw new Error('the command fails after its entry');
      }),
    ).rejects.toThrow('the command fails after its entry');
    expect(await count('webhook_events')).toBe(0);
    expect(await count('webhook_deliveries')).toBe(0);

    await t.unitOfWork.transact((trx) => ledger.append(trx, draft('vch_committed'), t.clock.now()));
    expect(await count('webhook_events')).toBe(1);
    const event = await t.db.selectFrom('webhook_events').selectAll().executeTakeFirstOrThrow();
    const entry = await t.db.selectFrom('ledger_entries').select(['seq', 'hash']).where('seq', '=', event.seq!).executeTakeFirstOrThrow();
    expect(event.entry_hash).toBe(entry.hash);
    expect(JSON.parse(event.payload)).toMatchObject({
      type: 'voucher.granted',
      data: { seq: Number(entry.seq), entryHash: entry.hash, voucherId: 'vch_committed' },
    });

    // A refused write leaves none; an event no subscription receives is not written.
    const refused = await t.issuer.post('/v1/vouchers', {
      programId: program.id,
      beneficiary: { uscc: ENTERPRISE, name: 'x' },
      amount: '999999999.00',
      expiresOn: '2027-12-31',
    });
    expect(refused.status).toBe(422);
    const ningbo = await t.as({ role: 'issuer', region: NINGBO });
    const ningboProgram = await scenario(t).program({}, ningbo);
    await scenario(t).voucher(ningboProgram.id, {}, ningbo);
    expect(await count('webhook_events')).toBe(1);
  });
});

describe('the outbox reads candidates first', () => {
  it('a program.closed that no subscription could receive costs one query: no voucher is read', async () => {
    // Another region's issuer subscribes: not a candidate for a Hangzhou program.
    await (await t.as({ role: 'issuer', region: NINGBO })).post('/v1/webhooks', { url: receiver.url(), events: ['voucher.expired'] });
    let queries = 0;
    const counted = t.db.withPlugin({
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const closed = {
      seq: 9,
      type: 'program.closed',
      hash: 'b'.repeat(64),
      recordedAt: t.clock.now().toISOString(),
      actor: { sub: 's', role: 'system' as const },
      data: {
        region: HANGZHOU,
        programId: 'prg_x',
        vouchers: [
          { voucherId: 'vch_a', returned: '1.00' },
          { voucherId: 'vch_b', returned: '2.00' },
        ],
      },
      postings: [],
      prevHash: '0'.repeat(64),
    };
    await webhookOutbox(counted, closed as never);
    expect(queries).toBe(1);
    expect(await count('webhook_events')).toBe(0);
  });
});

describe('who receives what', () => {
  it('a claim, its confirmation and decision, a payment: each to the issuer of the region, the provider and the enterprise it names', async () => {
    const enterpriseClient = await t.as({ role: 'enterprise', org: ENTERPRISE });
    const hooks = {
      province: await subscribe(await t.as({ role: 'issuer', region: ZHEJIANG }), ['voucher.granted', 'claim.decided', 'payment.approved'], '/province'),
      issuer: await subscribe(
        t.issuer,
        ['voucher.granted', 'claim.submitted', 'claim.confirmed', 'claim.disputed', 'claim.decided', 'voucher.expired'],
        '/issuer',
      ),
      ningbo: await subscribe(await t.as({ role: 'issuer', region: NINGBO }), ['voucher.granted', 'claim.submitted'], '/ningbo'),
      provider: await subscribe(t.provider, ['claim.submitted', 'claim.confirmed', 'claim.decided', 'payment.approved', 'payment.paid'], '/provider'),
      enterprise: await subscribe(
        enterpriseClient,
        ['voucher.granted', 'claim.submitted', 'claim.confirmed', 'claim.disputed', 'claim.decided'],
        '/enterprise',
      ),
      other: await subscribe(await t.as({ role: 'enterprise', org: OTHER_ENTERPRISE }), ['voucher.granted', 'claim.submitted'], '/other'),
    };
    const built = await buildClaimsLedger(t);
    const reviewer = built.reviewer;
    expect((await reviewer.post(`/v1/payment-batches/${built.batch.id}/approve`)).status).toBe(200);
    const batch = (await t.issuer.get(`/v1/payment-batches/${built.batch.id}`)).body;
    const paid = await t.issuer.post(`/v1/payment-batches/${built.batch.id}/lines/${batch.lines[0].id}/paid`, {
      bankReference: 'ICBC-9',
      paidOn: '2026-03-20',
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);

    await dispatcherFor(t).deliverDue();
    const types = (path: string, secret: string) => receivedAt(path, secret).map((event) => event.type);
    expect(types('/other', hooks.other.secret)).toEqual([]);
    expect(types('/ningbo', hooks.ningbo.secret)).toEqual([]);
    const enterpriseTypes = types('/enterprise', hooks.enterprise.secret);
    // The four vouchers of the claims ledger, each granted to the enterprise.
    expect(enterpriseTypes.filter((type) => type === 'voucher.granted')).toHaveLength(4);
    expect(enterpriseTypes).toContain('claim.disputed');
    expect(types('/issuer', hooks.issuer.secret)).toEqual(enterpriseTypes);
    const providerEvents = receivedAt('/provider', hooks.provider.secret);
    expect(providerEvents.map((event) => event.type)).toEqual([
      ...enterpriseTypes.filter((type) => type !== 'voucher.granted' && type !== 'claim.disputed'),
      'payment.approved',
      'payment.paid',
    ]);
    expect(types('/province', hooks.province.secret)).toEqual([
      ...enterpriseTypes.filter((type) => type === 'voucher.granted' || type === 'claim.decided'),
      'payment.approved',
    ]);

    // The data names the entry, its program and region, and money as decimal strings.
    const decided = providerEvents.filter((event) => event.type === 'claim.decided');
    expect(decided.map((event) => event.data.decision)).toEqual(['approved', 'rejected', 'returned', 'approved', 'approved']);
    expect(decided[0]!.data).toMatchObject({ region: HANGZHOU, providerUscc: PROVIDER, beneficiaryUscc: ENTERPRISE, approved: '240000.00', by: 'review' });
    const payment = providerEvents.find((event) => event.type === 'payment.paid')!;
    expect(payment.data).toMatchObject({ providerUscc: PROVIDER, bankReference: 'ICBC-9', batchId: built.batch.id });
    expect(typeof payment.data.amount).toBe('string');
    // Each names the entry it came from: a receiver can check it against the public ledger.
    for (const event of providerEvents) {
      const [entry] = (await t.auditor.get(`/v1/ledger?afterSeq=${event.data.seq - 1}&limit=1`)).body.entries;
      expect(entry).toMatchObject({ seq: event.data.seq, hash: event.data.entryHash, type: event.data.entryType });
    }
    // Every webhook-id is the event's; each event reaches each of its subscribers once.
    const ids = receiver.received.filter((r) => r.path === '/provider').map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^msg_[0-9a-f-]{36}$/.test(String(id)))).toBe(true);
  });

  it('payments and recoveries go to the provider; the enterprise receives none of them', async () => {
    const provider = await subscribe(t.provider, ['payment.approved', 'payment.paid', 'payment.recovered'], '/provider');
    const enterprise = await subscribe(await t.as({ role: 'enterprise', org: ENTERPRISE }), ['voucher.granted'], '/enterprise');
    await buildSettlementLedger(t);
    await dispatcherFor(t).deliverDue();
    const events = receivedAt('/provider', provider.secret);
    expect(events.map((event) => event.type)).toEqual(['payment.approved', 'payment.paid', 'payment.recovered']);
    expect(events[0]!.data).toMatchObject({ providerUscc: PROVIDER, amount: '100.01' });
    expect(events[2]!.data).toMatchObject({ providerUscc: PROVIDER, amount: '20.01' });
    expect(receivedAt('/enterprise', enterprise.secret).map((event) => event.type)).toEqual(['voucher.granted']);
  });
});

describe('delivery', () => {
  it('a receiver down for a minute gets every event after it returns, in order, each signature verified', async () => {
    const hook = await subscribe(t.issuer, ['voucher.granted']);
    const s = scenario(t);
    const program = await s.program();
    const vouchers = [];
    for (let i = 0; i < 4; i += 1) vouchers.push((await s.voucher(program.id, { amount: `${1000 + i}.00` })).id);
    receiver.answer(503);
    const dispatcher = dispatcherFor(t);
    const start = t.clock.now().getTime();
    // The server polls; here the clock moves five seconds at a time, and the receiver is back after 60 s.
    for (let elapsed = 0; elapsed <= 400; elapsed += 5) {
      t.clock.set(new Date(start + elapsed * 1000).toISOString());
      if (elapsed === 60) receiver.answer(204);
      await dispatcher.deliverDue();
    }
    const attempts = receiver.received.map((r) => JSON.parse(r.body).data.voucherId);
    // While it was down only the first event was tried (at once and 5 s later); the others waited behind it.
    expect(attempts.slice(0, 2)).toEqual([vouchers[0], vouchers[0]]);
    expect(attempts.slice(2)).toEqual(vouchers);
    const delivered = receiver.received.slice(2).map((r) => verified(r, hook.secret, t.clock.now()));
    expect(delivered.map((event) => event.data.voucherId)).toEqual(vouchers);
    expect(delivered.map((event) => event.data.amount)).toEqual(['1000.00', '1001.00', '1002.00', '1003.00']);
    expect(new Set(receiver.received.slice(0, 3).map((r) => r.headers['webhook-id'])).size).toBe(1);
    const log = (await t.issuer.get(`/v1/webhooks/${hook.id}/deliveries`)).body.items;
    expect(log.map((d: { status: string }) => d.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
    expect(log[3]).toMatchObject({ attempts: 3, lastStatus: 204, lastError: null, eventType: 'voucher.granted' });
  });

  it('a signature made with another secret does not verify', async () => {
    const hook = await subscribe(t.issuer, ['voucher.granted']);
    const s = scenario(t);
    await s.voucher((await s.program()).id);
    await dispatcherFor(t).deliverDue();
    const [request] = receiver.received;
    expect(verified(request!, hook.secret, t.clock.now()).type).toBe('voucher.granted');
    expect(() => verified(request!, `whsec_${Buffer.alloc(24, 7).toString('base64')}`, t.clock.now())).toThrow('No matching signature');
    expect(() => verified({ ...request!, body: request!.body.replace('voucher.granted', 'voucher.expired') }, hook.secret, t.clock.now())).toThrow();
    expect(request!.headers['webhook-timestamp']).toBe(String(Math.floor(t.clock.now().getTime() / 1000)));
  });

  it('retries spent: failed and shown in the log, the next event goes ahead; redelivered with the same webhook-id', async () => {
    const hook = await subscribe(t.issuer, ['voucher.granted']);
    const s = scenario(t);
    const program = await s.program();
    const first = await s.voucher(program.id, { amount: '100.00' });
    receiver.answer(500);
    const dispatcher = dispatcherFor(t);
    const start = t.clock.now().getTime();
    // 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts, the last 27 h 35 min 5 s after the first.
    for (const hours of [0, 1, 3, 6, 12, 20, 31, 42]) {
      t.clock.set(new Date(start + hours * 3_600_000 + 5_000).toISOString());
      await dispatcher.deliverDue();
    }
    expect(receiver.received).toHaveLength(8);
    let log = (await t.issuer.get(`/v1/webhooks/${hook.id}/deliveries?status=failed`)).body.items;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: 'failed', attempts: 8, lastStatus: 500, lastError: 'HTTP 500: receiver unavailable', nextAttemptAt: null });

    // A later event is not held behind a failed one.
    receiver.answer(204);
    const second = await s.voucher(program.id, { amount: '100.00' });
    await dispatcher.deliverDue();
    expect(JSON.parse(receiver.received.at(-1)!.body).data.voucherId).toBe(second.id);

    const redelivered = await t.issuer.post(`/v1/webhooks/${hook.id}/deliveries/${log[0].id}/redeliver`);
    expect(redelivered.status).toBe(200);
    expect(redelivered.body).toMatchObject({ status: 'pending', attempts: 0 });
    const again = await t.issuer.post(`/v1/webhooks/${hook.id}/deliveries/${log[0].id}/redeliver`);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('delivery_not_redeliverable');
    await dispatcher.deliverDue();
    const last = receiver.received.at(-1)!;
    expect(verified(last, hook.secret, t.clock.now()).data.voucherId).toBe(first.id);
    expect(last.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);
    log = (await t.issuer.get(`/v1/webhooks/${hook.id}/deliveries`)).body.items;
    expect(log.map((d: { status: string }) => d.status)).toEqual(['delivered', 'delivered']);
    expect((await t.issuer.post(`/v1/webhooks/${hook.id}/deliveries/dlv_unknown/redeliver`)).status).toBe(404);

    // Deleting the subscription cancels what is pending; its log stays.
    receiver.answer(503);
    await s.voucher(program.id, { amount: '100.00' });
    await del(ISSUER, `/v1/webhooks/${hook.id}`);
    log = (await t.issuer.get(`/v1/webhooks/${hook.id}/deliveries?status=cancelled`)).body.items;
    expect(log).toHaveLength(1);
    expect((await t.issuer.post(`/v1/webhooks/${hook.id}/deliveries/${log[0].id}/redeliver`)).body.code).toBe('delivery_not_redeliverable');
    const before = receiver.received.length;
    t.clock.set(new Date(t.clock.now().getTime() + 86_400_000).toISOString());
    await dispatcher.deliverDue();
    expect(receiver.received).toHaveLength(before);
  });

  it('a slow receiver holds only its own queue: another subscription gets its five events while it is in flight', async () => {
    const slow = await startReceiver();
    try {
      slow.answer('hold');
      const slowHook = await t.issuer.post('/v1/webhooks', { url: slow.url(), events: ['voucher.granted'] });
      expect(slowHook.status).toBe(201);
      await subscribe(t.issuer, ['voucher.granted']);
      const s = scenario(t);
      const program = await s.program();
      for (let i = 0; i < 5; i += 1) await s.voucher(program.id, { amount: '100.00' });
      // Before the fix the fast queue waited for the slow attempt (cut after 1 s) before its second event.
      const run = dispatcherFor(t, { WEBHOOK_TIMEOUT_MS: '1000' }).deliverDue();
      await receiver.arrived(5);
      expect(slow.received).toHaveLength(1);
      expect(slow.open()).toBe(1);
      slow.answer(204);
      slow.release(204);
      expect(await run).toEqual({ delivered: 10, attempted: 10 });
      expect(slow.received).toHaveLength(5);
    } finally {
      await slow.close();
    }
  });

  it('one attempt at a time per subscription: an older delivery redelivered while a newer one is in flight waits for it', async () => {
    const hook = await subscribe(t.issuer, ['voucher.granted']);
    const s = scenario(t);
    const program = await s.program();
    const first = await s.voucher(program.id, { amount: '100.00' });
    await dispatcherFor(t).deliverDue();
    const second = await s.voucher(program.id, { amount: '100.00' });
    receiver.answer('hold');
    const held = receiver.held();
    const run = dispatcherFor(t).deliverDue();
    await held;
    const [, older] = (await t.issuer.get(`/v1/webhooks/${hook.id}/deliveries`)).body.items;
    expect((await t.issuer.post(`/v1/webhooks/${hook.id}/deliveries/${older.id}/redeliver`)).status).toBe(200);
    // Another process: the redelivered one is the head now, but its subscription has an attempt in flight.
    expect(await dispatcherFor(t, { WEBHOOK_TIMEOUT_MS: '1000' }).deliverDue()).toEqual({ delivered: 0, attempted: 0 });
    expect(receiver.received).toHaveLength(2);
    receiver.answer(204);
    receiver.release(204);
    expect(await run).toEqual({ delivered: 2, attempted: 2 });
    expect(receiver.received.map((r) => JSON.parse(r.body).data.voucherId)).toEqual([first.id, second.id, first.id]);
  });

  it('a deleted subscription is never delivered to, even with a delivery left pending; nothing of it is requeued', async () => {
    const hook = await subscribe(t.issuer, ['voucher.granted']);
    const s = scenario(t);
    const program = await s.program();
    await s.voucher(program.id, { amount: '100.00' });
    await dispatcherFor(t).deliverDue();
    const [delivered] = (await t.issuer.get(`/v1/webhooks/${hook.id}/deliveries`)).body.items;
    await s.voucher(program.id, { amount: '100.00' });
    // As if a redelivery had raced the delete: the subscription is disabled, a delivery of it still pending.
    await t.db.updateTable('webhook_subscriptions').set({ status: 'disabled' }).where('id', '=', hook.id).execute();
    expect(await dispatcherFor(t).deliverDue()).toEqual({ delivered: 0, attempted: 0 });
    expect(receiver.received).toHaveLength(1);
    expect(await requeueDelivery(t.db, delivered.id, t.clock.now().toISOString())).toBe(false);
  });

  it('a 2xx status line is delivered at once: a body that never ends is not waited for, nor retried', async () => {
    const hook = await subscribe(t.issuer, ['voucher.granted']);
    const s = scenario(t);
    await s.voucher((await s.program()).id);
    receiver.answer('endless');
    expect(await dispatcherFor(t, { WEBHOOK_TIMEOUT_MS: '1000' }).deliverDue()).toEqual({ delivered: 1, attempted: 1 });
    const [log] = (await t.issuer.get(`/v1/webhooks/${hook.id}/deliveries`)).body.items;
    expect(log).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200, lastError: null });
  });

  it('pages of the log follow their cursor', async () => {
    const hook = await subscribe(t.issuer, ['voucher.granted']);
    const s = scenario(t);
    const program = await s.program();
    for (let i = 0; i < 3; i += 1) await s.voucher(program.id, { amount: '100.00' });
    const first = await t.issuer.get(`/v1/webhooks/${hook.id}/deliveries?limit=2`);
    expect(first.body.items).toHaveLength(2);
    const next = await t.issuer.get(`/v1/webhooks/${hook.id}/deliveries?limit=2&cursor=${first.body.nextCursor}`);
    expect(next.body.items).toHaveLength(1);
    expect(next.body.nextCursor).toBeNull();
    expect((await t.issuer.get(`/v1/webhooks/${hook.id}/deliveries?cursor=${first.body.nextCursor.slice(0, -2)}x`)).status).toBe(400);
  });
});

describe('voucher.expiring from the sweep', () => {
  it('a voucher expiring 2027-01-31: its 30-day notice on 2027-01-01, its 7-day one on 2027-01-24, each once', async () => {
    const enterprise = await subscribe(await t.as({ role: 'enterprise', org: ENTERPRISE }), ['voucher.expiring', 'voucher.expired'], '/enterprise');
    const s = scenario(t);
    const program = await s.program();
    const voucher = await s.voucher(program.id, { expiresOn: '2027-01-31', amount: '1234.56' });
    const sweep = async (date: string) => {
      t.clock.set(at(date));
      return notifyExpiring({ db: t.db, clock: t.clock, unitOfWork: t.unitOfWork });
    };
    expect(await sweep('2026-12-31')).toBe(0);
    expect(await sweep('2027-01-01')).toBe(1);
    expect(await sweep('2027-01-01')).toBe(0);
    expect(await sweep('2027-01-23')).toBe(0);
    expect(await sweep('2027-01-24')).toBe(1);
    expect(await sweep('2027-01-31')).toBe(0);
    // Past its last day it expires (the sweep's voucher.expired), and has no more notices.
    t.clock.set(at('2027-02-01'));
    expect((await t.issuer.post('/v1/vouchers/expiry-sweep', {})).status).toBe(200);
    expect(await sweep('2027-02-01')).toBe(0);
    await dispatcherFor(t).deliverDue();
    const events = receivedAt('/enterprise', enterprise.secret);
    expect(events.map((event) => [event.type, event.data.daysBefore ?? null])).toEqual([
      ['voucher.expiring', 30],
      ['voucher.expiring', 7],
      ['voucher.expired', null],
    ]);
    expect(events[0]!.data).toMatchObject({ voucherId: voucher.id, expiresOn: '2027-01-31', balance: '1234.56', seq: null, entryHash: null });
    expect(events[2]!.data).toMatchObject({ voucherId: voucher.id, beneficiaryUscc: ENTERPRISE, returned: '1234.56', programClosed: false });
  });

  it('a sweep that runs late sends only the nearest notice', async () => {
    const hook = await subscribe(t.issuer, ['voucher.expiring']);
    const s = scenario(t);
    await s.voucher((await s.program()).id, { expiresOn: '2027-01-31' });
    t.clock.set(at('2027-01-26'));
    expect(await notifyExpiring({ db: t.db, clock: t.clock, unitOfWork: t.unitOfWork })).toBe(1);
    expect(await notifyExpiring({ db: t.db, clock: t.clock, unitOfWork: t.unitOfWork })).toBe(0);
    await dispatcherFor(t).deliverDue();
    expect(receivedAt('/hook', hook.secret).map((event) => event.data.daysBefore)).toEqual([7]);
  });
});
