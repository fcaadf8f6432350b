// Webhooks as the use cases see them (decision 0044): a subscription, an event of the outbox, a delivery of one
// event to one subscription.
import type { EventType, OwnerKind } from './rules/events.js';

export type SubscriptionStatus = 'active' | 'disabled';
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Subscriptions an owner may keep active at once. */
export const MAX_SUBSCRIPTIONS_PER_OWNER = 10;

export interface Subscription {
  id: string;
  owner: { kind: OwnerKind; id: string };
  url: string;
  events: EventType[];
  secret: string;
  /** The secret `secret` replaced, which signs beside it until `previousSecretExpiresAt` (decision 0047). */
  previousSecret: string | null;
  previousSecretExpiresAt: string | null;
  /** When the secret was last rotated; null when it is the one made with the subscription. */
  secretRotatedAt: string | null;
  description: string | null;
  status: SubscriptionStatus;
  createdAt: string;
  createdBy: string;
  disabledAt: string | null;
  disabledBy: string | null;
}

export interface WebhookEvent {
  /** `msg_<uuid>`: the `webhook-id` header of every attempt. */
  id: string;
  type: EventType;
  seq: number | null;
  entryHash: string | null;
  /** The body as signed and sent. */
  payload: string;
  dedupeKey: string | null;
  createdAt: string;
}

export interface Delivery {
  position: number;
  id: string;
  subscriptionId: string;
  eventId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** A delivery as the log shows it: with its event's type and seq. */
export interface DeliveryOfEvent extends Delivery {
  eventType: EventType;
  seq: number | null;
}

/** A delivery a process has leased to attempt: everything the attempt needs. */
export interface LeasedDelivery {
  id: string;
  leaseToken: string;
  attempts: number;
  url: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: string | null;
  eventId: string;
  payload: string;
}

/** How an attempt ended: the receiver's status (2xx delivered) or an error before any status (refused, timeout). */
export interface AttemptOutcome {
  status: number | null;
  /** What the subscriber's delivery log shows. */
  error: string | null;
  /** What only the server's log shows (the address a refused host resolved to). */
  detail?: string;
}
