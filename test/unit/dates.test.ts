import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shanghaiDate } from '../../src/shared/dates.js';

const byTimeZoneDatabase = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

describe('shanghaiDate', () => {
  it('is the Asia/Shanghai date at the edges of a day, a year and the daylight-saving years', () => {
    expect(shanghaiDate(new Date('2025-12-31T15:59:59.999Z'))).toBe('2025-12-31');
    expect(shanghaiDate(new Date('2025-12-31T16:00:00.000Z'))).toBe('2026-01-01');
    expect(shanghaiDate(new Date('2024-02-28T16:00:00Z'))).toBe('2024-02-29');
    // 1988 had daylight saving time in China (UTC+9 from April to September): the time-zone database answers.
    expect(shanghaiDate(new Date('1988-07-01T15:30:00Z'))).toBe('1988-07-02');
  });

  it('agrees with the time-zone database on any instant from 1970 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), (ms) => {
        const instant = new Date(ms);
        expect(shanghaiDate(instant)).toBe(byTimeZoneDatabase.format(instant));
      }),
      { numRuns: 5000 },
    );
  });
});
