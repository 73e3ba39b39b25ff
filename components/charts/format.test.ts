import { describe, expect, it } from 'vitest';
import { formatHours, formatShare, shortWeek } from './format.ts';

describe('chart formatting', () => {
  it('formats hours in minutes, hours or days by size', () => {
    expect(formatHours(0.5)).toBe('30 min');
    expect(formatHours(7.54)).toBe('7.5 h');
    expect(formatHours(72)).toBe('3 d');
    expect(formatHours(null)).toBe('–');
  });
  it('formats shares and week starts', () => {
    expect(formatShare(0.424)).toBe('42%');
    expect(formatShare(null)).toBe('–');
    expect(shortWeek('2026-03-02')).toBe('Mar 2');
  });
});
