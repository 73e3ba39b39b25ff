// Percentile bootstrap of a difference in medians (docs/metrics.md#before-and-after-an-annotation),
// with a seeded generator so the same samples always give the same interval.

/** mulberry32: a small 32-bit PRNG; returns floats in [0, 1). Deterministic for a given seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The value at rank q × (n − 1) of ascending `sorted`, interpolated (as PostgreSQL percentile_cont); null when empty. */
export function quantileSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (rank - lo) * (sorted[hi]! - sorted[lo]!);
}

export function median(values: readonly number[]): number | null {
  return quantileSorted([...values].sort((a, b) => a - b), 0.5);
}

export const BOOTSTRAP_RESAMPLES = 2000;
export const BOOTSTRAP_SEED = 0x7457_4c4e; // fixed: answers are reproducible

function resampledMedian(values: readonly number[], random: () => number, scratch: number[]): number {
  for (let i = 0; i < values.length; i++) scratch[i] = values[Math.floor(random() * values.length)]!;
  scratch.sort((a, b) => a - b);
  return quantileSorted(scratch, 0.5)!;
}

/**
 * 95% percentile-bootstrap interval of median(after) − median(before): `resamples` times, draw
 * each sample with replacement at its own size and take the difference of the medians; the
 * interval is the 2.5th and 97.5th percentiles of those differences. Null when a sample is empty.
 */
export function bootstrapMedianDifference(
  before: readonly number[],
  after: readonly number[],
  { resamples = BOOTSTRAP_RESAMPLES, seed = BOOTSTRAP_SEED }: { resamples?: number; seed?: number } = {},
): { low: number; high: number } | null {
  if (before.length === 0 || after.length === 0) return null;
  const random = mulberry32(seed);
  const scratchBefore = new Array<number>(before.length);
  const scratchAfter = new Array<number>(after.length);
  const differences: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const b = resampledMedian(before, random, scratchBefore);
    differences.push(resampledMedian(after, random, scratchAfter) - b);
  }
  differences.sort((a, b) => a - b);
  return { low: quantileSorted(differences, 0.025)!, high: quantileSorted(differences, 0.975)! };
}
