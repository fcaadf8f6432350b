// The transactional outbox (decision 0044): an observer of the ledger writer, wired in the composition root beside
// the Merkle tree, that writes each event an entry makes, and one delivery per active subscription that receives
// it, in the entry's own transaction: the entry and its events commit together or not at all. An entry that makes
// no event (a redemption, the hot path) costs a lookup in a Set, and no query; one that makes events no
// subscription could receive costs one query (the candidates are read before anything else).
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { AppendObserver } from '../ledger/ledger.writer.js';
import { type Audience, coveringRegions, ENTRY_EVENTS, type EventDraft, type EventType, eventsOf, lookupsFor, receives } from './rules/events.js';
import type { Subscription, WebhookEvent } from './webhooks.model.js';
import { anyCandidate, applicationEnterprise, candidateSubscriptions, insertDeliveries, insertEvent, voucherEnterprises } from './webhooks.repository.js';

export const webhookOutbox: AppendObserver = async (trx, entry) => {
  if (!ENTRY_EVENTS.has(entry.type)) return;
  const lookups = lookupsFor(entry);
  // Reading vouchers or an application only pays when someone may receive the events: when no subscription could
  // (no issuer of a covering region, no provider the entry names, no enterprise at all), one query, and done.
  const looked = LOOKED_UP[entry.type];
  if (looked && (lookups.voucherIds.length > 0 || lookups.applicationId !== null) && !(await anyCandidate(trx, coveringRegions(entry.data.region), looked)))
    return;
  const drafts = eventsOf(entry, {
    voucherEnterprise: lookups.voucherIds.length > 0 ? await voucherEnterprises(trx, lookups.voucherIds) : new Map(),
    applicationEnterprise: lookups.applicationId === null ? null : await applicationEnterprise(trx, lookups.applicationId),
  });
  if (drafts.length > 0) await enqueue(trx, drafts, { seq: entry.seq, entryHash: entry.hash, at: entry.recordedAt });
};

/**
 * The entries whose events need a lookup to be addressed (the enterprise is read from vouchers or applications), and
 * the event each makes: their audience is the issuers of the covering regions and an enterprise not yet known.
 */
const LOOKED_UP: Readonly<Record<string, EventType>> = {
  'application.reviewed': 'application.decided',
  'voucher.expired': 'voucher.expired',
  'program.closed': 'voucher.expired',
};

const unique = (values: (string | null)[]) => [...new Set(values.filter((value): value is string => value !== null))];

/**
 * Writes each event that at least one active subscription receives, with a delivery for each; an event no one
 * receives is not written (the ledger is the record; an event is a message). `source`: the entry it came from
 * (null for voucher.expiring), and the instant it is stamped with.
 */
export async function enqueue(
  trx: Kysely<Database>,
  drafts: readonly (EventDraft & { dedupeKey?: string })[],
  source: { seq: number | null; entryHash: string | null; at: string },
): Promise<number> {
  const candidates = await candidateSubscriptions(trx, {
    regions: unique(drafts.flatMap((draft) => coveringRegions(draft.audience.region))),
    providerUsccs: unique(drafts.map((draft) => draft.audience.providerUscc)),
    enterpriseUsccs: unique(drafts.map((draft) => draft.audience.enterpriseUscc)),
  });
  if (candidates.length === 0) return 0;
  let written = 0;
  for (const draft of drafts) {
    const receivers = receiversOf(candidates, draft.type, draft.audience);
    if (receivers.length === 0) continue;
    const event: WebhookEvent = {
      id: `msg_${randomUUID()}`,
      type: draft.type,
      seq: source.seq,
      entryHash: source.entryHash,
      payload: JSON.stringify({ type: draft.type, timestamp: source.at, data: draft.data }),
      dedupeKey: draft.dedupeKey ?? null,
      createdAt: source.at,
    };
    await insertEvent(trx, event);
    await insertDeliveries(
      trx,
      receivers.map((subscription) => ({ id: `dlv_${randomUUID()}`, subscriptionId: subscription.id, eventId: event.id, at: source.at })),
    );
    written += 1;
  }
  return written;
}

const receiversOf = (candidates: readonly Subscription[], type: EventDraft['type'], audience: Audience) =>
  candidates.filter((subscription) => subscription.events.includes(type) && receives(subscription.owner, audience));
