// The verifier's one calendar check, shared by every shape it reads: dates (YYYY-MM-DD) and the instants the
// service records (YYYY-MM-DDTHH:MM:SS.sssZ), each on a real calendar day, so that a string compare orders them.

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written with `count` ASCII digits from `at`, or -1 when one of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Whether text[at, at + 10) is YYYY-MM-DD on a real calendar day: 2025-02-31 and 2025-02-29 are not. */
function isDateAt(text: string, at: number): boolean {
  if (text.charCodeAt(at + 4) !== 0x2d || text.charCodeAt(at + 7) !== 0x2d) return false;
  const year = digits(text, at, 4);
  const month = digits(text, at + 5, 2);
  const day = digits(text, at + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS[month - 1]!);
}

/** A real calendar date YYYY-MM-DD. */
export function isDate(v: unknown): v is string {
  return typeof v === 'string' && v.length === 10 && isDateAt(v, 0);
}

/** An instant YYYY-MM-DDTHH:MM:SS.sssZ on a real calendar day, at a real time of day (00:00:00.000–23:59:59.999). */
export function isInstant(v: unknown): v is string {
  if (typeof v !== 'string' || v.length !== 24 || !isDateAt(v, 0)) return false;
  if (v.charCodeAt(10) !== 0x54 || v.charCodeAt(13) !== 0x3a || v.charCodeAt(16) !== 0x3a || v.charCodeAt(19) !== 0x2e || v.charCodeAt(23) !== 0x5a)
    return false;
  const hour = digits(v, 11, 2);
  const minute = digits(v, 14, 2);
  const second = digits(v, 17, 2);
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && digits(v, 20, 3) >= 0;
}

/** The Asia/Shanghai calendar date of an ISO instant (UTC+8, no daylight saving): the service's "today". */
export function shanghaiDate(instant: string): string {
  // Before 16:00 UTC the Shanghai date is the UTC date (shapes.ts holds recordedAt to YYYY-MM-DDTHH:…Z).
  const hour = (instant.charCodeAt(11) - 48) * 10 + (instant.charCodeAt(12) - 48);
  if (hour < 16) return instant.slice(0, 10);
  return new Date(Date.parse(instant) + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** The calendar date `days` days after a real date YYYY-MM-DD (calendar days, not working days: decision 0041). */
export function addCalendarDays(date: string, days: number): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
