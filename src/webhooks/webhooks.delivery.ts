// Delivering the outbox (decision 0044): at least once, in order per subscription, signed per Standard Webhooks.
// `deliverDue` attempts every delivery due now at the head of its subscription's queue, leasing each first so that
// two server processes on one database never post the same one at once; it is marked delivered only after a 2xx,
// so a crash in between redelivers it, with the same `webhook-id`. The server polls it every WEBHOOK_POLL_MS;
// tests call it after moving their clock.
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
import { addressRefusal, bareHost, type UrlPolicy } from './rules/url-policy.js';
import type { AttemptOutcome, LeasedDelivery } from './webhooks.model.js';
import { dueQueueHeads, leaseDelivery, recordAttempt } from './webhooks.repository.js';

/** Deliveries attempted at once per round, at most (each is the head of a different subscription's queue). */
const ROUND_SIZE = 32;
/** Rounds per call: a receiver that answers at once lets the next event of its queue go in the same call. */
const MAX_ROUNDS = 50;
/** How much of a refusing receiver's answer is kept in the delivery log. */
const EXCERPT_BYTES = 200;
/** A lease outlives the attempt's timeout by this much, so that it never runs out while the attempt is alive. */
const LEASE_MARGIN_MS = 5_000;
/** How long a stopping server waits for the attempts in flight. */
const STOP_WAIT_MS = 2_000;

export type DeliveryResult = 'delivered' | 'retrying' | 'failed';

/** Posts one signed payload; its outcome, never a throw. */
export type Sender = (url: string, headers: Record<string, string>, body: string) => Promise<AttemptOutcome>;

export interface WebhookDispatcher {
  /** Attempts everything due now; resolves with what was delivered. */
  deliverDue(): Promise<{ delivered: number; attempted: number }>;
  /** Polls every WEBHOOK_POLL_MS until `stop`. */
  start(): void;
  /**
   * Stops polling and waits, two seconds at most, for the round in flight: an attempt cut short is not lost, its
   * lease runs out and it is attempted again with the same `webhook-id`.
   */
  stop(): Promise<void>;
}

export function policyOf(config: Config): UrlPolicy {
  return { production: config.NODE_ENV === 'production', allow: config.WEBHOOK_ALLOW_PRIVATE };
}

/** The three Standard Webhooks headers for `body`, signed at `at` with the subscription's secret. */
export function signedHeaders(secret: string, messageId: string, at: Date, body: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, at, body),
  };
}

export function createWebhookDispatcher(
  deps: { db: Db; clock: Clock; config: Config; logger: Logger },
  options: { send?: Sender; onAttempt?: (result: DeliveryResult) => void } = {},
): WebhookDispatcher {
  const { db, clock, config, logger } = deps;
  const send = options.send ?? httpSender(config.WEBHOOK_TIMEOUT_MS, policyOf(config));
  const schedule = config.WEBHOOK_RETRY_SCHEDULE;

  async function attempt(id: string): Promise<DeliveryResult | undefined> {
    const now = clock.now();
    const token = randomUUID();
    const until = new Date(now.getTime() + config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS).toISOString();
    const lease = await leaseDelivery(db, id, token, now.toISOString(), until);
    if (!lease) return undefined;
    const outcome = await post(lease, now);
    const at = clock.now();
    const delivered = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
    const next = delivered ? null : (nextAttemptAt(lease.attempts, schedule, at)?.toISOString() ?? null);
    const recorded = await recordAttempt(db, { id: lease.id, token }, { ...outcome, delivered, next, at: at.toISOString() });
    const result: DeliveryResult = delivered ? 'delivered' : next === null ? 'failed' : 'retrying';
    if (recorded) options.onAttempt?.(result);
    if (!delivered) logger.warn({ delivery: lease.id, event: lease.eventId, attempts: lease.attempts, result, error: outcome.error }, 'webhook attempt failed');
    return result;
  }

  function post(lease: LeasedDelivery, at: Date): Promise<AttemptOutcome> {
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'voucher-ledger-webhooks',
      ...signedHeaders(lease.secret, lease.eventId, at, lease.payload),
    };
    return send(lease.url, headers, lease.payload).catch((err: unknown) => ({ status: null, error: messageOf(err) }));
  }

  async function deliverDue() {
    let delivered = 0;
    let attempted = 0;
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const heads = await dueQueueHeads(db, clock.now().toISOString(), ROUND_SIZE);
      if (heads.length === 0) break;
      const results = (await Promise.all(heads.map(attempt))).filter((result) => result !== undefined);
      attempted += results.length;
      delivered += results.filter((result) => result === 'delivered').length;
      // Nothing leased (another process holds them) or nothing delivered: what is left waits for its time.
      if (!results.includes('delivered')) break;
    }
    return { delivered, attempted };
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  return {
    deliverDue,
    start() {
      const tick = () => {
        running = deliverDue()
          .catch((err: unknown) => logger.error({ err }, 'webhook delivery round failed'))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, config.WEBHOOK_POLL_MS);
          });
      };
      timer = setTimeout(tick, config.WEBHOOK_POLL_MS);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
    },
  };
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 300);

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
      if (allowed.length === 0) return callback(new Error(refusals[0] ?? `${hostname} did not resolve`), '', 4);
      if (Array.isArray(address)) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

/** Posts with node's http(s): no redirect followed, no connection reused, `timeoutMs` for the whole attempt. */
export function httpSender(timeoutMs: number, policy: UrlPolicy): Sender {
  return (url, headers, body) =>
    new Promise((resolve) => {
      const target = new URL(url);
      const host = bareHost(target.hostname);
      if (isIP(host) !== 0) {
        const refusal = addressRefusal(host, host, policy);
        if (refusal) return resolve({ status: null, error: refusal });
      }
      let settled = false;
      const settle = (outcome: AttemptOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const request = (target.protocol === 'https:' ? https : http).request(
        target,
        { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false, lookup: guardedLookup(policy) },
        (response) => {
          const status = response.statusCode ?? 0;
          const chunks: Buffer[] = [];
          let kept = 0;
          response.on('data', (chunk: Buffer) => {
            if (kept < EXCERPT_BYTES) chunks.push(chunk.subarray(0, EXCERPT_BYTES - kept));
            kept += chunk.length;
          });
          response.on('end', () => {
            const excerpt = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim();
            const ok = status >= 200 && status < 300;
            const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
            settle({ status, error: ok ? null : `HTTP ${status}${redirect}${excerpt ? `: ${excerpt}` : ''}`.slice(0, 300) });
          });
          response.on('error', (err) => settle({ status, error: messageOf(err) }));
        },
      );
      const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      request.on('error', (err) => settle({ status: null, error: messageOf(err) }));
      request.end(body);
    });
}
