import { describe, expect, it } from 'vitest';
import { groupFlags, KEY_METRICS, lastFullWeeksRange, weekOverWeek, type DistortionFlag } from './overview-data.ts';

const metric = (key: string) => KEY_METRICS.find((m) => m.key === key)!;

describe('org overview figures', () => {
  it('covers the 12 whole weeks ending with the last full week, in the org time zone', () => {
    // Friday 2026-11-27 12:00 UTC: the current week starts Mon 11-23, so the last full week is 11-16..11-22.
    expect(lastFullWeeksRange(new Date('2026-11-27T12:00:00Z'), 'UTC')).toEqual({ from: '2026-08-31', to: '2026-11-22' });
    // Monday 00:30 UTC is still Sunday in Los Angeles: the week of 11-16 is current there.
    expect(lastFullWeeksRange(new Date('2026-11-23T00:30:00Z'), 'America/Los_Angeles')).toEqual({ from: '2026-08-24', to: '2026-11-15' });
    expect(lastFullWeeksRange(new Date('2026-11-23T00:30:00Z'), 'UTC', 1)).toEqual({ from: '2026-11-16', to: '2026-11-22' });
  });

  it('reads week-over-week changes as better or worse by the direction that helps', () => {
    expect(weekOverWeek(metric('ticketToMergeP50Hours'), 40, 30)).toMatchObject({ direction: 'down', text: '−25%', verdict: 'better' });
    expect(weekOverWeek(metric('reviewTimeP50Hours'), 10, 12)).toMatchObject({ direction: 'up', text: '+20%', verdict: 'worse' });
    expect(weekOverWeek(metric('prsMergedPerEngineer'), 2, 2.5)).toMatchObject({ direction: 'up', verdict: 'better', description: 'up 25% from the week before, better' });
    expect(weekOverWeek(metric('firstRunPassRate'), 0.8, 0.75)).toMatchObject({ direction: 'down', text: '−5 pts', verdict: 'worse' });
    expect(weekOverWeek(metric('aiLinesAdded'), 100, 300)).toMatchObject({ direction: 'up', text: '+200%', verdict: '' });
    expect(weekOverWeek(metric('aiLinesAdded'), 0, 300)).toMatchObject({ direction: null, text: '–' });
    expect(weekOverWeek(metric('ticketToMergeP50Hours'), null, 30)).toMatchObject({ direction: null, text: '–' });
    expect(weekOverWeek(metric('reviewTimeP50Hours'), 10, 10.01)).toMatchObject({ direction: 'flat', text: '0%', verdict: '' });
  });

  it('groups flags by scope, the org first, each with its latest week and whether it still stands', () => {
    const flag = (team: string | null, weekStart: string) => ({ team, weekStart }) as DistortionFlag;
    const groups = groupFlags([flag('b', '2026-11-09'), flag(null, '2026-11-02'), flag('a', '2026-11-16'), flag('b', '2026-11-16'), flag('b', '2026-11-02')], '2026-11-16', ['a', 'b']);
    expect(groups.map((g) => [g.team, g.latest.weekStart, g.weeks.length, g.active])).toEqual([
      [null, '2026-11-02', 1, false],
      ['a', '2026-11-16', 1, true],
      ['b', '2026-11-16', 3, true],
    ]);
  });
});
