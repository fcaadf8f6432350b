// How long delivered events are kept (decision 0047). The sweep removes deliveries that are over (delivered, failed
// or cancelled) and whose last activity (delivered, else last attempted, else queued) is older than
// WEBHOOK_RETENTION_DAYS, then the events no delivery names any more that are older too. Counting from the last
// activity, not from the event, keeps a delivery redelivered last week in the log however old its event is.
import { EXPIRING_THRESHOLDS } from './expiring.js';

const DAY_MS = 86_400_000;

/**
 * The least number of days a voucher.expiring event is kept, whatever the retention: its dedupe key is what stops
 * the sweep writing the notice again, and a notice stays due (its threshold the smallest due) until the voucher's
 * last day, at most 30 calendar days after it was first due; one day more for Asia/Shanghai against UTC.
 */
export const KEYED_EVENT_MIN_DAYS = Math.max(...EXPIRING_THRESHOLDS) + 1;

export interface RetentionCutoffs {
  /** Deliveries over and last active before this instant go, and events without a dedupe key written before it. */
  before: string;
  /** Events with a dedupe key (voucher.expiring) written before this instant go. */
  keyedBefore: string;
}

export function retentionCutoffs(now: Date, retentionDays: number): RetentionCutoffs {
  return {
    before: new Date(now.getTime() - retentionDays * DAY_MS).toISOString(),
    keyedBefore: new Date(now.getTime() - Math.max(retentionDays, KEYED_EVENT_MIN_DAYS) * DAY_MS).toISOString(),
  };
}
