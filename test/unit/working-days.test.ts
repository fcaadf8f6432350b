// The working-day calendar of public notices (公示), on the State Council's notices (src/calendar/data): the
// service's (src/calendar/working-days.ts) and the verifier's own (src/verifier/working-days.ts), on worked dates
// read off the notices, and against each other on random ones.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  calendarFileSchema,
  calendarYears,
  DEFAULT_CALENDAR_DIR,
  isWorkingDay,
  loadCalendar,
  nextWorkingDay,
  noticePeriod,
} from '../../src/calendar/working-days.js';
import { DomainError } from '../../src/shared/errors.js';
import { DEFAULT_CALENDAR_DIR as VERIFIER_CALENDAR_DIR, noticePeriodOf } from '../../src/verifier/working-days.js';

/** Both implementations' answer for a notice: the period, or `refused` (a DomainError calendar_year_unknown / a string). */
function both(decidedOn: string, workingDays: number): { service: unknown; verifier: unknown } {
  let service: unknown;
  try {
    service = noticePeriod(decidedOn, workingDays);
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'calendar_year_unknown') throw err;
    service = 'refused';
  }
  const derived = noticePeriodOf(decidedOn, workingDays);
  return { service, verifier: typeof derived === 'string' ? 'refused' : derived };
}

/** Asserts both implementations give this period. */
function expectNotice(decidedOn: string, workingDays: number, startsOn: string, endsOn: string): void {
  expect(both(decidedOn, workingDays)).toEqual({ service: { startsOn, endsOn }, verifier: { startsOn, endsOn } });
}

describe('the data files', () => {
  it('cite their notice and hold what the notices say, day for day', () => {
    expect(VERIFIER_CALENDAR_DIR).toBe(DEFAULT_CALENDAR_DIR);
    expect(calendarYears()).toEqual([2024, 2025, 2026]);
    const counts: Record<number, [string, number, number]> = {
      2024: ['国办发明电〔2023〕7号', 28, 8],
      2025: ['国办发明电〔2024〕12号', 28, 5],
      2026: ['国办发明电〔2025〕7号', 33, 6],
    };
    for (const year of calendarYears()) {
      const file = calendarFileSchema.parse(JSON.parse(readFileSync(join(DEFAULT_CALENDAR_DIR, `cn-${year}.json`), 'utf8')));
      const [number, holidays, workdays] = counts[year]!;
      expect(file.source.number).toBe(number);
      expect(file.holidays.flatMap((h) => h.dates)).toHaveLength(holidays);
      expect(file.workdays.flatMap((w) => w.dates)).toHaveLength(workdays);
      for (const date of file.holidays.flatMap((h) => h.dates)) expect(isWorkingDay(date), date).toBe(false);
      for (const date of file.workdays.flatMap((w) => w.dates)) expect(isWorkingDay(date), date).toBe(true);
    }
  });

  it('refuses a file whose adjusted working day is not a weekend, or whose year is not its name', () => {
    const file = JSON.parse(readFileSync(join(DEFAULT_CALENDAR_DIR, 'cn-2026.json'), 'utf8')) as { year: number; workdays: { dates: string[] }[] };
    const dir = mkdtempSync(join(tmpdir(), 'calendar-'));
    writeFileSync(join(dir, 'cn-2026.json'), JSON.stringify({ ...file, workdays: [{ name: '劳动节调休', dates: ['2026-05-08'] }] }));
    expect(() => loadCalendar(dir)).toThrow(/2026-05-08 is not a Saturday or Sunday/);
    writeFileSync(join(dir, 'cn-2026.json'), JSON.stringify({ ...file, year: 2027 }));
    expect(() => loadCalendar(dir)).toThrow(/cn-2026.json/);
    expect(() => loadCalendar(mkdtempSync(join(tmpdir(), 'calendar-')))).toThrow(/no calendar files/);
  });
});

describe('working days', () => {
  it('are Monday to Friday less the holidays, plus the adjusted working days', () => {
    expect(isWorkingDay('2026-03-06')).toBe(true); // a Friday
    expect(isWorkingDay('2026-03-07')).toBe(false); // a Saturday
    expect(isWorkingDay('2026-05-01')).toBe(false); // Labour Day, a Friday
    expect(isWorkingDay('2026-05-09')).toBe(true); // a Saturday worked for Labour Day
    expect(nextWorkingDay('2026-03-06')).toBe('2026-03-09');
    expect(nextWorkingDay('2026-04-30')).toBe('2026-05-06');
    expect(addWorkingDays('2026-03-06', 0)).toBe('2026-03-06');
    expect(addWorkingDays('2026-03-06', 5)).toBe('2026-03-13');
  });

  it('a 5-working-day notice approved on Friday 2026-03-06 runs Monday 03-09 to Friday 03-13', () => {
    expectNotice('2026-03-06', 5, '2026-03-09', '2026-03-13');
  });

  it('across Labour Day 2026 skips the holiday and counts the Saturday worked for it', () => {
    // 国办发明电〔2025〕7号, 四: 5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
    // Approved Thursday 04-30: Fri 05-01 to Tue 05-05 are off, so the notice opens Wednesday 05-06 (1), then
    // Thu 05-07 (2), Fri 05-08 (3), Sat 05-09 worked (4), Sun 05-10 off, and ends Monday 05-11 (5).
    expectNotice('2026-04-30', 5, '2026-05-06', '2026-05-11');
    // Approved on the worked Saturday itself: Sun 05-10 is off, so it opens Monday 05-11.
    expectNotice('2026-05-09', 3, '2026-05-11', '2026-05-13');
  });

  it('across the 2026 Spring Festival', () => {
    // 二: 2月15日（周日）至23日（周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
    // Approved Friday 02-13: Saturday 02-14 is worked (1); 02-15 to 02-23 are off; Tue 02-24 (2) … Fri 02-27 (5).
    expectNotice('2026-02-13', 5, '2026-02-14', '2026-02-27');
    // Approved on 02-14: it opens Tuesday 02-24 (1); Fri 02-27 (4), Sat 02-28 worked (5), Mon 03-02 (6) … Fri 03-06 (10).
    expectNotice('2026-02-14', 10, '2026-02-24', '2026-03-06');
    expect(isWorkingDay('2026-02-16')).toBe(false); // a Monday of the holiday
  });

  it('across the 2025 National Day and Mid-Autumn holiday', () => {
    // 国办发明电〔2024〕12号, 六: 10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
    // Approved Friday 09-26: Saturday 09-27 is off, Sunday 09-28 worked (1), Mon 09-29 (2), Tue 09-30 (3);
    // 10-01 to 10-08 off; Thu 10-09 (4), Fri 10-10 (5).
    expectNotice('2025-09-26', 5, '2025-09-28', '2025-10-10');
    // Approved Thursday 10-09: Fri 10-10 (1), Saturday 10-11 worked (2), Sunday 10-12 off, Mon 10-13 (3).
    expectNotice('2025-10-09', 3, '2025-10-10', '2025-10-13');
    expect(isWorkingDay('2025-09-27')).toBe(false);
    expect(isWorkingDay('2025-10-08')).toBe(false); // a Wednesday of the holiday
  });

  it('from one year into the next when both are on file', () => {
    // 2026 元旦: 1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    expectNotice('2025-12-31', 3, '2026-01-04', '2026-01-06');
  });

  it('refuses a date in a year without a notice on file, never guessing it', () => {
    expect(() => isWorkingDay('2027-01-04')).toThrow(
      expect.objectContaining({ code: 'calendar_year_unknown', message: expect.stringContaining('no State Council holiday notice on file for 2027') }),
    );
    expect(() => noticePeriod('2023-12-29', 1)).toThrow(expect.objectContaining({ code: 'calendar_year_unknown' }));
    // 2026-12-31 is a Thursday, but whether 2027-01-01 is worked is the 2027 notice's to say.
    expect(() => nextWorkingDay('2026-12-31')).toThrow(expect.objectContaining({ code: 'calendar_year_unknown' }));
    expect(() => noticePeriod('2026-12-21', 10)).toThrow(/for 2027/);
    expect(noticePeriodOf('2027-01-04', 5)).toMatch(/no State Council holiday notice on file for 2027/);
    expect(noticePeriodOf('2026-12-21', 10)).toMatch(/for 2027/);
    expect(noticePeriodOf('2023-12-29', 1)).toMatch(/for 2023/);
    // …and a notice that ends inside the covered years still passes
    expectNotice('2026-12-21', 8, '2026-12-22', '2026-12-31');
  });

  it('refuses malformed input', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => noticePeriod('2026-03-06', 0)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-06', -1)).toThrow(RangeError);
    expect(noticePeriodOf('2026-02-30', 5)).toMatch(/not a date/);
    expect(noticePeriodOf('2026-03-06', 0)).toMatch(/at least one/);
    expect(noticePeriodOf('2026-03-06', 1.5)).toMatch(/at least one/);
  });
});

describe('the verifier’s calendar', () => {
  it('agrees with the service’s on any approval date in the covered years and any notice of 1 to 30 working days', () => {
    const first = Date.UTC(2024, 0, 1);
    const last = Date.UTC(2026, 11, 31);
    fc.assert(
      fc.property(fc.integer({ min: first, max: last }), fc.integer({ min: 1, max: 30 }), (ms, workingDays) => {
        const decidedOn = new Date(ms).toISOString().slice(0, 10);
        const { service, verifier } = both(decidedOn, workingDays);
        expect(verifier).toEqual(service);
      }),
      { numRuns: 3_000, seed: 20261206 },
    );
  });

  it('agrees on every day of the covered years', () => {
    for (let day = new Date('2024-01-01T00:00:00Z'); day.getUTCFullYear() <= 2026; day.setUTCDate(day.getUTCDate() + 1)) {
      const date = day.toISOString().slice(0, 10);
      const { service, verifier } = both(date, 1);
      expect(verifier, date).toEqual(service);
    }
  });
});
