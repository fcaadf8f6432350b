import type { CreatedWebhookView, DeliveryView, WebhookView } from './webhooks.schemas.js';
import type { DeliveryOfEvent, Subscription } from './webhooks.model.js';

/** A subscription as the API shows it: never its secret (only the answer that created it carries that). */
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
});

export const createdWebhookView = (subscription: Subscription): CreatedWebhookView => ({ ...webhookView(subscription), secret: subscription.secret });

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
