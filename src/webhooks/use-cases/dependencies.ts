import type { ActorOf } from '../../auth/actor.js';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../shared/errors.js';
import type { Subscription } from '../webhooks.model.js';

/** What webhooks' use cases are given: the database, the clock, the config (URL policy) and the unit of work. */
export type WebhookDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'unitOfWork'>;

/** Who may subscribe: an issuer for its region, a provider or an enterprise for itself. Auditors read the ledger. */
export type Subscriber = ActorOf<'issuer' | 'provider' | 'enterprise'>;

export const ownerOf = (actor: Subscriber): Subscription['owner'] =>
  actor.role === 'issuer' ? { kind: 'issuer', id: actor.region } : { kind: actor.role, id: actor.org };

export const unknownWebhook = () => DomainError.notFound('webhook subscription', 'id');
