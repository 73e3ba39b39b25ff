import { describe, expect, test } from 'vitest';
import { bootstrapMedianDifference, median, mulberry32, quantileSorted } from './bootstrap.ts';

// Samples from a known distribution, drawn with a generator independent of the one under test
// (a 31-bit LCG and Box–Muller), so the test does not lean on mulberry32 to check itself.
function normalSample(n: number, mean: number, sd: number, seed: number): number[] {
  let state = seed;
  const uniform = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state + 0.5) / 2147483648;
  };
  return Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()));
}

describe('median and quantiles', () => {
  test('interpolate between the middle values like percentile_cont', () => {
    expect(median([4, 168, 6, 24])).toBe(15);
    expect(median([3])).toBe(3);
    expect(median([])).toBeNull();
    // rank 0.85 × 3 = 2.55: 24 + 0.55 × (168 − 24) = 103.2
    expect(quantileSorted([4, 6, 24, 168], 0.85)).toBeCloseTo(103.2, 10);
  });
});

describe('mulberry32', () => {
  test('the same seed gives the same stream, another seed another, all in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    // Roughly uniform: the mean of 1000 draws is within 0.05 of 0.5 (sd of the mean ≈ 0.009).
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.05);
  });
});

describe('bootstrapMedianDifference', () => {
  test('a sample shifted by 10 gives an interval holding 10 and not 0', () => {
    const before = normalSample(40, 20, 3, 1);
    const after = normalSample(40, 30, 3, 2);
    const ci = bootstrapMedianDifference(before, after)!;
    expect(ci.low).toBeLessThan(10);
    expect(ci.high).toBeGreaterThan(10);
    expect(ci.low).toBeGreaterThan(0);
    // The interval brackets the observed difference of the medians.
    const observed = median(after)! - median(before)!;
    expect(ci.low).toBeLessThanOrEqual(observed);
    expect(ci.high).toBeGreaterThanOrEqual(observed);
  });

  test('two draws of the same distribution give an interval holding 0', () => {
    const ci = bootstrapMedianDifference(normalSample(30, 50, 10, 3), normalSample(30, 50, 10, 4))!;
    expect(ci.low).toBeLessThanOrEqual(0);
    expect(ci.high).toBeGreaterThanOrEqual(0);
  });

  test('identical samples give an interval holding 0', () => {
    const sample = normalSample(25, 8, 2, 5);
    const ci = bootstrapMedianDifference(sample, [...sample])!;
    expect(ci.low).toBeLessThanOrEqual(0);
    expect(ci.high).toBeGreaterThanOrEqual(0);
    expect(ci.low).toBeLessThan(ci.high);
  });

  test('constant samples give the exact difference', () => {
    expect(bootstrapMedianDifference([5, 5, 5, 5, 5], [7, 7, 7, 7, 7])).toEqual({ low: 2, high: 2 });
  });

  test('the seed makes the answer reproducible; another seed moves it', () => {
    const before = normalSample(20, 10, 4, 6);
    const after = normalSample(20, 12, 4, 7);
    const first = bootstrapMedianDifference(before, after);
    expect(bootstrapMedianDifference(before, after)).toEqual(first);
    expect(bootstrapMedianDifference(before, after, { seed: 1 })).not.toEqual(first);
  });

  test('an empty sample has no interval', () => {
    expect(bootstrapMedianDifference([], [1, 2, 3])).toBeNull();
    expect(bootstrapMedianDifference([1, 2, 3], [])).toBeNull();
  });
});
