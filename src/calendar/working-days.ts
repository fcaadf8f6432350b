// The Chinese working-day calendar on which a public notice (公示) runs: Monday to Friday, less each year's public
// holidays, plus its adjusted working days (调休), as the State Council General Office's notice for that year sets
// them. One file a year in data/ (cn-YYYY.json), each citing its notice; a year without a file is refused, never
// guessed (decision 0040). Pure: the files are read once, synchronously, on first use.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isCalendarDate, nextDate, yearOf } from '../shared/dates.js';
import { DomainError } from '../shared/errors.js';

/** Beside this module: src/calendar/data under tsx and vitest, dist/src/calendar/data once built (scripts/build.mjs copies it). */
export const DEFAULT_CALENDAR_DIR = fileURLToPath(new URL('./data/', import.meta.url));

const FILE_NAME = /^cn-(\d{4})\.json$/;

const dateSchema = z.string().refine(isCalendarDate, 'must be a real calendar date YYYY-MM-DD');
const namedDatesSchema = z.strictObject({ name: z.string().min(1), dates: z.array(dateSchema).min(1) });

/** A year's file: the notice it comes from (title, number, publication date, gov.cn address, its clauses), its days off and its adjusted working days. */
export const calendarFileSchema = z.strictObject({
  year: z.number().int().min(2000).max(9999),
  source: z.strictObject({
    title: z.string().regex(/^国务院办公厅关于\d{4}年部分节假日安排的通知$/, 'must be the notice title 国务院办公厅关于YYYY年部分节假日安排的通知'),
    number: z.string().regex(/^国办发明电〔\d{4}〕\d+号$/, 'must be the document number, e.g. 国办发明电〔2025〕7号'),
    published: dateSchema,
    url: z.string().regex(/^https:\/\/www\.gov\.cn\/\S+$/, 'must be the notice on https://www.gov.cn/'),
    clauses: z.array(z.string().min(1)).min(1),
  }),
  holidays: z.array(namedDatesSchema).min(1),
  workdays: z.array(namedDatesSchema),
});

export interface NoticePeriod {
  /** The first working day after the decision. */
  startsOn: string;
  /** The last working day of the notice: the n-th working day counting `startsOn` as the first. */
  endsOn: string;
}

export interface WorkingDayCalendar {
  /** Whether a date is a working day; throws calendar_year_unknown for a year without a notice on file. */
  isWorkingDay(date: string): boolean;
  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string;
  /** The `days`-th working day strictly after `date` (`date` itself for 0). */
  addWorkingDays(date: string, days: number): string;
  /** A notice of `workingDays` working days opened by a final approval on `decidedOn`. */
  noticePeriod(decidedOn: string, workingDays: number): NoticePeriod;
  /** The years with a notice on file, ascending. */
  calendarYears(): number[];
}

/** The refusal for a date in a year whose notice is not on file. */
export function calendarYearUnknown(year: number): DomainError {
  return new DomainError(
    'calendar_year_unknown',
    `no State Council holiday notice on file for ${year}: its working days are unknown until src/calendar/data/cn-${year}.json is added from that notice`,
  );
}

function isWeekend(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

/** Reads and checks every cn-YYYY.json of a folder; a malformed file, or a folder without any, is an error. */
export function loadCalendar(dir: string = DEFAULT_CALENDAR_DIR): WorkingDayCalendar {
  const years = new Set<number>();
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const name of readdirSync(dir).sort()) {
    const fileYear = FILE_NAME.exec(name)?.[1];
    if (fileYear === undefined) continue;
    const parsed = calendarFileSchema.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
    if (!parsed.success) throw new Error(`calendar file ${name} is invalid: ${parsed.error.message}`);
    const { year, source } = parsed.data;
    const problem = (detail: string) => new Error(`calendar file ${name}: ${detail}`);
    if (year !== Number(fileYear)) throw problem(`its year is ${year}`);
    if (!source.title.includes(`${year}年`)) throw problem(`its notice "${source.title}" is not the one for ${year}`);
    if (source.published >= `${year}-01-01`) throw problem(`a notice for ${year} is published before ${year}, not on ${source.published}`);
    // A notice's dates fall in its year, or (a New Year's Day joined to the weekend before it) in the last days of the year before.
    const inRange = (date: string) => date >= `${year - 1}-12-01` && date <= `${year}-12-31`;
    for (const { dates } of parsed.data.holidays)
      for (const date of dates) {
        if (!inRange(date)) throw problem(`holiday ${date} is outside ${year}`);
        if (holidays.has(date)) throw problem(`holiday ${date} is listed twice`);
        holidays.add(date);
      }
    for (const { dates } of parsed.data.workdays)
      for (const date of dates) {
        if (!inRange(date)) throw problem(`adjusted working day ${date} is outside ${year}`);
        if (!isWeekend(date)) throw problem(`adjusted working day ${date} is not a Saturday or Sunday`);
        if (holidays.has(date) || workdays.has(date)) throw problem(`adjusted working day ${date} is listed twice, or also as a holiday`);
        workdays.add(date);
      }
    years.add(year);
  }
  if (years.size === 0) throw new Error(`no calendar files (cn-YYYY.json) in ${dir}`);

  const isWorkingDay = (date: string): boolean => {
    if (!isCalendarDate(date)) throw new RangeError(`${date} is not a calendar date YYYY-MM-DD`);
    if (!years.has(yearOf(date))) throw calendarYearUnknown(yearOf(date));
    if (workdays.has(date)) return true;
    return !holidays.has(date) && !isWeekend(date);
  };
  const addWorkingDays = (date: string, days: number): string => {
    if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`${days} is not a number of working days`);
    isWorkingDay(date); // refuses a malformed date, or one in a year without a notice
    let day = date;
    for (let counted = 0; counted < days;) {
      day = nextDate(day);
      if (isWorkingDay(day)) counted++;
    }
    return day;
  };
  const sortedYears = [...years].sort((a, b) => a - b);
  return {
    isWorkingDay,
    addWorkingDays,
    nextWorkingDay: (date) => addWorkingDays(date, 1),
    noticePeriod(decidedOn, workingDays) {
      if (!Number.isSafeInteger(workingDays) || workingDays < 1) throw new RangeError(`a notice lasts at least one working day, not ${workingDays}`);
      const startsOn = addWorkingDays(decidedOn, 1);
      return { startsOn, endsOn: addWorkingDays(startsOn, workingDays - 1) };
    },
    calendarYears: () => [...sortedYears],
  };
}

let calendar: WorkingDayCalendar | undefined;
const loaded = (): WorkingDayCalendar => (calendar ??= loadCalendar());

export const isWorkingDay = (date: string): boolean => loaded().isWorkingDay(date);
export const nextWorkingDay = (date: string): string => loaded().nextWorkingDay(date);
export const addWorkingDays = (date: string, days: number): string => loaded().addWorkingDays(date, days);
export const noticePeriod = (decidedOn: string, workingDays: number): NoticePeriod => loaded().noticePeriod(decidedOn, workingDays);
export const calendarYears = (): number[] => loaded().calendarYears();
