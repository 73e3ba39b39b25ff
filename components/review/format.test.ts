import { describe, expect, test } from 'vitest';
import { deltaOf } from '@/lib/review/figures.ts';
import { formatChange, formatValue, weekRange } from './format.ts';

describe('review formatting', () => {
  test('deltas say which way a figure moved and whether that is good for it', () => {
    expect(deltaOf({ better: 'down' }, 20, 30)).toEqual({ direction: 'down', verdict: 'better', change: -10, relative: -1 / 3 });
    expect(deltaOf({ better: 'up' }, 20, 30)).toMatchObject({ direction: 'down', verdict: 'worse' });
    expect(deltaOf({ better: null }, 40, 30)).toMatchObject({ direction: 'up', verdict: 'neutral' });
    expect(deltaOf({ better: 'up' }, 0.3, 0.1 + 0.2)).toMatchObject({ direction: 'same', verdict: 'neutral', change: 0 });
    expect(deltaOf({ better: 'up' }, 5, null)).toEqual({ direction: 'none', verdict: 'neutral', change: null, relative: null });
    expect(deltaOf({ better: 'up' }, 5, 0)).toMatchObject({ direction: 'up', change: 5, relative: null });
  });

  test('changes are written in the figure unit', () => {
    expect(formatChange('count', deltaOf({ better: 'up' }, 15, 12))).toBe('+3 (+25%)');
    expect(formatChange('hours', deltaOf({ better: 'down' }, 30, 40))).toBe('\u221210 h (\u221225%)');
    expect(formatChange('share', deltaOf({ better: 'up' }, 0.55, 0.5))).toBe('+5 pp');
    expect(formatChange('share', deltaOf({ better: 'up' }, 0.5, 0.504))).toBe('\u22120.4 pp');
    expect(formatChange('share', deltaOf({ better: 'up' }, 0.75, 0.5))).toBe('+25 pp');
    expect(formatChange('count', deltaOf({ better: 'up' }, 3, 3))).toBe('no change');
    expect(formatChange('hours', deltaOf({ better: 'down' }, 21.4, 21.43))).toBe('\u22122 min');
    expect(formatChange('hours', deltaOf({ better: 'up' }, null, 3))).toBe('no comparison');
    expect(formatValue('share', 0.424)).toBe('42%');
    expect(formatValue('hours', null)).toBe('–');
  });

  test('week ranges', () => {
    expect(weekRange('2026-03-09')).toBe('Mar 9 – 15, 2026');
    expect(weekRange('2026-03-30')).toBe('Mar 30 – Apr 5, 2026');
    expect(weekRange('2025-12-29')).toBe('Dec 29 – Jan 4, 2026');
  });
});
