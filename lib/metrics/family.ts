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
