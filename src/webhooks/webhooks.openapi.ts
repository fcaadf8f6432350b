import type { Operation } from '../http/openapi.js';
import { pageSchema } from '../shared/pagination.js';
import {
  createdWebhookSchema,
  createWebhookSchema,
  deliveryParams,
  deliveryViewSchema,
  listDeliveriesQuery,
  listWebhooksQuery,
  rotatedWebhookSchema,
  webhookIdParams,
  webhookViewSchema,
} from './webhooks.schemas.js';

const tag = 'Webhooks';
const subscribers = {
  roles: ['issuer', 'provider', 'enterprise'] as ('issuer' | 'provider' | 'enterprise')[],
  scope: 'an issuer for its region, a provider or an enterprise for itself; auditors are refused (they read the ledger)',
};

export const webhooksOperations: Operation[] = [
  {
    method: 'post',
    path: '/v1/webhooks',
    tag,
    summary: 'Subscribe to events',
    description:
      'Events are signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the `secret` of this answer, which is never shown again; delivered at least once, in order, retried for about a day. In production the URL must be `https://` and not a loopback or private address unless `WEBHOOK_ALLOW_PRIVATE` lists it (`422 webhook_url_refused`). At most 10 active subscriptions per region or organisation (decision 0044).',
    access: subscribers,
    body: createWebhookSchema,
    write: true,
    responses: { 201: { description: 'the subscription, with its secret (shown once)', schema: createdWebhookSchema } },
    problems: ['webhook_url_refused', 'webhook_limit_reached'],
  },
  {
    method: 'get',
    path: '/v1/webhooks',
    tag,
    summary: "The caller's subscriptions",
    description: 'Its region’s (an issuer) or its own (a provider, an enterprise), newest first, deleted ones included; never a secret.',
    access: subscribers,
    query: listWebhooksQuery,
    paged: true,
    responses: { 200: { description: 'a page of subscriptions', schema: pageSchema(webhookViewSchema).meta({ id: 'WebhookPage' }) } },
    problems: [],
  },
  {
    method: 'get',
    path: '/v1/webhooks/:id',
    tag,
    summary: 'A subscription',
    access: subscribers,
    params: webhookIdParams,
    responses: { 200: { description: 'the subscription', schema: webhookViewSchema } },
    problems: ['not_found'],
  },
  {
    method: 'delete',
    path: '/v1/webhooks/:id',
    tag,
    summary: 'Delete a subscription',
    description: 'It receives nothing more and its pending deliveries are cancelled; it stays listed, `disabled`, with its delivery log.',
    access: subscribers,
    params: webhookIdParams,
    responses: { 200: { description: 'the subscription, disabled', schema: webhookViewSchema } },
    problems: ['not_found', 'busy', 'conflict'],
  },
  {
    method: 'post',
    path: '/v1/webhooks/:id/secret',
    tag,
    summary: 'Rotate the signing secret',
    description:
      'A new secret signs every delivery from now on, shown in this answer only. The secret it replaces keeps signing beside it for 24 hours (`webhook-signature` then carries both signatures, separated by a space), so that a receiver verifying with either loses nothing while it switches. Rotating again within those hours drops the older one: never more than two signatures. A deleted subscription is `409 webhook_disabled` (decision 0047).',
    access: subscribers,
    params: webhookIdParams,
    write: true,
    responses: { 200: { description: 'the subscription, with its new secret (shown once)', schema: rotatedWebhookSchema } },
    problems: ['not_found', 'webhook_disabled'],
  },
  {
    method: 'get',
    path: '/v1/webhooks/:id/deliveries',
    tag,
    summary: "A subscription's delivery log",
    description: 'Every event queued for it, newest first: attempts, the last status or error, the next attempt, when delivered.',
    access: subscribers,
    params: webhookIdParams,
    query: listDeliveriesQuery,
    paged: true,
    responses: { 200: { description: 'a page of deliveries', schema: pageSchema(deliveryViewSchema).meta({ id: 'WebhookDeliveryPage' }) } },
    problems: ['not_found'],
  },
  {
    method: 'post',
    path: '/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    tag,
    summary: 'Send a delivered or failed event again',
    description:
      'Back in the queue at once, with the same `webhook-id` and a fresh schedule of attempts. It keeps its place: events still pending behind it wait for it.',
    access: subscribers,
    params: deliveryParams,
    responses: { 200: { description: 'the delivery, pending', schema: deliveryViewSchema } },
    problems: ['not_found', 'delivery_not_redeliverable'],
  },
];
