import type { Generated } from 'kysely';

// Webhooks (migration 0016, decision 0044): operational state beside the ledger, not money. Each event names the
// ledger entry (seq, hash) it came from.

export interface WebhookSubscriptionTable {
  id: string;
  /** 'issuer' (owner: its region), 'provider' or 'enterprise' (owner: its USCC). */
  owner_kind: string;
  owner: string;
  url: string;
  /** JSON array of the event types subscribed to. */
  events: string;
  /** `whsec_` + base64: it signs every delivery, so it is kept as is; the API shows it once. */
  secret: string;
  /** The secret `secret` replaced at the last rotation (decision 0047): it signs beside it until `previous_secret_expires_at`. */
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  secret_rotated_at: string | null;
  description: string | null;
  /** 'active' or 'disabled' (deleted through the API: kept for its delivery log). */
  status: string;
  created_at: string;
  created_by: string;
  disabled_at: string | null;
  disabled_by: string | null;
}

export interface WebhookEventTable {
  /** `msg_<uuid>`: the `webhook-id` of every delivery of the event, redeliveries included. */
  id: string;
  type: string;
  seq: bigint | null;
  entry_hash: string | null;
  payload: string;
  dedupe_key: string | null;
  created_at: string;
}

export interface WebhookDeliveryTable {
  position: Generated<bigint>;
  id: string;
  subscription_id: string;
  event_id: string;
  /** 'pending', 'delivered', 'failed' or 'cancelled'. */
  status: string;
  attempts: bigint;
  next_attempt_at: string | null;
  /** Held by the process attempting it until then; a crashed process's lease simply runs out. */
  leased_until: string | null;
  lease_token: string | null;
  last_attempt_at: string | null;
  last_status: bigint | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface WebhookTables {
  webhook_subscriptions: WebhookSubscriptionTable;
  webhook_events: WebhookEventTable;
  webhook_deliveries: WebhookDeliveryTable;
}
