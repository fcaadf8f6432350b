// Subscribing (decision 0044): an issuer for its region, a provider or an enterprise for itself. The secret is made
// here and shown once, in the answer that creates the subscription (and its Idempotency-Key replay).
import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '../../shared/errors.js';
import { decodeCursor, type Page, pageOf } from '../../shared/pagination.js';
import type { CommandContext, CommandResult } from '../../unit-of-work/unit-of-work.js';
import { EVENTS_FOR } from '../rules/events.js';
import { urlRefusal } from '../rules/url-policy.js';
import { policyOf } from '../webhooks.delivery.js';
import { MAX_SUBSCRIPTIONS_PER_OWNER, type Subscription } from '../webhooks.model.js';
import { countActiveSubscriptions, disableSubscription, findSubscription, insertSubscription, listSubscriptions } from '../webhooks.repository.js';
import type { CreatedWebhookView, CreateWebhookInput, ListWebhooksQuery, WebhookView } from '../webhooks.schemas.js';
import { createdWebhookView, webhookView } from '../webhooks.views.js';
import { ownerOf, type Subscriber, unknownWebhook, type WebhookDeps } from './dependencies.js';

/** `whsec_` and 24 random bytes in base64, as Standard Webhooks' libraries expect a secret; rotation makes one too. */
export const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

export async function createSubscription(
  deps: WebhookDeps,
  input: CreateWebhookInput,
  ctx: CommandContext<Subscriber>,
): Promise<CommandResult<CreatedWebhookView>> {
  const owner = ownerOf(ctx.actor);
  const refusal = urlRefusal(input.url, policyOf(deps.config));
  if (refusal) throw new DomainError('webhook_url_refused', `url: ${refusal}`, { field: 'url', errors: [{ field: 'url', message: refusal }] });
  const receivable = EVENTS_FOR[owner.kind];
  const foreign = input.events.findIndex((type) => !receivable.includes(type));
  if (foreign >= 0)
    throw DomainError.validation([{ field: `events[${foreign}]`, message: `is not an event a subscriber of this role receives: ${receivable.join(', ')}` }]);
  return deps.unitOfWork.run({
    status: 201,
    context: ctx,
    execute: async (trx) => {
      if ((await countActiveSubscriptions(trx, owner)) >= MAX_SUBSCRIPTIONS_PER_OWNER)
        throw new DomainError(
          'webhook_limit_reached',
          `${owner.kind === 'issuer' ? 'this region' : 'this organisation'} already has ${MAX_SUBSCRIPTIONS_PER_OWNER} active webhook subscriptions; delete one first`,
        );
      const subscription: Subscription = {
        id: `wh_${randomUUID()}`,
        owner,
        url: input.url,
        events: [...input.events],
        secret: newSecret(),
        previousSecret: null,
        previousSecretExpiresAt: null,
        secretRotatedAt: null,
        description: input.description ?? null,
        status: 'active',
        createdAt: deps.clock.now().toISOString(),
        createdBy: ctx.actor.sub,
        disabledAt: null,
        disabledBy: null,
      };
      await insertSubscription(trx, subscription);
      return createdWebhookView(subscription);
    },
  });
}

export async function readSubscriptions(deps: Pick<WebhookDeps, 'db'>, query: ListWebhooksQuery, actor: Subscriber): Promise<Page<WebhookView>> {
  const after = decodeCursor<[string, string]>('webhooks', query.cursor, 2);
  const rows = await listSubscriptions(deps.db, ownerOf(actor), after, query.limit + 1);
  return pageOf(
    rows,
    query.limit,
    'webhooks',
    (subscription) => [subscription.createdAt, subscription.id],
    async (kept) => kept.map(webhookView),
  );
}

export async function readSubscription(deps: Pick<WebhookDeps, 'db'>, id: string, actor: Subscriber): Promise<WebhookView> {
  const subscription = await findSubscription(deps.db, id, ownerOf(actor));
  if (!subscription) throw unknownWebhook();
  return webhookView(subscription);
}

/**
 * Deleting is disabling: nothing more is queued for it, its pending deliveries are cancelled, and its log stays
 * readable. Under the ledger lock, so that no entry's transaction queues a delivery for it after the cancel.
 * Deleting a disabled subscription again answers the same.
 */
export async function disable(deps: WebhookDeps, id: string, actor: Subscriber): Promise<WebhookView> {
  return deps.unitOfWork.transact(async (trx) => {
    const subscription = await findSubscription(trx, id, ownerOf(actor));
    if (!subscription) throw unknownWebhook();
    if (subscription.status === 'disabled') return webhookView(subscription);
    const at = deps.clock.now().toISOString();
    await disableSubscription(trx, id, at, actor.sub);
    return webhookView({ ...subscription, status: 'disabled', disabledAt: at, disabledBy: actor.sub });
  });
}
