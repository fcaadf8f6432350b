// A subscription's delivery log, and sending one again (decision 0044).
import { DomainError } from '../../shared/errors.js';
import { decodeCursor, type Page, pageOf } from '../../shared/pagination.js';
import { findDelivery, findSubscription, listDeliveries, requeueDelivery } from '../webhooks.repository.js';
import type { DeliveryView, ListDeliveriesQuery } from '../webhooks.schemas.js';
import { deliveryView } from '../webhooks.views.js';
import { ownerOf, type Subscriber, unknownWebhook, type WebhookDeps } from './dependencies.js';

export async function readDeliveries(
  deps: Pick<WebhookDeps, 'db'>,
  subscriptionId: string,
  query: ListDeliveriesQuery,
  actor: Subscriber,
): Promise<Page<DeliveryView>> {
  if (!(await findSubscription(deps.db, subscriptionId, ownerOf(actor)))) throw unknownWebhook();
  const after = decodeCursor<[number]>(`webhook-deliveries:${subscriptionId}`, query.cursor, 1);
  const rows = await listDeliveries(deps.db, subscriptionId, query.status, after?.[0], query.limit + 1);
  return pageOf(
    rows,
    query.limit,
    `webhook-deliveries:${subscriptionId}`,
    (delivery) => [delivery.position],
    async (kept) => kept.map(deliveryView),
  );
}

/**
 * A failed or delivered delivery back in its queue, due at once, with the same `webhook-id` and a fresh schedule.
 * It keeps its place: being older than anything still pending behind it, it goes first and they wait for it (and
 * for an attempt of theirs in flight: one attempt at a time per subscription). Under the ledger lock, as deleting
 * is, so that a subscription deleted meanwhile is never given a pending delivery again.
 */
export async function redeliver(deps: WebhookDeps, subscriptionId: string, deliveryId: string, actor: Subscriber): Promise<DeliveryView> {
  return deps.unitOfWork.transact(async (trx) => {
    const subscription = await findSubscription(trx, subscriptionId, ownerOf(actor));
    if (!subscription) throw unknownWebhook();
    const delivery = await findDelivery(trx, subscriptionId, deliveryId);
    if (!delivery) throw DomainError.notFound('delivery', 'deliveryId');
    if (subscription.status !== 'active')
      throw new DomainError('delivery_not_redeliverable', 'this subscription is deleted: its deliveries are not sent again', { field: 'id' });
    const now = deps.clock.now().toISOString();
    if (!(await requeueDelivery(trx, deliveryId, now)))
      throw new DomainError('delivery_not_redeliverable', `this delivery is ${delivery.status}: only a delivered or failed one is sent again`, {
        field: 'deliveryId',
      });
    return deliveryView({ ...delivery, status: 'pending', attempts: 0, nextAttemptAt: now, deliveredAt: null });
  });
}
