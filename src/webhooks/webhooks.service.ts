// Webhooks' use cases (decision 0044), one module each under use-cases/; this wires them to the process's
// dependencies for the routes and the sweep.
import type { Deps } from '../deps.js';
import type { CommandContext } from '../unit-of-work/unit-of-work.js';
import { readDeliveries, redeliver } from './use-cases/deliveries.js';
import type { Subscriber } from './use-cases/dependencies.js';
import { notifyExpiring } from './use-cases/expiring.js';
import { purgeExpired } from './use-cases/retention.js';
import { rotateSecret } from './use-cases/secrets.js';
import { createSubscription, disable, readSubscription, readSubscriptions } from './use-cases/subscriptions.js';
import type { CreateWebhookInput, ListDeliveriesQuery, ListWebhooksQuery } from './webhooks.schemas.js';

export function createWebhookService(deps: Deps) {
  return {
    subscribe: (input: CreateWebhookInput, ctx: CommandContext<Subscriber>) => createSubscription(deps, input, ctx),
    subscriptions: (query: ListWebhooksQuery, actor: Subscriber) => readSubscriptions(deps, query, actor),
    subscription: (id: string, actor: Subscriber) => readSubscription(deps, id, actor),
    disable: (id: string, actor: Subscriber) => disable(deps, id, actor),
    rotateSecret: (id: string, ctx: CommandContext<Subscriber>) => rotateSecret(deps, id, ctx),
    deliveries: (id: string, query: ListDeliveriesQuery, actor: Subscriber) => readDeliveries(deps, id, query, actor),
    redeliver: (id: string, deliveryId: string, actor: Subscriber) => redeliver(deps, id, deliveryId, actor),
    /** voucher.expiring notices due today (the sweep). */
    notifyExpiring: () => notifyExpiring(deps),
    /** Deliveries over and events past WEBHOOK_RETENTION_DAYS removed (the sweep, decision 0047). */
    purgeExpired: () => purgeExpired(deps),
  };
}
