import { db } from '../db/client.ts';
import { Prisma } from '../db/generated/client.ts';
import { itemValues } from './compare-items.ts';
import type { WeekFigures } from './compute-weeks.ts';
import { ORG_SCOPE } from './compute-weeks.ts';
import { sumWeeks, trailingPeriods } from './leverage.ts';
import { readWeekFigures } from './rollups.ts';
import { weekOf } from './sql.ts';
import { addWeeks, parseIsoDate, weekStartsBetween } from './weeks.ts';

// Distortion warning (docs/metrics.md#distortion-warning): AI generation grew by the org's
// threshold over 4 weeks while delivery did not get better. Generation sums come from the weekly
// figures (exact); the 4-week medians are recomputed over the items of each window in SQL (a mean
// of weekly medians would weigh a quiet week like a busy one).

type Org = Parameters<typeof readWeekFigures>[0] & { distortionThreshold: number };
type Pair = { before: number | null; after: number | null };

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

type MedianRow = { end_week: Date; current: boolean; team_id: string | null; org_wide: boolean; metric: string; p50: number | null };

const DAY_MS = 86_400_000;
const MEDIAN_METRICS = ['ticketToMergeHours', 'prCycleHours', 'reviewTimeHours'];
const ratio = (p: Pair): number | null => (p.before === null || p.after === null || p.before === 0 ? null : p.after / p.before);
const fmt = (x: number) => (Math.round(x * 100) / 100).toString();

/** p50 per (window end, window side, scope, metric) over the items of each 8-week window, one statement. */
async function windowMedians(org: Org, ends: string[]): Promise<MedianRow[]> {
  const first = addWeeks(parseIsoDate(ends[0]!)!, -7);
  const last = addWeeks(parseIsoDate(ends.at(-1)!)!, 1);
  const items = itemValues({ orgId: org.id, cycleTimeStart: org.cycleTimeStart, from: new Date(first.getTime() - DAY_MS), to: new Date(last.getTime() + DAY_MS) });
  return db().$queryRaw<MedianRow[]>`
    SELECT end_week, current, team_id, GROUPING(team_id) = 1 AS org_wide, metric,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS p50
    FROM (
      SELECT e.end_week, i.week > e.end_week - 28 AS current, i.team_id, i.metric, i.value
      FROM (SELECT metric, team_id, value, ${weekOf(Prisma.sql`at`, org.timeZone)} AS week FROM ${items} x WHERE metric = ANY(${MEDIAN_METRICS})) i
      JOIN unnest(${ends}::date[]) AS e(end_week) ON i.week BETWEEN e.end_week - 49 AND e.end_week
    ) w
    GROUP BY GROUPING SETS ((end_week, current, metric, team_id), (end_week, current, metric))`;
}

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
  median: (metric: string, current: boolean) => number | null;
}): DistortionFlag | null {
  const { before, after } = trailingPeriods(input.weekStart);
  const pair = (f: (weeks: string[]) => number | null): Pair => ({ before: f(before), after: f(after) });
  const aiLinesAdded = pair((w) => sumWeeks(input.figures, w, 'aiLinesAdded'));
  const tokens = pair((w) => sumWeeks(input.figures, w, 'tokens'));
  const generationBasis = aiLinesAdded.before ? 'aiLinesAdded' : 'tokens';
  const generationGrowth = ratio(generationBasis === 'aiLinesAdded' ? aiLinesAdded : tokens);
  if (generationGrowth === null || generationGrowth < input.org.distortionThreshold) return null;

  const medians = (metric: string): Pair => ({ before: input.median(metric, false), after: input.median(metric, true) });
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

/** Distortion flags of the scopes for every week of `weeks` whose trailing window triggers, by week then scope. */
export async function distortionFlags({ org, scopes, weeks }: { org: Org; scopes: DistortionScope[]; weeks: string[] }): Promise<DistortionFlag[]> {
  if (weeks.length === 0 || scopes.length === 0) return [];
  const span = weekStartsBetween(addWeeks(parseIsoDate(weeks[0]!)!, -7), parseIsoDate(weeks.at(-1)!)!);
  const [medianRows, figures] = await Promise.all([windowMedians(org, weeks), Promise.all(scopes.map((s) => readWeekFigures(org, s.scope, span)))]);
  const p50s = new Map(medianRows.filter((r) => r.org_wide || r.team_id).map((r) => [`${r.org_wide ? ORG_SCOPE : r.team_id}|${r.end_week.toISOString().slice(0, 10)}|${r.metric}|${r.current}`, r.p50 === null ? null : Number(r.p50)]));
  return weeks.flatMap((weekStart) =>
    scopes.flatMap((s, i) => {
      const flag = distortionAt({ org, slug: s.slug, weekStart, figures: figures[i]!, median: (metric, current) => p50s.get(`${s.scope}|${weekStart}|${metric}|${current}`) ?? null });
      return flag ? [flag] : [];
    }),
  );
}
