import { shanghaiDate } from './dates.js';

/** Injectable time source, so tests can move "today" without touching the system clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let current = new Date(iso);
  return { now: () => new Date(current), set: (next) => (current = new Date(next)) };
}

export const todayIn = (clock: Clock): string => shanghaiDate(clock.now());
