// Delivering the outbox (decision 0044): at least once, in order per subscription, signed per Standard Webhooks.
// `deliverDue` finds the subscriptions whose queue head is due and works each with a worker of its own, under a
// limit of attempts at once: when an attempt ends, the worker takes that subscription's next due head without
// waiting for any other subscription, so a slow receiver holds only its own queue. Each attempt leases its delivery
// first, so that two server processes on one database never post the same one, nor two of one subscription, at
// once; it is marked delivered only after a 2xx, so a crash in between redelivers it, with the same `webhook-id`.
// The server polls it every WEBHOOK_POLL_MS (a poll does not wait for the attempts of the one before); tests call
// it after moving their clock.
import { randomUUID } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../shared/clock.js';
import { nextAttemptAt } from './rules/backoff.js';
import { secretsSigningAt } from './rules/rotation.js';
import { addressRefusal, bareHost, type UrlPolicy } from './rules/url-policy.js';
import type { AttemptOutcome, LeasedDelivery } from './webhooks.model.js';
import { dueQueueHeads, leaseDelivery, recordAttempt } from './webhooks.repository.js';

/** Attempts in flight at once in one process, at most (each of a different subscription). */
const CONCURRENCY = 32;
/** Subscriptions whose heads one poll picks up, at most; the others are found by the next poll. */
const HEADS_PER_POLL = 500;
/** Attempts per subscription in one call: a receiver that answers at once gets its backlog in a few polls. */
const MAX_ATTEMPTS_PER_SUBSCRIPTION = 50;
/** How much of a refusing receiver's answer is kept in the delivery log. */
const EXCERPT_BYTES = 200;
/**
 * A lease outlives the attempt's timeout by this much, so that it never runs out while the attempt is alive. Leases
 * are stamped and compared with each process's own clock: servers sharing a database must keep their clocks within
 * this margin of each other (NTP keeps them within milliseconds), decision 0044.
 */
const LEASE_MARGIN_MS = 10_000;
/** How long a stopping server waits for the attempts in flight before it aborts them. */
const STOP_WAIT_MS = 2_000;
/** What a subscriber's log says of a target refused by the URL policy: the address stays in the server's log. */
export const REFUSED_ADDRESS = 'refused: the host resolves to a loopback or private address';

export type DeliveryResult = 'delivered' | 'retrying' | 'failed';

/** Posts one signed payload; its outcome, never a throw. `signal` aborts it (the server is stopping). */
export type Sender = (url: string, headers: Record<string, string>, body: string, signal?: AbortSignal) => Promise<AttemptOutcome>;

export interface WebhookDispatcher {
  /** Attempts everything due now; resolves, once the attempts it started have ended, with what was delivered. */
  deliverDue(): Promise<{ delivered: number; attempted: number }>;
  /** Polls every WEBHOOK_POLL_MS until `stop`. */
  start(): void;
  /**
   * Stops polling at once, waits two seconds at most for the attempts in flight, then aborts those left and waits
   * for them to end, so that the database can be closed: an attempt cut short records nothing, its lease runs out
   * and it is attempted again with the same `webhook-id`.
   */
  stop(): Promise<void>;
}

export function policyOf(config: Config): UrlPolicy {
  return { production: config.NODE_ENV === 'production', allow: config.WEBHOOK_ALLOW_PRIVATE };
}

/**
 * The three Standard Webhooks headers for `body`, signed at `at` with each of `secrets`: the subscription's, then
 * the one it replaced while that still signs (decision 0047). The signatures are separated by a space, which the
 * specification allows and its libraries read: a receiver holding either secret verifies.
 */
export function signedHeaders(secrets: readonly string[], messageId: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(messageId, at, body)).join(' '),
  };
}

/** A counting semaphore: `acquire` resolves when one of `size` places is free. */
function limiter(size: number) {
  let free = size;
  const waiting: (() => void)[] = [];
  return {
    async acquire(): Promise<void> {
      if (free > 0) {
        free -= 1;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    },
  };
}

export function createWebhookDispatcher(
  deps: { db: Db; clock: Clock; config: Config; logger: Logger },
  options: { send?: Sender; onAttempt?: (result: DeliveryResult) => void } = {},
): WebhookDispatcher {
  const { db, clock, config, logger } = deps;
  const send = options.send ?? httpSender(config.WEBHOOK_TIMEOUT_MS, policyOf(config));
  const schedule = config.WEBHOOK_RETRY_SCHEDULE;
  const slots = limiter(CONCURRENCY);
  /** Subscriptions a worker of this process is working: a later poll leaves them to it. */
  const working = new Set<string>();
  /** Every worker alive, for `stop`. */
  const workers = new Set<Promise<void>>();
  const abort = new AbortController();
  let stopped = false;

  async function attempt(id: string): Promise<DeliveryResult | undefined> {
    const now = clock.now();
    const token = randomUUID();
    const until = new Date(now.getTime() + config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS).toISOString();
    const lease = await leaseDelivery(db, id, token, now.toISOString(), until);
    if (!lease) return undefined;
    const outcome = await post(lease, now);
    // Cut short by a stopping server: nothing is recorded, the lease runs out and it is sent again, as after a crash.
    if (abort.signal.aborted) return undefined;
    const at = clock.now();
    const delivered = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    const next = delivered ? null : (nextAttemptAt(lease.attempts, schedule, at)?.toISOString() ?? null);
    const recorded = await recordAttempt(db, { id: lease.id, token }, { status: outcome.status, error: outcome.error, delivered, next, at: at.toISOString() });
    const result: DeliveryResult = delivered ? 'delivered' : next === null ? 'failed' : 'retrying';
    if (recorded) options.onAttempt?.(result);
    if (!delivered)
      logger.warn(
        { delivery: lease.id, event: lease.eventId, attempts: lease.attempts, result, error: outcome.detail ?? outcome.error },
        'webhook attempt failed',
      );
    return result;
  }

  function post(lease: LeasedDelivery, at: Date): Promise<AttemptOutcome> {
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'voucher-ledger-webhooks',
      ...signedHeaders(secretsSigningAt(lease, at), lease.eventId, at, lease.payload),
    };
    return send(lease.url, headers, lease.payload, abort.signal).catch((err: unknown) => ({ status: null, error: messageOf(err) }));
  }

  /**
   * Works one subscription: its head, then, as each attempt ends delivered or failed (the queue moved on), its next
   * due head, until nothing of it is due, an attempt is to be retried later, or its share of this call is spent.
   */
  async function work(subscriptionId: string, first: string, tally: { delivered: number; attempted: number }): Promise<void> {
    let id: string | undefined = first;
    try {
      for (let attempts = 0; id !== undefined && attempts < MAX_ATTEMPTS_PER_SUBSCRIPTION && !stopped; attempts += 1) {
        await slots.acquire();
        let result: DeliveryResult | undefined;
        try {
          result = stopped ? undefined : await attempt(id);
        } finally {
          slots.release();
        }
        if (result === undefined) break;
        tally.attempted += 1;
        if (result === 'delivered') tally.delivered += 1;
        if (result === 'retrying' || stopped) break;
        id = (await dueQueueHeads(db, clock.now().toISOString(), 1, subscriptionId))[0]?.id;
      }
    } catch (err) {
      logger.error({ err, subscription: subscriptionId }, 'webhook delivery failed');
    } finally {
      working.delete(subscriptionId);
    }
  }

  /** Finds what is due and starts a worker for each subscription no worker of this process is working yet. */
  async function startDue(tally: { delivered: number; attempted: number }): Promise<Promise<void>[]> {
    if (stopped) return [];
    const heads = await dueQueueHeads(db, clock.now().toISOString(), HEADS_PER_POLL);
    const started: Promise<void>[] = [];
    for (const head of heads) {
      if (stopped || working.has(head.subscriptionId)) continue;
      working.add(head.subscriptionId);
      const worker = work(head.subscriptionId, head.id, tally);
      workers.add(worker);
      void worker.finally(() => workers.delete(worker));
      started.push(worker);
    }
    return started;
  }

  async function deliverDue() {
    const tally = { delivered: 0, attempted: 0 };
    await Promise.all(await startDue(tally));
    return tally;
  }

  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<unknown> = Promise.resolve();
  return {
    deliverDue,
    start() {
      const tick = () => {
        // The next poll is due once this one has started its workers, not when their attempts end: a subscription
        // whose worker is done is picked up again while another's attempt is still in flight.
        polling = startDue({ delivered: 0, attempted: 0 })
          .catch((err: unknown) => logger.error({ err }, 'webhook delivery poll failed'))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, config.WEBHOOK_POLL_MS);
          });
      };
      timer = setTimeout(tick, config.WEBHOOK_POLL_MS);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await polling;
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all([...workers]), new Promise((resolve) => (waited = setTimeout(resolve, STOP_WAIT_MS)))]);
      clearTimeout(waited);
      // Those still in flight are aborted, and end before the database may be closed under them.
      abort.abort();
      await Promise.all([...workers]);
    },
  };
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);

/** A target the URL policy refuses: the subscriber is told `REFUSED_ADDRESS`, the server's log the address. */
class RefusedAddress extends Error {}

/**
 * A lookup that refuses, in production, an address outside WEBHOOK_ALLOW_PRIVATE that is loopback or private: the
 * address actually connected to is checked, whatever the name resolved to when the subscription was made.
 */
function guardedLookup(policy: UrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, options, (err, address, family) => {
      if (err) return callback(err, address as string, family);
      const addresses: LookupAddress[] = Array.isArray(address) ? address : [{ address, family: family ?? 4 }];
      const refusals = addresses.map((candidate) => addressRefusal(hostname, candidate.address, policy));
      const allowed = addresses.filter((_, i) => refusals[i] === undefined);
      if (allowed.length === 0) return callback(new RefusedAddress(refusals[0] ?? `${hostname} did not resolve`), '', 4);
      if (Array.isArray(address)) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

/** The outcome of an error: a refused target is told generically, its detail kept for the server's log. */
const failure = (err: unknown): AttemptOutcome =>
  err instanceof RefusedAddress ? { status: null, error: REFUSED_ADDRESS, detail: err.message } : { status: null, error: messageOf(err) };

/**
 * Posts with node's http(s): no redirect followed, no connection reused, `timeoutMs` for the whole attempt. A 2xx
 * status line settles it as delivered at once (the body is not waited for); of any other answer at most
 * EXCERPT_BYTES are read for the log, then the response is destroyed.
 */
export function httpSender(timeoutMs: number, policy: UrlPolicy): Sender {
  return (url, headers, body, signal) =>
    new Promise((resolve) => {
      const target = new URL(url);
      const host = bareHost(target.hostname);
      if (isIP(host) !== 0) {
        const refusal = addressRefusal(host, host, policy);
        if (refusal) return resolve(failure(new RefusedAddress(refusal)));
      }
      if (signal?.aborted) return resolve({ status: null, error: 'the server is stopping' });
      let settled = false;
      const settle = (outcome: AttemptOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const request = (target.protocol === 'https:' ? https : http).request(
        target,
        { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false, lookup: guardedLookup(policy) },
        (response) => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            settle({ status, error: null });
            response.destroy();
            return;
          }
          const chunks: Buffer[] = [];
          let kept = 0;
          const refused = () => {
            const excerpt = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim();
            const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
            settle({ status, error: `HTTP ${status}${redirect}${excerpt ? `: ${excerpt}` : ''}`.slice(0, 300) });
            response.destroy();
          };
          response.on('data', (chunk: Buffer) => {
            chunks.push(chunk.subarray(0, EXCERPT_BYTES - kept));
            kept += Math.min(chunk.length, EXCERPT_BYTES - kept);
            if (kept >= EXCERPT_BYTES) refused();
          });
          response.on('end', refused);
          // Destroyed once enough is read, or cut by the receiver: what was read is the excerpt.
          response.on('close', refused);
          response.on('error', refused);
        },
      );
      const onAbort = () => request.destroy(new Error('the server is stopping'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      request.on('error', (err) => settle(failure(err)));
      request.end(body);
    });
}
