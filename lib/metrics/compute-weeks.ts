import { weeksRange, type FamilyInput, type MetricFamily } from './family.ts';
import { ciFirstRun } from './ci-first-run.ts';
import { doraDeployments } from './dora-deployments.ts';
import { doraLeadTime } from './dora-lead-time.ts';
import { doraRestore } from './dora-restore.ts';
import { aiUsage } from './generation-ai-usage.ts';
import { commitsLanded } from './lines-added.ts';
import { prsMerged } from './prs-merged.ts';
import { prCycleTime } from './pr-cycle-time.ts';
import { reverts } from './reverts.ts';
import { reviewTime } from './review-time.ts';
import { rework } from './rework.ts';
import { ticketToMerge } from './ticket-to-merge.ts';
import { activeEngineers, ticketsDone } from './throughput.ts';
import { trailingMedians } from './trailing-medians.ts';
import { EMPTY_RATIOS, weekRatios, type RatioFigures } from './throughput-ratios.ts';

// Every metric family, in the order their figures appear in a week. A new metric is a family
// here (and its definition in docs/metrics.md); rollups, the API and the CLI pick it up.
const FAMILIES = [prsMerged, commitsLanded, ticketToMerge, prCycleTime, reviewTime, aiUsage, ticketsDone, activeEngineers, ciFirstRun, rework, reverts, doraDeployments, doraLeadTime, doraRestore, trailingMedians] as const;

type FiguresOf<T> = T extends MetricFamily<infer F> ? F : never;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
/** All figures of one week for one scope. */
export type WeekFigures = UnionToIntersection<FiguresOf<(typeof FAMILIES)[number]>> & RatioFigures;

/** The figures of a week with nothing in it. */
export const EMPTY_WEEK = Object.assign({}, ...FAMILIES.map((f) => f.empty), EMPTY_RATIOS) as WeekFigures;

/** The scope key of rollups: "org", or a team's id. */
export const ORG_SCOPE = 'org';

/**
 * Computes the weeks' figures for the whole org and every team, from the derived tables: the one
 * implementation of every number, used to build rollups and to answer for weeks not rolled up.
 * Returns scope → week → figures, holding only scopes and weeks with something in them.
 */
export async function computeWeeks(input: FamilyInput): Promise<Map<string, Map<string, WeekFigures>>> {
  const byScope = new Map<string, Map<string, WeekFigures>>();
  if (input.weeks.length === 0) return byScope;
  // The instants the weeks can hold, once for every family's prefilter (family.ts weeksRange).
  const ranged = { ...input, ...weeksRange(input.weeks) };
  const results = await Promise.all(FAMILIES.map((f) => (f as MetricFamily).compute(ranged)));
  for (const rows of results) {
    for (const { teamId, week, figures } of rows) {
      const scope = teamId ?? ORG_SCOPE;
      const weeks = byScope.get(scope) ?? new Map<string, WeekFigures>();
      byScope.set(scope, weeks);
      weeks.set(week, { ...(weeks.get(week) ?? EMPTY_WEEK), ...figures });
    }
  }
  // Ratios of figures from different families, once a week's figures are all in (throughput-ratios.ts).
  for (const weeks of byScope.values()) for (const [week, f] of weeks) weeks.set(week, { ...f, ...weekRatios(f) });
  return byScope;
}
