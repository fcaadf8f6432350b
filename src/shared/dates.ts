import { z } from 'zod';

/** The policy's calendar: every "date" in this service is an Asia/Shanghai calendar date. */
export const POLICY_TIME_ZONE = 'Asia/Shanghai';

const dateFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: POLICY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Since China's last daylight-saving period ended in 1991, Asia/Shanghai has been UTC+8 all year round. */
const FIXED_OFFSET_SINCE = Date.UTC(1992, 0, 1);
const UTC_PLUS_8_MS = 8 * 3_600_000;

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant: by arithmetic on the fixed offset, which the write path asks for on every command. */
export function shanghaiDate(instant: Date): string {
  const ms = instant.getTime();
  if (ms >= FIXED_OFFSET_SINCE && ms < 253_402_300_800_000 - UTC_PLUS_8_MS) return new Date(ms + UTC_PLUS_8_MS).toISOString().slice(0, 10);
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

/** The calendar date `days` days after `date`. */
export function addDays(date: string, days: number): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  parsed.setUTCDate(parsed.getUTCDate() + days);
  return parsed.toISOString().slice(0, 10);
}

/** The day after a calendar date. */
export function nextDate(date: string): string {
  const parsed = new Date(`${date}T00:00:00Z`);
  parsed.setUTCDate(parsed.getUTCDate() + 1);
  return parsed.toISOString().slice(0, 10);
}

export const calendarDateSchema = z.string({ error: 'must be a date string YYYY-MM-DD' }).refine(isCalendarDate, 'must be a real calendar date YYYY-MM-DD');
