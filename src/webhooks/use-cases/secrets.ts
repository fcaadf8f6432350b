// Rotating a subscription's secret without downtime (decision 0047): a new secret signs from now on, and the one it
// replaces signs beside it for 24 hours, so that a receiver switches over without losing a delivery. Operational
// state, like the subscription itself: no ledger entry. Through the unit of work, as creating is, so that an
// Idempotency-Key replay answers the same secret to a client that lost the answer: rotating again instead would
// drop the secret its receiver still verifies with.
import { DomainError } from '../../shared/errors.js';
import type { CommandContext, CommandResult } from '../../unit-of-work/unit-of-work.js';
import { rotated } from '../rules/rotation.js';
import type { Subscription } from '../webhooks.model.js';
import { findSubscription, saveSecrets } from '../webhooks.repository.js';
import type { RotatedWebhookView } from '../webhooks.schemas.js';
import { rotatedWebhookView } from '../webhooks.views.js';
import { ownerOf, type Subscriber, unknownWebhook, type WebhookDeps } from './dependencies.js';
import { newSecret } from './subscriptions.js';

export async function rotateSecret(deps: WebhookDeps, id: string, ctx: CommandContext<Subscriber>): Promise<CommandResult<RotatedWebhookView>> {
  return deps.unitOfWork.run({
    status: 200,
    context: ctx,
    execute: async (trx) => {
      const subscription = await findSubscription(trx, id, ownerOf(ctx.actor));
      if (!subscription) throw unknownWebhook();
      if (subscription.status !== 'active')
        throw new DomainError('webhook_disabled', 'this subscription is deleted: it signs nothing more, so its secret is not rotated', { field: 'id' });
      const secrets = rotated(subscription, newSecret(), deps.clock.now());
      const next: Subscription = { ...subscription, ...secrets };
      await saveSecrets(trx, next);
      return rotatedWebhookView(next, secrets.previousSecretExpiresAt);
    },
  });
}
