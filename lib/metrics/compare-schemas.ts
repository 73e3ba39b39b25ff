import { z } from 'zod';
import { ITEM_METRICS } from './compare-items.ts';

export const MAX_COMPARE_WEEKS = 26;
/** Fewer items than this on either side: no difference, no interval. */
export const MIN_COMPARE_SAMPLES = 5;

export const compareQuerySchema = z
  .object({
    annotation: z.string().min(1, 'must be an annotation id').max(64, 'must be an annotation id').describe('The annotation whose date splits before from after'),
    team: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a team slug').optional().describe("Team slug; default: the annotation's team, else the whole org"),
    weeks: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_COMPARE_WEEKS, `must be at most ${MAX_COMPARE_WEEKS}`).optional().describe('Weeks on each side (default 8)'),
  })
  .strict();

const side = z.object({
  n: z.number().int().describe('Items on this side'),
  median: z.number().nullable().describe('Median of their values; null when none'),
});

export const compareResultSchema = z.object({
  org: z.string(),
  team: z.string().nullable(),
  timeZone: z.string(),
  annotation: z.object({ id: z.string(), team: z.string().nullable(), date: z.string(), label: z.string() }),
  weeks: z.number().int(),
  before: z.object({ from: z.string(), to: z.string() }).describe('Local dates, inclusive: the N × 7 days before the annotation date'),
  after: z.object({ from: z.string(), to: z.string() }).describe('Local dates, inclusive: the annotation date and the N × 7 − 1 days after'),
  metrics: z.array(
    z.object({
      metric: z.enum(ITEM_METRICS),
      before: side,
      after: side,
      difference: z.number().nullable().describe(`median(after) − median(before); null with fewer than ${MIN_COMPARE_SAMPLES} items on a side`),
      ci95: z.object({ low: z.number(), high: z.number() }).nullable().describe('Percentile bootstrap 95% interval of the difference (2,000 seeded resamples)'),
    }),
  ),
});

export type CompareQuery = z.infer<typeof compareQuerySchema>;
export type CompareResult = z.infer<typeof compareResultSchema>;
