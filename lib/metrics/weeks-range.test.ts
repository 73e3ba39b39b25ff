import { describe, expect, test } from 'vitest';
import { rangeOf, weeksRange } from './family.ts';
import { weekStartOf } from './weeks.ts';

// weeksRange is the prefilter every family applies before its exact local-week filter: an instant
// of one of the weeks, in any time zone, must be inside it, or the figure silently loses rows.

const HOUR = 3_600_000;
// The extremes of the world's offsets (UTC+14, UTC−12: "Etc/GMT+12" is UTC−12), half-hour and
// 45-minute offsets, and zones with daylight saving time on either hemisphere.
const ZONES = ['Pacific/Kiritimati', 'Etc/GMT+12', 'Asia/Kolkata', 'Asia/Kathmandu', 'Europe/Berlin', 'America/Los_Angeles', 'Australia/Sydney', 'UTC'];

describe('weeksRange', () => {
  test('first Monday − 1 day to last Monday + 8 days, at UTC midnight', () => {
    expect(weeksRange(['2026-03-16', '2026-03-02', '2026-03-09'])).toEqual({ from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-03-24T00:00:00Z') });
  });

  test('no weeks: an empty range', () => {
    const { from, to } = weeksRange([]);
    expect(to.getTime() - from.getTime()).toBe(0);
  });

  test.each(ZONES)('every instant of the weeks in %s is inside the range', (zone) => {
    // Weeks around a DST change in Europe (29 March 2026) and in Australia (5 April 2026).
    const weeks = ['2026-03-23', '2026-03-30', '2026-04-06'];
    const { from, to } = weeksRange(weeks);
    // Every quarter hour (Kathmandu is UTC+5:45) from 3 days before the range to 3 days after it.
    for (let t = from.getTime() - 72 * HOUR; t <= to.getTime() + 72 * HOUR; t += HOUR / 4) {
      const inWeeks = weeks.includes(weekStartOf(new Date(t), zone));
      if (inWeeks) expect(t >= from.getTime() && t < to.getTime(), new Date(t).toISOString()).toBe(true);
    }
    // The margins are used by the extremes: Kiritimati's first week starts Sunday 10:00 UTC,
    // UTC−12's last week ends Monday 12:00 UTC.
    if (zone === 'Pacific/Kiritimati') expect(weekStartOf(new Date('2026-03-22T10:00:00Z'), zone)).toBe('2026-03-23');
    if (zone === 'Etc/GMT+12') expect(weekStartOf(new Date('2026-04-13T11:59:59Z'), zone)).toBe('2026-04-06');
  });

  test('rangeOf: the input own from/to, else the range of its weeks', () => {
    const own = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-02-01T00:00:00Z') };
    expect(rangeOf({ weeks: ['2026-03-02'], ...own })).toEqual(own);
    expect(rangeOf({ weeks: ['2026-03-02'] })).toEqual(weeksRange(['2026-03-02']));
  });
});
