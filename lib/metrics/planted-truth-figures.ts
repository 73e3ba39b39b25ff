// Test and benchmark support: the true weekly figures of a planted org, worked out in plain
// TypeScript from the rows the generator made (planted-truth.ts), independently of the engine:
// no SQL, no lib/metrics import. Definitions: docs/metrics.md.

/** The figures the generator plants, per scope and week. */
export interface PlantedFigures {
  prsMerged: number;
  aiPrsMerged: number;
  prsMergedWithoutReview: number;
  commits: number;
  aiCommits: number;
  linesAdded: number;
  aiLinesAdded: number;
  ticketsMerged: number;
  ticketToMergeP50Hours: number | null;
  ticketToMergeP85Hours: number | null;
  prCycleP50Hours: number | null;
  prCycleP85Hours: number | null;
  timeToFirstReviewP50Hours: number | null;
  reviewTimeP50Hours: number | null;
  ticketsDone: number;
  activeEngineers: number;
  tokens: number;
  activeAiUsers: number;
  firstRunHeads: number;
  firstRunHeadsAi: number;
  firstRunPassed: number;
  firstRunPassedAi: number;
  firstRunPassRate: number | null;
  firstRunPassRateAi: number | null;
  firstRunPassRateHuman: number | null;
}

/** The scope of org-wide figures (the engine's ORG_SCOPE; spelled here to stay independent). */
export const ORG = 'org';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 900_000;

/** `percentile_cont(p)`: the value at rank p × (n − 1) of the sorted values, interpolated as PostgreSQL's float8_lerp does. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  if (lo === hi) return sorted[lo]!;
  return sorted[lo]! + (rank - lo) * (sorted[hi]! - sorted[lo]!);
}

const share = (part: number, whole: number) => (whole === 0 ? null : part / whole);

export const hoursBetween = (start: Date, end: Date) => (end.getTime() - start.getTime()) / HOUR_MS;

/** Monday (YYYY-MM-DD) of the ISO week holding calendar date y-m-d. */
function mondayOfDate(utcMidnight: number): string {
  const dow = (new Date(utcMidnight).getUTCDay() + 6) % 7; // Monday 0
  return new Date(utcMidnight - dow * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Week (its Monday) of instants in a time zone, through Intl. Every zone's offset is a multiple of
 * 15 minutes, so the answer is cached per quarter hour: millions of lookups stay cheap.
 */
export function weekOfInstant(timeZone: string): (instant: Date) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const cache = new Map<number, string>();
  return (instant) => {
    const key = Math.floor(instant.getTime() / QUARTER_HOUR_MS);
    let week = cache.get(key);
    if (week === undefined) {
      const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
      week = mondayOfDate(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)));
      cache.set(key, week);
    }
    return week;
  };
}

/** Week of a calendar date (AI usage days: no time, so no time zone). */
export const weekOfDay = (day: Date) => mondayOfDate(day.getTime());

interface Bucket {
  counts: Record<'prsMerged' | 'aiPrsMerged' | 'prsMergedWithoutReview' | 'commits' | 'aiCommits' | 'linesAdded' | 'aiLinesAdded' | 'ticketsDone' | 'tokens' | 'firstRunHeads' | 'firstRunHeadsAi' | 'firstRunPassed' | 'firstRunPassedAi', number>;
  ticketHours: number[];
  prCycleHours: number[];
  toFirstReviewHours: number[];
  reviewHours: number[];
  engineers: Set<string>;
  aiUsers: Set<string>;
}
type Count = keyof Bucket['counts'];
type Sample = 'ticketHours' | 'prCycleHours' | 'toFirstReviewHours' | 'reviewHours';
type People = 'engineers' | 'aiUsers';

const newBucket = (): Bucket => ({
  counts: {
    prsMerged: 0, aiPrsMerged: 0, prsMergedWithoutReview: 0, commits: 0, aiCommits: 0, linesAdded: 0, aiLinesAdded: 0, ticketsDone: 0, tokens: 0,
    firstRunHeads: 0, firstRunHeadsAi: 0, firstRunPassed: 0, firstRunPassedAi: 0,
  },
  ticketHours: [], prCycleHours: [], toFirstReviewHours: [], reviewHours: [], engineers: new Set(), aiUsers: new Set(),
});

/** Collects what counts where while the generator plants rows; `figures()` gives the truth. */
export class TruthTally {
  private readonly buckets = new Map<string, Map<string, Bucket>>();

  /** The team's bucket (if a team) and the org's, for a week. */
  private bucketsOf(team: string | null, week: string): Bucket[] {
    const scopes = team === null ? [ORG] : [team, ORG];
    return scopes.map((scope) => {
      const weeks = this.buckets.get(scope) ?? new Map<string, Bucket>();
      this.buckets.set(scope, weeks);
      const bucket = weeks.get(week) ?? newBucket();
      weeks.set(week, bucket);
      return bucket;
    });
  }

  add(team: string | null, week: string, figure: Count, amount = 1): void {
    for (const b of this.bucketsOf(team, week)) b.counts[figure] += amount;
  }

  sample(team: string | null, week: string, figure: Sample, hours: number): void {
    for (const b of this.bucketsOf(team, week)) b[figure].push(hours);
  }

  person(team: string | null, week: string, figure: People, personId: string): void {
    for (const b of this.bucketsOf(team, week)) b[figure].add(personId);
  }

  /** scope (team id, or ORG) → week → figures; only scopes and weeks with something planted. */
  figures(): Map<string, Map<string, PlantedFigures>> {
    return new Map(
      [...this.buckets].map(([scope, weeks]) => [
        scope,
        new Map(
          [...weeks].map(([week, b]) => [
            week,
            {
              ...b.counts,
              ticketsMerged: b.ticketHours.length,
              ticketToMergeP50Hours: percentile(b.ticketHours, 0.5),
              ticketToMergeP85Hours: percentile(b.ticketHours, 0.85),
              prCycleP50Hours: percentile(b.prCycleHours, 0.5),
              prCycleP85Hours: percentile(b.prCycleHours, 0.85),
              timeToFirstReviewP50Hours: percentile(b.toFirstReviewHours, 0.5),
              reviewTimeP50Hours: percentile(b.reviewHours, 0.5),
              activeEngineers: b.engineers.size,
              activeAiUsers: b.aiUsers.size,
              firstRunPassRate: share(b.counts.firstRunPassed, b.counts.firstRunHeads),
              firstRunPassRateAi: share(b.counts.firstRunPassedAi, b.counts.firstRunHeadsAi),
              firstRunPassRateHuman: share(b.counts.firstRunPassed - b.counts.firstRunPassedAi, b.counts.firstRunHeads - b.counts.firstRunHeadsAi),
            },
          ]),
        ),
      ]),
    );
  }
}

/** The figures of a week with nothing planted. */
export const NOTHING_PLANTED: PlantedFigures = {
  prsMerged: 0, aiPrsMerged: 0, prsMergedWithoutReview: 0, commits: 0, aiCommits: 0, linesAdded: 0, aiLinesAdded: 0, ticketsMerged: 0,
  ticketToMergeP50Hours: null, ticketToMergeP85Hours: null, prCycleP50Hours: null, prCycleP85Hours: null, timeToFirstReviewP50Hours: null,
  reviewTimeP50Hours: null, ticketsDone: 0, activeEngineers: 0, tokens: 0, activeAiUsers: 0,
  firstRunHeads: 0, firstRunHeadsAi: 0, firstRunPassed: 0, firstRunPassedAi: 0, firstRunPassRate: null, firstRunPassRateAi: null, firstRunPassRateHuman: null,
};
