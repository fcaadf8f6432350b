// The verifier's own working-day calendar, to re-derive a public notice's dates (公示) apart from the service's
// (src/calendar/working-days.ts): it reads the same data files, the State Council's notices, but counts on day
// numbers (days since 1970-01-01, a Thursday) rather than date strings. A year without a file is an answer, not a
// guess: the notice cannot be checked (decision 0040).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDate } from './calendar.js';

/** The calendar's data files, read as data: src/calendar/data, or dist/src/calendar/data once built. */
export const DEFAULT_CALENDAR_DIR = fileURLToPath(new URL('../calendar/data/', import.meta.url));

const DAY_MS = 86_400_000;

/** The years with a notice on file, and their days off (holidays) and adjusted working days, as YYYY-MM-DD. */
export interface WorkingDays {
  years: ReadonlySet<number>;
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

const dayNumber = (date: string): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** Saturday or Sunday: day 0 was a Thursday, so a day's weekday is (day + 4) mod 7, Sunday 0. */
const isWeekendDay = (day: number): boolean => {
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
};

function datesOf(value: unknown, file: string): string[] {
  if (!Array.isArray(value)) throw new Error(`calendar file ${file}: holidays and workdays are lists`);
  return value.flatMap((group: unknown) => {
    const dates = (group as { dates?: unknown } | null)?.dates;
    if (!Array.isArray(dates) || !dates.every(isDate)) throw new Error(`calendar file ${file}: each group has dates YYYY-MM-DD`);
    return dates;
  });
}

/** Reads every cn-YYYY.json of a folder: a file that does not parse, or whose year is not its name's, stops the run. */
export function loadWorkingDays(dir: string = DEFAULT_CALENDAR_DIR): WorkingDays {
  const years = new Set<number>();
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const name of readdirSync(dir)) {
    const match = /^cn-(\d{4})\.json$/.exec(name);
    if (!match) continue;
    const data = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
    if (data['year'] !== Number(match[1])) throw new Error(`calendar file ${name}: year ${String(data['year'])} is not ${match[1]}`);
    for (const date of datesOf(data['holidays'], name)) holidays.add(date);
    for (const date of datesOf(data['workdays'], name)) workdays.add(date);
    years.add(Number(match[1]));
  }
  return { years, holidays, workdays };
}

let defaultDays: WorkingDays | undefined;

/**
 * The notice of `workingDays` working days opened by a final approval on `decidedOn`: it starts on the first
 * working day after it and ends on the `workingDays`-th, counting the first; or why it cannot be derived (a
 * malformed input, or a day it runs through in a year with no State Council notice on file).
 */
export function noticePeriodOf(
  decidedOn: string,
  workingDays: number,
  calendar: WorkingDays = (defaultDays ??= loadWorkingDays()),
): { startsOn: string; endsOn: string } | string {
  if (!isDate(decidedOn)) return `decidedOn ${String(decidedOn)} is not a date YYYY-MM-DD`;
  if (!Number.isSafeInteger(workingDays) || workingDays < 1) return `a notice lasts a whole number of working days, at least one, not ${workingDays}`;
  let day = dayNumber(decidedOn);
  let year = Number(decidedOn.slice(0, 4));
  if (!calendar.years.has(year)) return `no State Council holiday notice on file for ${year}: the notice after ${decidedOn} cannot be checked`;
  let startsOn = '';
  for (let counted = 0; ;) {
    day++;
    const date = dateOf(day);
    const dateYear = Number(date.slice(0, 4));
    if (dateYear !== year) {
      year = dateYear;
      if (!calendar.years.has(year)) return `no State Council holiday notice on file for ${year}: the notice after ${decidedOn} runs into it`;
    }
    if (calendar.workdays.has(date) || (!calendar.holidays.has(date) && !isWeekendDay(day))) {
      counted++;
      if (counted === 1) startsOn = date;
      if (counted === workingDays) return { startsOn, endsOn: date };
    }
  }
}
