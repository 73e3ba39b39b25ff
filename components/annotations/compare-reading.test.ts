import { describe, expect, it } from 'vitest';
import { formatInterval, formatValue, readingOf, type CompareMetric } from './compare-reading.ts';

const m = (metric: CompareMetric['metric'], difference: number | null, ci95: { low: number; high: number } | null): CompareMetric => ({
  metric, before: { n: 10, median: 20 }, after: { n: 3, median: 15 }, difference, ci95,
});

describe('before/after reading', () => {
  it('says improved or worse only when the 95% interval excludes 0', () => {
    expect(readingOf(m('prCycleHours', -5, { low: -9, high: -1 }), 5)).toEqual({ verdict: 'improved', text: 'Improved: faster' });
    expect(readingOf(m('reviewTimeHours', 4, { low: 0.5, high: 8 }), 5)).toEqual({ verdict: 'worse', text: 'Worse: slower' });
    expect(readingOf(m('prSizeLines', -20, { low: -40, high: 3 }), 5).verdict).toBe('noise');
    expect(readingOf(m('prSizeLines', 0, { low: 0, high: 3 }), 5).verdict).toBe('noise');
    expect(readingOf(m('prSizeLines', -30, { low: -50, high: -10 }), 5).text).toBe('Improved: smaller PRs');
    expect(readingOf(m('ticketToMergeHours', null, null), 5)).toEqual({ verdict: 'too-few', text: 'Too few to compare: needs 5 on each side (10 before, 3 after)' });
  });

  it('formats changes with their sign and unit', () => {
    expect(formatValue('prCycleHours', -5.04, true)).toBe('−5 h');
    expect(formatValue('prCycleHours', 72, true)).toBe('+3 d');
    expect(formatValue('prSizeLines', 1234)).toBe('1,234 lines');
    expect(formatValue('prSizeLines', null)).toBe('–');
    expect(formatInterval('reviewTimeHours', { low: -2.25, high: 0.5 })).toBe('−2.3 h to +30 min');
    expect(formatInterval('reviewTimeHours', null)).toBe('–');
  });
});
