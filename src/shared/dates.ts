import { z } from 'zod';

/** The policy's calendar: every "date" in this service is an Asia/Shanghai calendar date. */
export const POLICY_TIME_ZONE = 'Asia/Shanghai';

const dateFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: POLICY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(instant: Date): string {
  return dateFormatter.format(instant);
}

/** The first instant (UTC ISO string) of an Asia/Shanghai calendar date; China has no DST (UTC+8). */
export function shanghaiDayStart(date: string): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}

export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** The day after a calendar date. */
export function nextDate(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  parsed.setUTCDate(parsed.getUTCDate() + 1);
  return parsed.toISOString().slice(0, 10);
}

export const calendarDateSchema = z
  .string({ error: 'must be a date string YYYY-MM-DD' })
  .refine(isCalendarDate, 'must be a real calendar date YYYY-MM-DD');
