import { Prisma } from '../db/generated/client.ts';
import { inRange, inWeeks, num, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type MetricFamily, type ScopedSqlRow } from './family.ts';
import { doraCtes } from './dora-sql.ts';
import { p50 } from './pr-cycle-time-phases.ts';
import { weekOf } from './sql.ts';

export type DoraRestoreFigures = {
  timeToRestoreP50Hours: number | null;
};

/**
 * Time to restore service (docs/metrics.md#time-to-restore-service): p50 of incident tickets'
 * creation → done, in the week they were done, for the team of the deployment they followed.
 */
export const doraRestore: MetricFamily<DoraRestoreFigures> = {
  empty: { timeToRestoreP50Hours: null },
  async compute(w) {
    const rows = await w.db.$queryRaw<(ScopedSqlRow & { p50: number | null })[]>`
      WITH ${doraCtes(w.orgId)},
      restored AS (
        SELECT ${weekOf(Prisma.sql`i.done_at`, w.timeZone)} AS week, i.team_id,
               extract(epoch FROM (i.done_at - i.created_at)) / 3600.0 AS hours
        FROM incidents i
        WHERE i.done_at >= i.created_at AND ${inRange(Prisma.sql`i.done_at`, rangeOf(w))}
      )
      SELECT ${SCOPE_COLUMNS}, ${p50(Prisma.sql`hours`)} AS p50
      FROM restored
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({ timeToRestoreP50Hours: num(r.p50) }));
  },
};
