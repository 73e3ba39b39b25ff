import type { WeekFigures } from './compute-weeks.ts';
import { sumWeeks, trailingPeriods } from './leverage.ts';
import { readWeekFigures } from './rollups.ts';
import { TRAILING_FIGURE } from './trailing-medians.ts';
import { addWeeks, formatIsoDate, parseIsoDate, weekStartsBetween } from './weeks.ts';

// Distortion warning (docs/metrics.md#distortion-warning): AI generation grew by the org's
// threshold over 4 weeks while delivery did not get better. Everything comes from the weekly
// figures (rollups, no row scans): generation sums and the pooled pass rate are exact sums of
// weeks; the 4-week medians are the trailing4… figures (trailing-medians.ts), recomputed over the
// items of each window (a mean of weekly medians would weigh a quiet week like a busy one).

type Org = Parameters<typeof readWeekFigures>[0] & { distortionThreshold: number };
type Pair = { before: number | null; after: number | null };
type MedianMetric = keyof typeof TRAILING_FIGURE;

export interface DistortionFlag {
  kind: 'distortion';
  /** Team slug; null for the whole org. */
  team: string | null;
  /** The last week of the trailing window. */
  weekStart: string;
  /** First week of the trailing 4 weeks and of the 4 before them. */
  windowStart: string;
  previousWindowStart: string;
  threshold: number;
  generationBasis: 'aiLinesAdded' | 'tokens';
  generationGrowth: number;
  aiLinesAdded: Pair;
  tokens: Pair;
  cycleTimeFigure: 'ticketToMerge' | 'prCycle' | null;
  cycleTimeP50Hours: Pair;
  /** after / before; null when either is unknown or before is 0. */
  cycleTimeChange: number | null;
  reviewTimeP50Hours: Pair;
  reviewTimeChange: number | null;
  /** Σ firstRunPassed / Σ firstRunHeads of each window; null when not computed or no CI ran. */
  firstRunPassRate: Pair;
  firstRunPassRateChange: number | null;
  message: string;
}

export interface DistortionScope {
  /** Team id, or ORG_SCOPE. */
  scope: string;
  slug: string | null;
}

const ratio = (p: Pair): number | null => (p.before === null || p.after === null || p.before === 0 ? null : p.after / p.before);
const fmt = (x: number) => (Math.round(x * 100) / 100).toString();

/**
 * First-run pass rate of the weeks: Σ firstRunPassed / Σ firstRunHeads (pooled, exact from the
 * weekly counts); null when the figures are not computed (an engine without first-run pass) or no
 * head commit had CI.
 */
function pooledPassRate(figures: Map<string, WeekFigures>, weeks: string[]): number | null {
  const sum = (key: string) => weeks.reduce((s, w) => s + Number((figures.get(w) as Record<string, unknown> | undefined)?.[key] ?? 0), 0);
  const heads = sum('firstRunHeads');
  return heads > 0 ? sum('firstRunPassed') / heads : null;
}

/** The flag for one scope and window end, or null when it does not trigger. */
export function distortionAt(input: {
  org: Org;
  slug: string | null;
  weekStart: string;
  figures: Map<string, WeekFigures>;
  /** The scope's p50 of a metric over the items of the after (current) or before window. */
  median: (metric: MedianMetric, current: boolean) => number | null;
}): DistortionFlag | null {
  const { before, after } = trailingPeriods(input.weekStart);
  const pair = (f: (weeks: string[]) => number | null): Pair => ({ before: f(before), after: f(after) });
  const aiLinesAdded = pair((w) => sumWeeks(input.figures, w, 'aiLinesAdded'));
  const tokens = pair((w) => sumWeeks(input.figures, w, 'tokens'));
  const generationBasis = aiLinesAdded.before ? 'aiLinesAdded' : 'tokens';
  const generationGrowth = ratio(generationBasis === 'aiLinesAdded' ? aiLinesAdded : tokens);
  if (generationGrowth === null || generationGrowth < input.org.distortionThreshold) return null;

  const medians = (metric: MedianMetric): Pair => ({ before: input.median(metric, false), after: input.median(metric, true) });
  const known = (p: Pair) => p.before !== null && p.after !== null;
  const tickets = medians('ticketToMergeHours');
  const prs = medians('prCycleHours');
  const [cycleTimeFigure, cycle] = known(tickets) ? (['ticketToMerge', tickets] as const) : known(prs) ? (['prCycle', prs] as const) : ([null, { before: null, after: null }] as const);
  const review = medians('reviewTimeHours');
  const firstRun = pair((w) => pooledPassRate(input.figures, w));
  // Times improve by going down, the pass rate by going up. Figures unknown in a window say nothing.
  const checks = [
    { p: cycle, improved: (p: Pair) => p.after! < p.before! },
    { p: review, improved: (p: Pair) => p.after! < p.before! },
    { p: firstRun, improved: (p: Pair) => p.after! > p.before! },
  ].filter((c) => known(c.p));
  if (checks.length === 0 || checks.some((c) => c.improved(c.p))) return null;

  const scopeName = input.slug ? `Team ${input.slug}` : 'The org';
  const parts = [
    cycleTimeFigure && `${cycleTimeFigure === 'ticketToMerge' ? 'ticket-to-merge' : 'PR cycle'} p50 ${fmt(cycle.before!)} → ${fmt(cycle.after!)} h`,
    known(review) && `review time p50 ${fmt(review.before!)} → ${fmt(review.after!)} h`,
    known(firstRun) && `first-run pass rate ${fmt(firstRun.before!)} → ${fmt(firstRun.after!)}`,
  ].filter(Boolean);
  return {
    kind: 'distortion',
    team: input.slug,
    weekStart: input.weekStart,
    windowStart: after[0]!,
    previousWindowStart: before[0]!,
    threshold: input.org.distortionThreshold,
    generationBasis,
    generationGrowth,
    aiLinesAdded,
    tokens,
    cycleTimeFigure,
    cycleTimeP50Hours: cycle,
    cycleTimeChange: ratio(cycle),
    reviewTimeP50Hours: review,
    reviewTimeChange: ratio(review),
    firstRunPassRate: firstRun,
    firstRunPassRateChange: ratio(firstRun),
    message: `${scopeName}: ${generationBasis === 'aiLinesAdded' ? 'AI-attributed lines' : 'AI tokens'} grew ${fmt(generationGrowth)}× over the 4 weeks to ${input.weekStart} while ${parts.join(', ')} did not improve.`,
  };
}

/** The weeks the flags of `weeks` read: 7 weeks before the first (the earliest before window) to the last. */
export function distortionSpan(weeks: string[]): string[] {
  return weeks.length ? weekStartsBetween(addWeeks(parseIsoDate(weeks[0]!)!, -7), parseIsoDate(weeks.at(-1)!)!) : [];
}

/**
 * Distortion flags of the scopes for every week of `weeks` whose trailing window triggers, by week
 * then scope. `read` holds figures a caller already read over distortionSpan(weeks), by scope.
 */
export async function distortionFlags({ org, scopes, weeks, read }: { org: Org; scopes: DistortionScope[]; weeks: string[]; read?: Map<string, Map<string, WeekFigures>> }): Promise<DistortionFlag[]> {
  if (weeks.length === 0 || scopes.length === 0) return [];
  const span = distortionSpan(weeks);
  const figures = await Promise.all(scopes.map((s) => read?.get(s.scope) ?? readWeekFigures(org, s.scope, span)));
  return weeks.flatMap((weekStart) => {
    // The after window ends at weekStart, the before window 4 weeks earlier.
    const before = formatIsoDate(addWeeks(parseIsoDate(weekStart)!, -4));
    return scopes.flatMap((s, i) => {
      const median = (metric: MedianMetric, current: boolean) => figures[i]!.get(current ? weekStart : before)?.[TRAILING_FIGURE[metric]] ?? null;
      const flag = distortionAt({ org, slug: s.slug, weekStart, figures: figures[i]!, median });
      return flag ? [flag] : [];
    });
  });
}
