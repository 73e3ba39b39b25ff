import { Prisma } from '../db/generated/client.ts';

// A metric family computes some of a week's figures (docs/metrics.md) for every team and for the
// whole org at once, over a set of weeks, in one SQL statement: GROUPING SETS give the per-team
// rows and the org-wide row (whose percentiles are over all rows, not a mix of the teams').

/** What families query with: the client, or the transaction a rollup refresh runs in. */
export type Queryable = Pick<Prisma.TransactionClient, '$queryRaw'>;

export interface FamilyInput {
  /** Query with this, not db(): a refresh computes inside its transaction (one connection on the embedded database). */
  db: Queryable;
  orgId: string;
  timeZone: string;
  cycleTimeStart: 'created' | 'in_progress';
  /** Whether weak AI evidence counts (Organization.countWeakAiSignals). */
  countWeakAiSignals: boolean;
  /** Week starts ('YYYY-MM-DD') to compute. */
  weeks: string[];
  /**
   * The instants the weeks can hold in any time zone (weeksRange): families keep only anchor rows
   * in [from, to) before their per-row work, so a statement costs what the weeks hold, not the
   * org's history. computeWeeks sets them; a caller that leaves them out gets weeksRange(weeks).
   */
  from?: Date;
  to?: Date;
}

/** A half-open instant range [from, to). */
export interface TimeRange {
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;

/**
 * The instants that local weeks starting on `weeks` (Mondays) can hold, whatever the time zone:
 * from the first Monday − 1 day to the last Monday + 8 days, at UTC midnight. A local week starts
 * at Monday 00:00 local, which is at the earliest Sunday 10:00 UTC (UTC+14), and ends at the next
 * Monday 00:00 local, at the latest Monday 12:00 UTC (UTC−12); a day's margin on each side covers
 * both. Rows in the range still get their exact local week (inWeeks), which drops the margin.
 * No weeks: an empty range.
 */
export function weeksRange(weeks: readonly string[]): TimeRange {
  if (weeks.length === 0) return { from: new Date(0), to: new Date(0) };
  const days = weeks.map((week) => Date.parse(`${week}T00:00:00Z`));
  return { from: new Date(Math.min(...days) - DAY_MS), to: new Date(Math.max(...days) + 8 * DAY_MS) };
}

/** The input's range: its own from/to, else the one of its weeks. */
export function rangeOf(w: Pick<FamilyInput, 'weeks' | 'from' | 'to'>): TimeRange {
  return w.from && w.to ? { from: w.from, to: w.to } : weeksRange(w.weeks);
}

/**
 * `instant` in [from, to) (an indexable prefilter on the anchor rows), or true without a range
 * (drill-down callers that do not pass one).
 */
export function inRange(instant: Prisma.Sql, range: Partial<TimeRange> | undefined): Prisma.Sql {
  if (!range?.from || !range.to) return Prisma.sql`true`;
  return Prisma.sql`${instant} >= ${range.from} AND ${instant} < ${range.to}`;
}

/** Figures of one week for one scope: `teamId` null is the whole org. */
export interface ScopedFigures<F> {
  teamId: string | null;
  week: string;
  figures: F;
}

export interface MetricFamily<F extends object = object> {
  /** The figures of a week with nothing in it: counts 0, times and rates null. */
  empty: F;
  compute(input: FamilyInput): Promise<ScopedFigures<F>[]>;
}

/** What each family's statement selects besides its figures. */
export interface ScopedSqlRow {
  week: Date;
  team_id: string | null;
  org_wide: boolean;
}

/** Calendar `day` (a date column) within the range's UTC dates, or true without a range. */
export function dayInRange(day: Prisma.Sql, range: Partial<TimeRange> | undefined): Prisma.Sql {
  if (!range?.from || !range.to) return Prisma.sql`true`;
  const date = (d: Date) => d.toISOString().slice(0, 10);
  return Prisma.sql`${day} >= ${date(range.from)}::date AND ${day} < ${date(range.to)}::date`;
}

/** `GROUP BY` for per-team and org-wide rows of every week; select `SCOPE_COLUMNS` with it. */
export const SCOPED_GROUP_BY = Prisma.sql`GROUP BY GROUPING SETS ((week, team_id), (week))`;
export const SCOPE_COLUMNS = Prisma.sql`week, team_id, GROUPING(team_id) = 1 AS org_wide`;

/** `week` among the input's weeks. */
export function inWeeks(weeks: string[]): Prisma.Sql {
  return Prisma.sql`week = ANY(${weeks}::date[])`;
}

/**
 * The scoped figures of a family's rows. Changes of no team (no membership, no default team) only
 * count in the org-wide row, so their per-team row (team_id null, not org-wide) is dropped.
 */
export function toScoped<R extends ScopedSqlRow, F>(rows: R[], figures: (row: R) => F): ScopedFigures<F>[] {
  return rows
    .filter((r) => r.org_wide || r.team_id !== null)
    .map((r) => ({ teamId: r.org_wide ? null : r.team_id, week: r.week.toISOString().slice(0, 10), figures: figures(r) }));
}

/** A numeric SQL result (count, sum, percentile) as a JS number; null stays null. */
export function num(value: bigint | number | string | Prisma.Decimal | null): number | null {
  return value === null ? null : Number(value);
}
