// The sweep's purge of old webhook deliveries and events (decision 0047): operational state, not the ledger, so
// what is over and older than WEBHOOK_RETENTION_DAYS goes. Pending deliveries, and the events they name, stay
// whatever their age. Not under the ledger lock, as the Idempotency-Keys' purge is not: what goes is over (an event
// only once no delivery names it), so no write depends on it, and a large purge would hold every write behind it.
// A redelivery racing the purge of its delivery finds it gone, as it would a moment later.
import { retentionCutoffs } from '../rules/retention.js';
import { purgeDeliveries, purgeEvents } from '../webhooks.repository.js';
import type { WebhookDeps } from './dependencies.js';

/** Removes the deliveries over and last active before the retention, then the events no delivery names; how many. */
export async function purgeExpired(deps: Pick<WebhookDeps, 'db' | 'clock' | 'config'>): Promise<{ deliveries: number; events: number }> {
  const cutoffs = retentionCutoffs(deps.clock.now(), deps.config.WEBHOOK_RETENTION_DAYS);
  const deliveries = await purgeDeliveries(deps.db, cutoffs.before);
  const events = await purgeEvents(deps.db, cutoffs);
  return { deliveries, events };
}
