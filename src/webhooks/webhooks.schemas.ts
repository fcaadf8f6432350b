import { z } from 'zod';
import { pageQueryShape } from '../shared/pagination.js';
import { requiredText } from '../shared/text.js';
import { EVENT_TYPES } from './rules/events.js';
import { DELIVERY_STATUSES } from './webhooks.model.js';

const eventTypeSchema = z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(', ')}` });

/** POST /v1/webhooks. The URL's policy (https in production, no private targets) is the use case's: it needs the config. */
export const createWebhookSchema = z
  .strictObject({
    url: z.string({ error: 'must be a URL' }).trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
    events: z
      .array(eventTypeSchema, { error: 'must be an array of event types' })
      .min(1, 'must list at least 1 event type')
      .max(EVENT_TYPES.length, `must list at most ${EVENT_TYPES.length} event types`),
    description: requiredText(200).optional(),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.events.forEach((type, i) => {
      if (seen.has(type)) ctx.addIssue({ code: 'custom', path: ['events', i], message: 'is listed twice' });
      seen.add(type);
    });
  });
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

const idSchema = z.string({ error: 'must be an id' }).min(1, 'must be an id').max(100, 'must be an id');
export const webhookIdParams = z.object({ id: idSchema });
export const deliveryParams = z.object({ id: idSchema, deliveryId: idSchema });

export const listWebhooksQuery = z.strictObject({ ...pageQueryShape });
export type ListWebhooksQuery = z.infer<typeof listWebhooksQuery>;

export const listDeliveriesQuery = z.strictObject({
  ...pageQueryShape,
  status: z.enum(DELIVERY_STATUSES, { error: `must be one of ${DELIVERY_STATUSES.join(', ')}` }).optional(),
});
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuery>;

export const webhookViewSchema = z
  .strictObject({
    id: z.string(),
    url: z.string(),
    events: z.array(eventTypeSchema),
    description: z.string().nullable(),
    status: z.enum(['active', 'disabled']),
    owner: z.strictObject({ kind: z.enum(['issuer', 'provider', 'enterprise']), id: z.string().meta({ description: 'the region, or the USCC' }) }),
    createdAt: z.string(),
    createdBy: z.string(),
    disabledAt: z.string().nullable(),
    secretRotatedAt: z.string().nullable().meta({ description: 'when its secret was last rotated (null: never)' }),
  })
  .meta({ id: 'Webhook' });
export type WebhookView = z.infer<typeof webhookViewSchema>;

export const createdWebhookSchema = webhookViewSchema
  .extend({
    secret: z.string().meta({ description: '`whsec_` + base64: verifies every delivery’s `webhook-signature`. Shown in this answer only.' }),
  })
  .meta({ id: 'CreatedWebhook' });
export type CreatedWebhookView = z.infer<typeof createdWebhookSchema>;

export const rotatedWebhookSchema = webhookViewSchema
  .extend({
    secret: z.string().meta({ description: 'the new `whsec_` secret: it signs every delivery from now on. Shown in this answer only.' }),
    previousSecretExpiresAt: z.string().meta({
      description: 'until when the secret it replaced signs beside it (24 hours): `webhook-signature` carries both signatures until then',
    }),
  })
  .meta({ id: 'RotatedWebhook' });
export type RotatedWebhookView = z.infer<typeof rotatedWebhookSchema>;

export const deliveryViewSchema = z
  .strictObject({
    id: z.string(),
    eventId: z.string().meta({ description: 'the `webhook-id` of every attempt' }),
    eventType: eventTypeSchema,
    seq: z.number().int().nullable().meta({ description: 'the ledger entry the event came from (null for voucher.expiring)' }),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number().int(),
    lastAttemptAt: z.string().nullable(),
    lastStatus: z.number().int().nullable().meta({ description: 'the receiver’s HTTP status at the last attempt (null: no answer)' }),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'WebhookDelivery' });
export type DeliveryView = z.infer<typeof deliveryViewSchema>;
