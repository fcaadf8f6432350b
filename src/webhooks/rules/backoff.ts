// When a delivery is attempted again (decision 0044). The first attempt is always at once: the event is committed,
// holding it back serves no one. The schedule lists the delays in seconds before each retry (1..n), so a delivery
// gets 1 + n attempts; after the last fails the delivery is failed and the subscription's next event goes ahead.
// The default spans about a day, as Svix's does.

/** Seconds before each retry: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (eight attempts, 27.6 hours from the first). */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];

/**
 * After `attempts` attempts (the one that just failed included), when the next one (retry number `attempts`) is
 * due, or null when the schedule is spent and the delivery has failed.
 */
export function nextAttemptAt(attempts: number, schedule: readonly number[], now: Date): Date | null {
  const delay = attempts >= 1 ? schedule[attempts - 1] : 0;
  if (delay === undefined) return null;
  return new Date(now.getTime() + delay * 1000);
}

/** Parses WEBHOOK_RETRY_SCHEDULE: the delays in seconds before retries 1..n, 1–20 whole numbers separated by commas. */
export function parseRetrySchedule(text: string | undefined): number[] {
  if (text === undefined) return [...DEFAULT_RETRY_SCHEDULE];
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length < 1 || parts.length > 20) throw new Error('must list 1 to 20 delays in seconds before retries, separated by commas');
  return parts.map((part) => {
    if (!/^\d{1,6}$/.test(part)) throw new Error(`${part || '(empty)'} is not a whole number of seconds up to 999999`);
    return Number(part);
  });
}
