import { describe, expect, it } from 'vitest';
import { resolveRange } from './range.ts';

const today = new Date('2026-11-27T00:00:00Z'); // a Friday

describe('resolveRange', () => {
  it('gives the last N ISO weeks ending with today, N weeks long', () => {
    for (const weeks of [4, 12, 26, 52]) {
      const r = resolveRange({ weeks, from: null, to: null }, today);
      expect(r.weekStarts).toHaveLength(weeks);
      expect(r.weekStarts.at(-1)).toBe('2026-11-23');
      expect(r.to).toBe('2026-11-27');
      expect(r.custom).toBe(false);
    }
    const r4 = resolveRange({ weeks: 4, from: null, to: null }, today);
    expect(r4).toMatchObject({ from: '2026-11-06', firstWeek: '2026-11-02', lastDay: '2026-11-29', description: 'Nov 2, 2026 – Nov 29, 2026' });
  });

  it('falls back to 26 weeks for a number of weeks it does not offer', () => {
    expect(resolveRange({ weeks: 7, from: null, to: null }, today).weekStarts).toHaveLength(26);
  });

  it('takes custom dates, covering every ISO week they touch', () => {
    const r = resolveRange({ weeks: 26, from: '2026-03-04', to: '2026-04-01' }, today);
    expect(r).toMatchObject({ from: '2026-03-04', to: '2026-04-01', custom: true, problem: null, firstWeek: '2026-03-02', lastDay: '2026-04-05' });
    expect(r.weekStarts).toEqual(['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30']);
  });

  it('refuses a custom range that is reversed, half given, not a date or too long, and says why', () => {
    expect(resolveRange({ weeks: 12, from: '2026-04-01', to: '2026-03-01' }, today)).toMatchObject({ custom: false, problem: 'The start date is after the end date.' });
    expect(resolveRange({ weeks: 12, from: '2026-04-01', to: null }, today).problem).toMatch(/both a start and an end/);
    expect(resolveRange({ weeks: 12, from: '2026-02-30', to: '2026-03-01' }, today).problem).toMatch(/both a start and an end/);
    const long = resolveRange({ weeks: 12, from: '2020-01-01', to: '2026-01-01' }, today);
    expect(long.problem).toMatch(/at most 104 weeks/);
    expect(long.weekStarts).toHaveLength(12);
  });
});
