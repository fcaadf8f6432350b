// When a delivery is attempted again (decision 0044): a schedule of delays in seconds, the first the delay of the
// first attempt (0: at once). After the last attempt fails the delivery is failed and the subscription's next
// event goes ahead. The default spans about a day, as Svix's does.

/** Seconds before each attempt: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (27.6 hours from the first). */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [0, 5, 300, 1800, 7200, 18_000, 36_000, 36_000];

/**
 * After `attempts` attempts (the one that just failed included), when the next one is due, or null when the
 * schedule is spent and the delivery has failed.
 */
export function nextAttemptAt(attempts: number, schedule: readonly number[], now: Date): Date | null {
  const delay = schedule[attempts];
  if (delay === undefined) return null;
  return new Date(now.getTime() + delay * 1000);
}

/** Parses WEBHOOK_RETRY_SCHEDULE: 1–20 whole numbers of seconds separated by commas; throws naming a bad one. */
export function parseRetrySchedule(text: string | undefined): number[] {
  if (text === undefined) return [...DEFAULT_RETRY_SCHEDULE];
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length < 1 || parts.length > 20) throw new Error('must list 1 to 20 delays in seconds, separated by commas');
  return parts.map((part) => {
    if (!/^\d{1,6}$/.test(part)) throw new Error(`${part || '(empty)'} is not a whole number of seconds up to 999999`);
    return Number(part);
  });
}
