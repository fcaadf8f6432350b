// The only module that reads or writes webhooks' tables (migration 0016, decision 0044), and what the outbox reads
// of vouchers and applications to address an event.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { WebhookDeliveryTable, WebhookEventTable, WebhookSubscriptionTable } from '../db/schema.webhooks.js';
import type { EventType, OwnerKind } from './rules/events.js';
import type {
  AttemptOutcome,
  Delivery,
  DeliveryOfEvent,
  DeliveryStatus,
  LeasedDelivery,
  Subscription,
  SubscriptionStatus,
  WebhookEvent,
} from './webhooks.model.js';

type Db = Kysely<Database>;
type SubscriptionRow = Selectable<WebhookSubscriptionTable>;
type DeliveryRow = Selectable<WebhookDeliveryTable>;
type Owner = Subscription['owner'];

export function subscriptionToDomain(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    owner: { kind: row.owner_kind as OwnerKind, id: row.owner },
    url: row.url,
    events: JSON.parse(row.events) as EventType[],
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    secretRotatedAt: row.secret_rotated_at,
    description: row.description,
    status: row.status as SubscriptionStatus,
    createdAt: row.created_at,
    createdBy: row.created_by,
    disabledAt: row.disabled_at,
    disabledBy: row.disabled_by,
  };
}

export function subscriptionToRow(subscription: Subscription): SubscriptionRow {
  return {
    id: subscription.id,
    owner_kind: subscription.owner.kind,
    owner: subscription.owner.id,
    url: subscription.url,
    events: JSON.stringify(subscription.events),
    secret: subscription.secret,
    previous_secret: subscription.previousSecret,
    previous_secret_expires_at: subscription.previousSecretExpiresAt,
    secret_rotated_at: subscription.secretRotatedAt,
    description: subscription.description,
    status: subscription.status,
    created_at: subscription.createdAt,
    created_by: subscription.createdBy,
    disabled_at: subscription.disabledAt,
    disabled_by: subscription.disabledBy,
  };
}

export function eventToRow(event: WebhookEvent): Selectable<WebhookEventTable> {
  return {
    id: event.id,
    type: event.type,
    seq: event.seq === null ? null : BigInt(event.seq),
    entry_hash: event.entryHash,
    payload: event.payload,
    dedupe_key: event.dedupeKey,
    created_at: event.createdAt,
  };
}

const nullableNumber = (value: bigint | null) => (value === null ? null : Number(value));

export function deliveryToDomain(row: DeliveryRow): Delivery {
  return {
    position: Number(row.position),
    id: row.id,
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastAttemptAt: row.last_attempt_at,
    lastStatus: nullableNumber(row.last_status),
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}

// Subscriptions

export async function insertSubscription(db: Db, subscription: Subscription): Promise<void> {
  await db.insertInto('webhook_subscriptions').values(subscriptionToRow(subscription)).execute();
}

export async function countActiveSubscriptions(db: Db, owner: Owner): Promise<number> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .select((eb) => eb.fn.countAll<bigint | number | string>().as('n'))
    .where('owner_kind', '=', owner.kind)
    .where('owner', '=', owner.id)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The subscription, if `owner` holds it (another owner's is as unknown as a missing one). */
export async function findSubscription(db: Db, id: string, owner: Owner): Promise<Subscription | undefined> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('id', '=', id)
    .where('owner_kind', '=', owner.kind)
    .where('owner', '=', owner.id)
    .executeTakeFirst();
  return row && subscriptionToDomain(row);
}

/** The owner's subscriptions, newest first, after the key (created_at, id) of the previous page. */
export async function listSubscriptions(db: Db, owner: Owner, after: [string, string] | undefined, limit: number): Promise<Subscription[]> {
  let query = db.selectFrom('webhook_subscriptions').selectAll().where('owner_kind', '=', owner.kind).where('owner', '=', owner.id);
  if (after) query = query.where((eb) => eb.or([eb('created_at', '<', after[0]), eb.and([eb('created_at', '=', after[0]), eb('id', '<', after[1])])]));
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(subscriptionToDomain);
}

/** Disables the subscription and cancels its deliveries still pending. */
export async function disableSubscription(db: Db, id: string, at: string, by: string): Promise<void> {
  await db.updateTable('webhook_subscriptions').set({ status: 'disabled', disabled_at: at, disabled_by: by }).where('id', '=', id).execute();
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'cancelled', next_attempt_at: null, leased_until: null, lease_token: null })
    .where('subscription_id', '=', id)
    .where('status', '=', 'pending')
    .execute();
}

/** Stores the subscription's secrets as they are after a rotation: the new one, the one it replaced, and when. */
export async function saveSecrets(db: Db, subscription: Subscription): Promise<void> {
  const row = subscriptionToRow(subscription);
  await db
    .updateTable('webhook_subscriptions')
    .set({
      secret: row.secret,
      previous_secret: row.previous_secret,
      previous_secret_expires_at: row.previous_secret_expires_at,
      secret_rotated_at: row.secret_rotated_at,
    })
    .where('id', '=', subscription.id)
    .execute();
}

/**
 * The active subscriptions that could receive an event about this region, provider or enterprise: the issuers'
 * of the covering regions, the provider's and the enterprise's (the rules decide which receive it).
 */
export async function candidateSubscriptions(
  db: Db,
  audience: { regions: string[]; providerUsccs: string[]; enterpriseUsccs: string[] },
): Promise<Subscription[]> {
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('status', '=', 'active')
    .where((eb) => {
      const owners = [eb.and([eb('owner_kind', '=', 'issuer'), eb('owner', 'in', audience.regions)])];
      if (audience.providerUsccs.length > 0) owners.push(eb.and([eb('owner_kind', '=', 'provider'), eb('owner', 'in', audience.providerUsccs)]));
      if (audience.enterpriseUsccs.length > 0) owners.push(eb.and([eb('owner_kind', '=', 'enterprise'), eb('owner', 'in', audience.enterpriseUsccs)]));
      return eb.or(owners);
    })
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(subscriptionToDomain);
}

/**
 * Whether any active subscription to `eventType` could receive an event addressed to these regions' issuers and an
 * enterprise not yet known: what the outbox asks before it reads vouchers or applications to learn the enterprise.
 */
export async function anyCandidate(db: Db, regions: string[], eventType: EventType): Promise<boolean> {
  const row = await db
    .selectFrom('webhook_subscriptions')
    .select('id')
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb.and([eb('owner_kind', '=', 'issuer'), eb('owner', 'in', regions)]), eb('owner_kind', '=', 'enterprise')]))
    // `events` is the JSON array as written: the quoted type is one of its members.
    .where('events', 'like', `%"${eventType}"%`)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// The outbox

export async function insertEvent(db: Db, event: WebhookEvent): Promise<void> {
  await db.insertInto('webhook_events').values(eventToRow(event)).execute();
}

export async function insertDeliveries(db: Db, rows: { id: string; subscriptionId: string; eventId: string; at: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(
      rows.map((row) => ({
        id: row.id,
        subscription_id: row.subscriptionId,
        event_id: row.eventId,
        status: 'pending',
        attempts: 0n,
        next_attempt_at: row.at,
        leased_until: null,
        lease_token: null,
        last_attempt_at: null,
        last_status: null,
        last_error: null,
        delivered_at: null,
        created_at: row.at,
      })),
    )
    .execute();
}

/** The dedupe keys of `keys` already used by an event. */
export async function usedDedupeKeys(db: Db, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.selectFrom('webhook_events').select('dedupe_key').where('dedupe_key', 'in', keys).execute();
  return new Set(rows.map((row) => row.dedupe_key!));
}

/** The enterprise (beneficiary USCC) of each voucher. */
export async function voucherEnterprises(db: Db, voucherIds: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (let from = 0; from < voucherIds.length; from += 500) {
    const rows = await db
      .selectFrom('vouchers')
      .select(['id', 'beneficiary_uscc'])
      .where('id', 'in', voucherIds.slice(from, from + 500))
      .execute();
    for (const row of rows) found.set(row.id, row.beneficiary_uscc);
  }
  return found;
}

export async function applicationEnterprise(db: Db, applicationId: string): Promise<string | null> {
  const row = await db.selectFrom('applications').select('enterprise_uscc').where('id', '=', applicationId).executeTakeFirst();
  return row?.enterprise_uscc ?? null;
}

/** Active vouchers whose last valid day is from `from` to `to`, with their balance: candidates for voucher.expiring. */
export async function vouchersExpiringBetween(db: Db, from: string, to: string) {
  const rows = await db
    .selectFrom('vouchers')
    .leftJoin('account_balances', (join) => join.on('account_balances.account', '=', sql<string>`'voucher:' || vouchers.id`))
    .select([
      'vouchers.id',
      'vouchers.program_id',
      'vouchers.region',
      'vouchers.kind',
      'vouchers.beneficiary_uscc',
      'vouchers.expires_on',
      'account_balances.balance_fen',
    ])
    .where('vouchers.status', '=', 'active')
    .where('vouchers.expires_on', '>=', from)
    .where('vouchers.expires_on', '<=', to)
    .orderBy('vouchers.expires_on')
    .orderBy('vouchers.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    programId: row.program_id,
    region: row.region,
    kind: row.kind,
    enterpriseUscc: row.beneficiary_uscc,
    expiresOn: row.expires_on,
    balance: row.balance_fen ?? 0n,
  }));
}

// Delivery

/** The oldest pending delivery of the subscription `subscription` names (a column reference): the head of its queue. */
const headOf = (subscription: string) =>
  sql<bigint>`(select min(h.position) from webhook_deliveries h where h.subscription_id = ${sql.ref(subscription)} and h.status = 'pending')`;

/** No delivery of the subscription is leased until after `now`: one attempt at a time per subscription, whatever its head. */
const noLeaseHeld = (subscription: string, now: string) =>
  sql<boolean>`not exists (select 1 from webhook_deliveries o where o.subscription_id = ${sql.ref(subscription)} and o.leased_until > ${now} and o.status = 'pending')`;

const isActive = (subscription: string) =>
  sql<boolean>`exists (select 1 from webhook_subscriptions s where s.id = ${sql.ref(subscription)} and s.status = 'active')`;

/**
 * The head of each active subscription's queue (its oldest pending delivery) that is due, when no delivery of that
 * subscription is leased, oldest first; of one subscription only when `subscriptionId` is given. Read per
 * subscription (the head is an index seek on (subscription_id, status, position)), so a backlog of pending
 * deliveries costs one row per subscription, not a scan of the backlog.
 */
export async function dueQueueHeads(db: Db, now: string, limit: number, subscriptionId?: string): Promise<{ id: string; subscriptionId: string }[]> {
  let query = db
    .selectFrom('webhook_subscriptions as s')
    .innerJoin('webhook_deliveries as d', (join) => join.onRef('d.subscription_id', '=', 's.id').on('d.position', '=', headOf('s.id')))
    .select(['d.id', 'd.subscription_id'])
    .where('s.status', '=', 'active')
    .where('d.next_attempt_at', '<=', now)
    .where(noLeaseHeld('s.id', now));
  if (subscriptionId !== undefined) query = query.where('s.id', '=', subscriptionId);
  const rows = await query.orderBy('d.position').limit(limit).execute();
  return rows.map((row) => ({ id: row.id, subscriptionId: row.subscription_id }));
}

/**
 * Takes a delivery for one attempt until `until`, if it is still pending, at the head of its queue, its subscription
 * active, and no delivery of that subscription (itself included) leased by another attempt: two servers on one
 * database never post the same delivery at once, nor two deliveries of one subscription (a redelivered older one
 * waits for the attempt in flight). Counts the attempt.
 */
export async function leaseDelivery(db: Db, id: string, token: string, now: string, until: string): Promise<LeasedDelivery | undefined> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ leased_until: until, lease_token: token, attempts: eb('attempts', '+', 1n), last_attempt_at: now }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('position', '=', headOf('webhook_deliveries.subscription_id'))
    .where(isActive('webhook_deliveries.subscription_id'))
    .where(noLeaseHeld('webhook_deliveries.subscription_id', now))
    .executeTakeFirst();
  if (result.numUpdatedRows !== 1n) return undefined;
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_subscriptions as s', 's.id', 'd.subscription_id')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .select(['d.id', 'd.attempts', 's.url', 's.secret', 's.previous_secret', 's.previous_secret_expires_at', 'e.id as event_id', 'e.payload'])
    .where('d.id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    leaseToken: token,
    attempts: Number(row.attempts),
    url: row.url,
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    eventId: row.event_id,
    payload: row.payload,
  };
}

/**
 * Records an attempt's outcome under the lease it was made with (a lease that ran out and was taken by another
 * process records nothing): delivered; or pending again at `next`; or failed when `next` is null.
 */
export async function recordAttempt(
  db: Db,
  lease: { id: string; token: string },
  outcome: AttemptOutcome & { delivered: boolean; next: string | null; at: string },
): Promise<boolean> {
  const status = outcome.delivered ? 'delivered' : outcome.next === null ? 'failed' : 'pending';
  const result = await db
    .updateTable('webhook_deliveries')
    .set({
      status,
      next_attempt_at: status === 'pending' ? outcome.next : null,
      leased_until: null,
      lease_token: null,
      last_status: outcome.status === null ? null : BigInt(outcome.status),
      last_error: outcome.error,
      delivered_at: outcome.delivered ? outcome.at : null,
    })
    .where('id', '=', lease.id)
    .where('lease_token', '=', lease.token)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** A subscription's deliveries with their events' type and seq, newest first, before `beforePosition`. */
export async function listDeliveries(
  db: Db,
  subscriptionId: string,
  status: DeliveryStatus | undefined,
  beforePosition: number | undefined,
  limit: number,
): Promise<DeliveryOfEvent[]> {
  let query = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .select(['e.type as event_type', 'e.seq as event_seq'])
    .where('d.subscription_id', '=', subscriptionId);
  if (status !== undefined) query = query.where('d.status', '=', status);
  if (beforePosition !== undefined) query = query.where('d.position', '<', BigInt(beforePosition));
  const rows = await query.orderBy('d.position', 'desc').limit(limit).execute();
  return rows.map((row) => ({ ...deliveryToDomain(row), eventType: row.event_type as EventType, seq: nullableNumber(row.event_seq) }));
}

export async function findDelivery(db: Db, subscriptionId: string, deliveryId: string): Promise<DeliveryOfEvent | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .selectAll('d')
    .select(['e.type as event_type', 'e.seq as event_seq'])
    .where('d.subscription_id', '=', subscriptionId)
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
  return row && { ...deliveryToDomain(row), eventType: row.event_type as EventType, seq: nullableNumber(row.event_seq) };
}

/**
 * A delivered or failed delivery of an active subscription back in its queue, due at `now`, with a fresh schedule
 * of attempts; false when it is neither, or its subscription is deleted.
 */
export async function requeueDelivery(db: Db, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', attempts: 0n, next_attempt_at: now, leased_until: null, lease_token: null, delivered_at: null })
    .where('id', '=', id)
    .where('status', 'in', ['delivered', 'failed'])
    .where(isActive('webhook_deliveries.subscription_id'))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

// Retention (decision 0047)

/**
 * Removes the deliveries that are over (delivered, failed or cancelled) whose last activity (delivered, else last
 * attempted, else queued) is before `before`; a pending one is never removed. Returns how many.
 */
export async function purgeDeliveries(db: Db, before: string): Promise<number> {
  const result = await db
    .deleteFrom('webhook_deliveries')
    .where('status', 'in', ['delivered', 'failed', 'cancelled'])
    .where((eb) => eb(eb.fn.coalesce('delivered_at', 'last_attempt_at', 'created_at'), '<', before))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Removes the events no delivery names any more, written before `before` (before `keyedBefore` for those with a
 * dedupe key, which stops the sweep writing a notice twice). Returns how many.
 */
export async function purgeEvents(db: Db, cutoffs: { before: string; keyedBefore: string }): Promise<number> {
  const result = await db
    .deleteFrom('webhook_events')
    .where((eb) =>
      eb.or([
        eb.and([eb('dedupe_key', 'is', null), eb('created_at', '<', cutoffs.before)]),
        eb.and([eb('dedupe_key', 'is not', null), eb('created_at', '<', cutoffs.keyedBefore)]),
      ]),
    )
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('webhook_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'webhook_events.id'))))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
