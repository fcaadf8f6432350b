// Decision 0047 through the real app, on both engines: a subscription's secret rotated without downtime (the
// previous one signs beside the new one for 24 hours, verified by the `standardwebhooks` package at a local
// receiver, then only the new one), who may rotate, and the sweep's purge of old deliveries and events.
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { notifyExpiring } from '../../src/webhooks/use-cases/expiring.js';
import { purgeExpired } from '../../src/webhooks/use-cases/retention.js';
import { at } from '../helpers/claims-ledger.js';
import { ENTERPRISE, HANGZHOU, NINGBO, OTHER_ENTERPRISE } from '../helpers/fixtures.js';
import { scenario } from '../helpers/scenario.js';
import { buildTestApp, type Client, mintToken, TEST_SECRET, type TestApp } from '../helpers/test-app.js';
import { dispatcherFor, type Received, type Receiver, startReceiver, verified } from '../helpers/webhooks.js';

let t: TestApp;
let receiver: Receiver;
beforeEach(async () => {
  // 2026-03-01 10:00 in Asia/Shanghai.
  t = await buildTestApp({ now: '2026-03-01T02:00:00Z' });
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
  await t.close();
});

async function subscribe(as: Client, events: string[], url = receiver.url()) {
  const res = await as.post('/v1/webhooks', { url, events });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; secret: string };
}

const rotate = (as: Client, id: string, headers: Record<string, string> = {}) => as.post(`/v1/webhooks/${id}/secret`, undefined, headers);

const remove = async (id: string) =>
  request(t.app)
    .delete(`/v1/webhooks/${id}`)
    .set('Authorization', `Bearer ${await mintToken({ role: 'issuer', region: HANGZHOU })}`);

const count = async (table: 'ledger_entries' | 'webhook_events' | 'webhook_deliveries') =>
  Number(
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** The signatures of a received request's `webhook-signature`, each `v1,<base64>`. */
const signatures = (received: Received) => String(received.headers['webhook-signature']).split(' ');

describe('rotating a secret', () => {
  it('a new secret at once; the previous one signs beside it for 24 hours, then only the new one; no ledger entry, never shown again', async () => {
    const hook = await subscribe(t.issuer, ['voucher.granted']);
    const s = scenario(t);
    const program = await s.program();
    const entries = await count('ledger_entries');

    // Rotated at 2026-03-02 10:00 (+08:00): the previous secret signs until 2026-03-03 10:00 (+08:00).
    t.clock.set('2026-03-02T02:00:00Z');
    const rotated = await rotate(t.issuer, hook.id);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body).toMatchObject({
      id: hook.id,
      status: 'active',
      secretRotatedAt: '2026-03-02T02:00:00.000Z',
      previousSecretExpiresAt: '2026-03-03T02:00:00.000Z',
    });
    const secret: string = rotated.body.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(secret).not.toBe(hook.secret);
    // Operational state, as the subscription is: the ledger is as it was.
    expect(await count('ledger_entries')).toBe(entries);

    // Neither secret is shown by a read, only when it was rotated.
    const one = await t.issuer.get(`/v1/webhooks/${hook.id}`);
    const list = await t.issuer.get('/v1/webhooks');
    expect(one.body).not.toHaveProperty('secret');
    expect(one.body).not.toHaveProperty('previousSecretExpiresAt');
    expect(one.body).toMatchObject({ secretRotatedAt: '2026-03-02T02:00:00.000Z' });
    expect(JSON.stringify([one.body, list.body])).not.toContain(secret);
    expect(JSON.stringify([one.body, list.body])).not.toContain(hook.secret);

    // At 12:00 (+08:00): two signatures, each secret verifies.
    await s.voucher(program.id, { amount: '100.00' });
    t.clock.set('2026-03-02T04:00:00Z');
    expect(await dispatcherFor(t).deliverDue()).toEqual({ delivered: 1, attempted: 1 });
    const during = receiver.received[0]!;
    expect(signatures(during)).toHaveLength(2);
    expect(signatures(during).every((signature) => signature.startsWith('v1,'))).toBe(true);
    expect(verified(during, secret, t.clock.now()).type).toBe('voucher.granted');
    expect(verified(during, hook.secret, t.clock.now()).type).toBe('voucher.granted');

    // A second before the previous one expires, still both.
    await s.voucher(program.id, { amount: '100.00' });
    t.clock.set('2026-03-03T01:59:59Z');
    await dispatcherFor(t).deliverDue();
    expect(signatures(receiver.received[1]!)).toHaveLength(2);
    expect(verified(receiver.received[1]!, hook.secret, t.clock.now()).type).toBe('voucher.granted');

    // A second after (2026-03-03 10:00:01, +08:00): one signature, which only the new secret verifies.
    await s.voucher(program.id, { amount: '100.00' });
    t.clock.set('2026-03-03T02:00:01Z');
    await dispatcherFor(t).deliverDue();
    const after = receiver.received[2]!;
    expect(signatures(after)).toHaveLength(1);
    expect(verified(after, secret, t.clock.now()).type).toBe('voucher.granted');
    expect(() => verified(after, hook.secret, t.clock.now())).toThrow('No matching signature');
  });

  it('rotated again within 24 hours: the secret it replaces is the previous one, the oldest is dropped (never three signatures)', async () => {
    const hook = await subscribe(t.issuer, ['voucher.granted']);
    t.clock.set('2026-03-02T02:00:00Z');
    const second = (await rotate(t.issuer, hook.id)).body as { secret: string };
    // 16:00 (+08:00) the same day: the second secret signs beside the third until 2026-03-03 16:00.
    t.clock.set('2026-03-02T08:00:00Z');
    const third = await rotate(t.issuer, hook.id);
    expect(third.status).toBe(200);
    expect(third.body).toMatchObject({ secretRotatedAt: '2026-03-02T08:00:00.000Z', previousSecretExpiresAt: '2026-03-03T08:00:00.000Z' });
    expect(new Set([hook.secret, second.secret, third.body.secret]).size).toBe(3);

    const s = scenario(t);
    await s.voucher((await s.program()).id, { amount: '100.00' });
    t.clock.set('2026-03-02T09:00:00Z');
    await dispatcherFor(t).deliverDue();
    const [delivery] = receiver.received;
    expect(signatures(delivery!)).toHaveLength(2);
    expect(verified(delivery!, third.body.secret, t.clock.now()).type).toBe('voucher.granted');
    expect(verified(delivery!, second.secret, t.clock.now()).type).toBe('voucher.granted');
    expect(() => verified(delivery!, hook.secret, t.clock.now())).toThrow('No matching signature');
  });

  it('an Idempotency-Key replays the same new secret: the subscription is rotated once', async () => {
    const hook = await subscribe(t.issuer, ['voucher.granted']);
    const key = { 'Idempotency-Key': 'rotate-1' };
    const first = await rotate(t.issuer, hook.id, key);
    const again = await rotate(t.issuer, hook.id, key);
    expect(first.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    // Rotated once: the secret made with the subscription still verifies beside the one the answer gave.
    const s = scenario(t);
    await s.voucher((await s.program()).id, { amount: '100.00' });
    await dispatcherFor(t).deliverDue();
    expect(verified(receiver.received[0]!, first.body.secret, t.clock.now()).type).toBe('voucher.granted');
    expect(verified(receiver.received[0]!, hook.secret, t.clock.now()).type).toBe('voucher.granted');
  });

  it('the owner only, as deleting: another owner or an unknown id is 404, an auditor 403, a deleted subscription 409 webhook_disabled', async () => {
    const hook = await subscribe(t.issuer, ['voucher.granted']);
    expect((await rotate(await t.as({ role: 'issuer', region: NINGBO }), hook.id)).status).toBe(404);
    expect((await rotate(t.provider, hook.id)).body).toMatchObject({ code: 'not_found', field: 'id' });
    expect((await rotate(await t.as({ role: 'enterprise', org: ENTERPRISE }), hook.id)).status).toBe(404);
    expect((await rotate(t.issuer, 'wh_unknown')).status).toBe(404);
    const auditor = await rotate(t.auditor, hook.id);
    expect(auditor.status).toBe(403);
    expect(auditor.body.code).toBe('forbidden');
    // A colleague of the same region manages it.
    expect((await rotate(await t.as({ role: 'issuer', region: HANGZHOU, sub: 'colleague' }), hook.id)).status).toBe(200);

    expect((await remove(hook.id)).status).toBe(200);
    const refused = await rotate(t.issuer, hook.id);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'webhook_disabled', field: 'id' });
    const zh = await rotate(t.issuer, hook.id, { 'Accept-Language': 'zh-CN' });
    expect(zh.body).toMatchObject({ code: 'webhook_disabled', title: '回调订阅已删除' });
  });
});

describe('retention: the sweep purges old deliveries and events', () => {
  const config = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', DATABASE_URL: ':memory:', JWT_SECRET: TEST_SECRET, ...env });
  const purge = (env: Record<string, string> = {}) => purgeExpired({ db: t.db, clock: t.clock, config: config(env) });
  const eventIds = async () => (await t.db.selectFrom('webhook_events').select('id').execute()).map((row) => row.id).sort();
  const logOf = async (as: Client, id: string) =>
    ((await as.get(`/v1/webhooks/${id}/deliveries`)).body.items as { eventId: string; status: string }[]).map(({ eventId, status }) => ({ eventId, status }));

  it('30 days from the last activity: delivered 31 days ago goes with its event; 29 days ago, pending, or sharing its event with a kept one, stays', async () => {
    const down = await startReceiver();
    try {
      down.answer(503);
      const s = scenario(t);
      const program = await s.program();
      const other = await t.as({ role: 'enterprise', org: OTHER_ENTERPRISE });
      // 2026-01-10 10:00 (+08:00), 90 days before the sweep: an event whose receiver never answers 2xx.
      t.clock.set(at('2026-01-10'));
      const stuck = await subscribe(other, ['voucher.granted'], down.url('/stuck'));
      await s.voucher(program.id, { amount: '100.00', beneficiary: { uscc: OTHER_ENTERPRISE, name: '宁波示例' } });

      // 2026-03-10: V1 to one subscription, V2 to two; all delivered but the stuck one (retried 11.6 days later).
      t.clock.set(at('2026-03-10'));
      const hook = await subscribe(t.issuer, ['voucher.granted'], receiver.url('/hook'));
      await s.voucher(program.id, { amount: '100.00' });
      const second = await subscribe(t.issuer, ['voucher.granted'], receiver.url('/second'));
      await s.voucher(program.id, { amount: '100.00' });
      expect(await dispatcherFor(t, { WEBHOOK_RETRY_SCHEDULE: '999999' }).deliverDue()).toEqual({ delivered: 3, attempted: 4 });
      const [e0] = await logOf(other, stuck.id);
      const [e2, e1] = await logOf(t.issuer, hook.id);

      // 2026-03-12: V3 to both, delivered; the second subscription asks for V2 again, delivered again.
      t.clock.set(at('2026-03-12'));
      await s.voucher(program.id, { amount: '100.00' });
      const [, redelivered] = (await t.issuer.get(`/v1/webhooks/${second.id}/deliveries`)).body.items;
      expect((await t.issuer.post(`/v1/webhooks/${second.id}/deliveries/${redelivered.id}/redeliver`)).status).toBe(200);
      expect(await dispatcherFor(t).deliverDue()).toEqual({ delivered: 3, attempted: 3 });
      const [e3] = await logOf(t.issuer, hook.id);
      expect(await count('webhook_deliveries')).toBe(6);

      // The sweep of 2026-04-10 10:00 (+08:00): the cutoff is 2026-03-11 10:00.
      t.clock.set(at('2026-04-10'));
      const entries = await count('ledger_entries');
      expect(await purge()).toEqual({ deliveries: 2, events: 1 });
      // V1's one delivery, 31 days old, is gone with its event; V2's is gone from the first subscription, but the
      // second's was last delivered 29 days ago: it stays, and so does the event; V3's stay; the pending one and
      // its event, 90 days old, stay.
      expect(await logOf(t.issuer, hook.id)).toEqual([{ eventId: e3!.eventId, status: 'delivered' }]);
      expect(await logOf(t.issuer, second.id)).toEqual([
        { eventId: e3!.eventId, status: 'delivered' },
        { eventId: e2!.eventId, status: 'delivered' },
      ]);
      expect(await logOf(other, stuck.id)).toEqual([{ eventId: e0!.eventId, status: 'pending' }]);
      expect(await eventIds()).toEqual([e0!.eventId, e2!.eventId, e3!.eventId].sort());
      expect(await eventIds()).not.toContain(e1!.eventId);
      expect(await count('ledger_entries')).toBe(entries);
      expect(await purge()).toEqual({ deliveries: 0, events: 0 });

      // Two days later V2's and V3's deliveries are 31 days old too; the pending one still stays.
      t.clock.set(at('2026-04-12'));
      expect(await purge()).toEqual({ deliveries: 3, events: 2 });
      expect(await eventIds()).toEqual([e0!.eventId]);
      expect(await logOf(other, stuck.id)).toEqual([{ eventId: e0!.eventId, status: 'pending' }]);
      expect(await count('webhook_deliveries')).toBe(1);
    } finally {
      await down.close();
    }
  });

  it('a failed or cancelled delivery goes by its last attempt, else when it was queued; a longer WEBHOOK_RETENTION_DAYS keeps it', async () => {
    const hook = await subscribe(t.issuer, ['voucher.granted']);
    const s = scenario(t);
    const program = await s.program();
    receiver.answer(500);
    await s.voucher(program.id, { amount: '100.00' });
    // One attempt and one retry (2026-03-01 10:00:00 and 10:00:05, +08:00): failed.
    await dispatcherFor(t, { WEBHOOK_RETRY_SCHEDULE: '5' }).deliverDue();
    t.clock.set('2026-03-01T02:00:05Z');
    await dispatcherFor(t, { WEBHOOK_RETRY_SCHEDULE: '5' }).deliverDue();
    // Queued 2026-03-02, never attempted, cancelled with its subscription on 2026-03-20.
    t.clock.set(at('2026-03-02'));
    await s.voucher(program.id, { amount: '100.00' });
    t.clock.set(at('2026-03-20'));
    expect((await remove(hook.id)).status).toBe(200);
    expect((await logOf(t.issuer, hook.id)).map((delivery) => delivery.status)).toEqual(['cancelled', 'failed']);

    // 2026-04-01 10:00: 31 days after the failed one's last attempt, exactly 30 days after the cancelled one was queued.
    t.clock.set(at('2026-04-01'));
    expect(await purge({ WEBHOOK_RETENTION_DAYS: '60' })).toEqual({ deliveries: 0, events: 0 });
    expect(await purge()).toEqual({ deliveries: 1, events: 1 });
    expect((await logOf(t.issuer, hook.id)).map((delivery) => delivery.status)).toEqual(['cancelled']);
    t.clock.set('2026-04-01T02:00:00.001Z');
    expect(await purge()).toEqual({ deliveries: 1, events: 1 });
    expect(await count('webhook_events')).toBe(0);
  });

  it('a voucher.expiring event outlives a short retention while its notice could be due again: the sweep never sends it twice', async () => {
    const enterprise = await subscribe(await t.as({ role: 'enterprise', org: ENTERPRISE }), ['voucher.expiring']);
    const s = scenario(t);
    await s.voucher((await s.program()).id, { expiresOn: '2027-01-31' });
    const sweep = async (date: string) => {
      t.clock.set(at(date));
      const written = await notifyExpiring({ db: t.db, clock: t.clock, unitOfWork: t.unitOfWork });
      await dispatcherFor(t).deliverDue();
      return { written, purged: await purge({ WEBHOOK_RETENTION_DAYS: '1' }) };
    };
    expect(await sweep('2027-01-24')).toEqual({ written: 1, purged: { deliveries: 0, events: 0 } });
    expect(receiver.received).toHaveLength(1);
    expect(verified(receiver.received[0]!, enterprise.secret, t.clock.now()).data).toMatchObject({ daysBefore: 7 });
    // Its delivery goes after a day; the event stays, so the 7-day notice is not written again.
    expect(await sweep('2027-01-26')).toEqual({ written: 0, purged: { deliveries: 1, events: 0 } });
    expect(await sweep('2027-01-31')).toEqual({ written: 0, purged: { deliveries: 0, events: 0 } });
    expect(receiver.received).toHaveLength(1);
    // More than 31 days after it was written, the event goes too.
    t.clock.set(at('2027-02-25'));
    expect(await purge({ WEBHOOK_RETENTION_DAYS: '1' })).toEqual({ deliveries: 0, events: 1 });
  });
});
