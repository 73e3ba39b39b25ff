import { describe, expect, test } from 'vitest';
import { percentile, TruthTally, weekOfInstant } from './planted-truth-figures.ts';

describe('planted truth arithmetic', () => {
  test('percentile interpolates as percentile_cont (docs/metrics.md examples)', () => {
    // PR cycle time example: p50 (10 + 10) / 2; p85 at rank 5.95: 27 + 0.95 × (94 − 27) = 90.65
    const prs = [120, 5, 94, 6, 10, 27, 10, 5];
    expect(percentile(prs, 0.5)).toBe(10);
    expect(percentile(prs, 0.85)).toBeCloseTo(90.65, 10);
    // Ticket-to-merge example: (6 + 24) / 2 = 15; rank 2.55: 24 + 0.55 × 144 = 103.2
    expect(percentile([4, 6, 24, 168], 0.5)).toBe(15);
    expect(percentile([4, 6, 24, 168], 0.85)).toBeCloseTo(103.2, 10);
    expect(percentile([], 0.5)).toBeNull();
  });

  test('weeks are ISO weeks of the local date', () => {
    const tokyo = weekOfInstant('Asia/Tokyo');
    // Sunday 23:30 UTC is Monday in Tokyo: the next week.
    expect(tokyo(new Date('2026-03-08T23:30:00Z'))).toBe('2026-03-09');
    expect(weekOfInstant('UTC')(new Date('2026-03-08T23:30:00Z'))).toBe('2026-03-02');
    // Monday 03:00 UTC is still Sunday in New York.
    expect(weekOfInstant('America/New_York')(new Date('2026-03-09T03:00:00Z'))).toBe('2026-03-02');
  });

  test('a team figure also counts org-wide; people count once per scope', () => {
    const t = new TruthTally();
    t.add('a', 'w', 'prsMerged');
    t.add(null, 'w', 'prsMerged');
    t.person('a', 'w', 'engineers', 'ann');
    t.person('b', 'w', 'engineers', 'ann');
    const f = t.figures();
    expect(f.get('a')!.get('w')).toMatchObject({ prsMerged: 1, activeEngineers: 1, prCycleP50Hours: null });
    expect(f.get('org')!.get('w')).toMatchObject({ prsMerged: 2, activeEngineers: 1 });
  });
});
