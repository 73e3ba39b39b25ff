import { describe, expect, test } from 'vitest';
import { parseIsoDate, weekStartOf, weekStartsBetween } from './weeks.ts';

describe('weekStartOf', () => {
  test.each([
    ['2026-11-23T00:00:00Z', 'UTC', '2026-11-23'], // a Monday is its own week start
    ['2026-11-29T23:59:59Z', 'UTC', '2026-11-23'], // Sunday night still belongs to that week
    ['2026-11-29T23:30:00Z', 'Europe/Paris', '2026-11-30'], // already Monday 00:30 in Paris
    ['2026-11-30T03:00:00Z', 'America/Los_Angeles', '2026-11-23'], // still Sunday evening in LA
    ['2027-01-01T12:00:00Z', 'UTC', '2026-12-28'], // ISO week spanning the new year
  ])('%s in %s is in the week of %s', (instant, tz, expected) => {
    expect(weekStartOf(new Date(instant), tz)).toBe(expected);
  });
});

describe('weekStartsBetween', () => {
  test('lists Mondays from the week of from to the week of to', () => {
    expect(weekStartsBetween(parseIsoDate('2026-11-04')!, parseIsoDate('2026-11-23')!)).toEqual([
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
    ]);
  });
});

describe('parseIsoDate', () => {
  test.each(['2026-02-30', '2026-13-01', '26-01-01', 'yesterday', ''])('rejects %j', (v) => {
    expect(parseIsoDate(v)).toBeNull();
  });
});
