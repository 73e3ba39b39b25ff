import { Prisma } from '../db/generated/client.ts';
import { itemValues, type ItemMetric } from './compare-items.ts';
import { num, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, weeksRange, type MetricFamily, type ScopedSqlRow } from './family.ts';
import { weekOf } from './sql.ts';

export type TrailingMedianFigures = {
  trailing4TicketToMergeP50Hours: number | null;
  trailing4PrCycleP50Hours: number | null;
  trailing4ReviewTimeP50Hours: number | null;
};

/** The figure holding each item metric's 4-week p50 (what the distortion warning compares). */
export const TRAILING_FIGURE = {
  ticketToMergeHours: 'trailing4TicketToMergeP50Hours',
  prCycleHours: 'trailing4PrCycleP50Hours',
  reviewTimeHours: 'trailing4ReviewTimeP50Hours',
} as const satisfies Partial<Record<ItemMetric, keyof TrailingMedianFigures>>;

const METRICS = Object.keys(TRAILING_FIGURE);
const DAY_MS = 86_400_000;

/**
 * 4-week trailing medians (docs/metrics.md#4-week-trailing-medians): for a week W, the p50 over
 * the items of the local weeks W−3..W together (not a mean of weekly p50s) of ticket-to-merge, PR
 * cycle and review time, with the items of the weekly figures (compare-items.ts). Stored in the
 * rollups so the distortion warning reads them instead of scanning rows; a change in week X moves
 * the figures of X..X+3 (rollups.ts refreshes and reads accordingly).
 */
export const trailingMedians: MetricFamily<TrailingMedianFigures> = {
  empty: { trailing4TicketToMergeP50Hours: null, trailing4PrCycleP50Hours: null, trailing4ReviewTimeP50Hours: null },
  async compute(w) {
    // The instants of the weeks and the 3 before them; each item then gets its exact local week.
    const range = weeksRange(w.weeks);
    const items = itemValues({ orgId: w.orgId, cycleTimeStart: w.cycleTimeStart, from: new Date(range.from.getTime() - 21 * DAY_MS), to: range.to });
    const p50 = (metric: keyof typeof TRAILING_FIGURE) => Prisma.sql`percentile_cont(0.5) WITHIN GROUP (ORDER BY value) FILTER (WHERE metric = ${metric})`;
    type Row = ScopedSqlRow & { ticket_p50: number | null; cycle_p50: number | null; review_p50: number | null };
    const rows = await w.db.$queryRaw<Row[]>`
      SELECT ${SCOPE_COLUMNS}, ${p50('ticketToMergeHours')} AS ticket_p50, ${p50('prCycleHours')} AS cycle_p50, ${p50('reviewTimeHours')} AS review_p50
      FROM (
        SELECT e.week, i.team_id, i.metric, i.value
        FROM (SELECT metric, team_id, value, ${weekOf(Prisma.sql`at`, w.timeZone)} AS item_week FROM ${items} x WHERE metric = ANY(${METRICS})) i
        JOIN unnest(${w.weeks}::date[]) AS e(week) ON i.item_week BETWEEN e.week - 21 AND e.week
      ) windows
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({
      trailing4TicketToMergeP50Hours: num(r.ticket_p50),
      trailing4PrCycleP50Hours: num(r.cycle_p50),
      trailing4ReviewTimeP50Hours: num(r.review_p50),
    }));
  },
};
