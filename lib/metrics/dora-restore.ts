import { Prisma } from '../db/generated/client.ts';
import { inRange, inWeeks, num, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type FamilyInput, type MetricFamily, type ScopedSqlRow, type TimeRange } from './family.ts';
import { doraCtes } from './dora-sql.ts';
import { p50 } from './pr-cycle-time-phases.ts';
import { weekOf } from './sql.ts';

export type DoraRestoreFigures = {
  timeToRestoreP50Hours: number | null;
};

/**
 * The incidents time to restore takes the median of, one row each (doraCtes' incidents done in the
 * range, not before their creation): `week` (of the done time), `team_id` (of the deployment
 * followed), `hours` (creation → done), then `columns` over i (incidents) and whatever `joins`
 * adds. Shared by the family and its drill-down (drilldown-rows.ts).
 */
export function restoredIncidentRows(w: Pick<FamilyInput, 'orgId' | 'timeZone'> & TimeRange, columns: Prisma.Sql = Prisma.empty, joins: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    WITH ${doraCtes(w.orgId)}
    SELECT ${weekOf(Prisma.sql`i.done_at`, w.timeZone)} AS week, i.team_id,
           extract(epoch FROM (i.done_at - i.created_at)) / 3600.0 AS hours ${columns}
    FROM incidents i
    ${joins}
    WHERE i.done_at >= i.created_at AND ${inRange(Prisma.sql`i.done_at`, w)}`;
}

/**
 * Time to restore service (docs/metrics.md#time-to-restore-service): p50 of incident tickets'
 * creation → done, in the week they were done, for the team of the deployment they followed.
 */
export const doraRestore: MetricFamily<DoraRestoreFigures> = {
  empty: { timeToRestoreP50Hours: null },
  async compute(w) {
    const rows = await w.db.$queryRaw<(ScopedSqlRow & { p50: number | null })[]>`
      SELECT ${SCOPE_COLUMNS}, ${p50(Prisma.sql`hours`)} AS p50
      FROM (${restoredIncidentRows({ ...w, ...rangeOf(w) })}) restored
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({ timeToRestoreP50Hours: num(r.p50) }));
  },
};
