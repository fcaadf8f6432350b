import type { CreatedWebhookView, DeliveryView, RotatedWebhookView, WebhookView } from './webhooks.schemas.js';
import type { DeliveryOfEvent, Subscription } from './webhooks.model.js';

/** A subscription as the API shows it: never a secret (only the answers that create or rotate one carry it). */
export const webhookView = (subscription: Subscription): WebhookView => ({
  id: subscription.id,
  url: subscription.url,
  events: [...subscription.events],
  description: subscription.description,
  status: subscription.status,
  owner: { kind: subscription.owner.kind, id: subscription.owner.id },
  createdAt: subscription.createdAt,
  createdBy: subscription.createdBy,
  disabledAt: subscription.disabledAt,
  secretRotatedAt: subscription.secretRotatedAt,
});

export const createdWebhookView = (subscription: Subscription): CreatedWebhookView => ({ ...webhookView(subscription), secret: subscription.secret });

/** A subscription whose secret was just rotated: its new secret, shown this once, and until when the previous one signs. */
export const rotatedWebhookView = (subscription: Subscription, previousSecretExpiresAt: string): RotatedWebhookView => ({
  ...webhookView(subscription),
  secret: subscription.secret,
  previousSecretExpiresAt,
});

export const deliveryView = (delivery: DeliveryOfEvent): DeliveryView => ({
  id: delivery.id,
  eventId: delivery.eventId,
  eventType: delivery.eventType,
  seq: delivery.seq,
  status: delivery.status,
  attempts: delivery.attempts,
  lastAttemptAt: delivery.lastAttemptAt,
  lastStatus: delivery.lastStatus,
  lastError: delivery.lastError,
  nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt : null,
  deliveredAt: delivery.deliveredAt,
  createdAt: delivery.createdAt,
});
