import { Prisma } from '../db/generated/client.ts';
import { inRange, inWeeks, num, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type FamilyInput, type MetricFamily, type ScopedSqlRow, type TimeRange } from './family.ts';
import { doraCtes } from './dora-sql.ts';
import { weekOf } from './sql.ts';

export type DoraDeploymentFigures = {
  deployments: number;
  changeFailureRate: number | null;
};

/**
 * The production deployments the figures count, one row each (doraCtes' prod_deploys succeeded in
 * the range): `week` (of the success), `team_id` (the repository's default team), `failed` (an
 * incident followed it), then `columns` over d (prod_deploys) and whatever `joins` adds. Shared by
 * the family and its drill-down (drilldown-rows.ts).
 */
export function productionDeploymentRows(w: Pick<FamilyInput, 'orgId' | 'timeZone'> & TimeRange, columns: Prisma.Sql = Prisma.empty, joins: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    WITH ${doraCtes(w.orgId)}
    SELECT ${weekOf(Prisma.sql`d.at`, w.timeZone)} AS week, d.team_id,
           EXISTS (SELECT 1 FROM incidents i WHERE i.deployment_id = d.id) AS failed ${columns}
    FROM prod_deploys d
    ${joins}
    WHERE ${inRange(Prisma.sql`d.at`, w)}`;
}

/**
 * Deployment frequency and change failure rate (docs/metrics.md#deployments,
 * docs/metrics.md#change-failure-rate): production deployments in the week of their success, for
 * their repository's default team; the share of them that an incident followed (an incident
 * follows the latest production deployment before it, lib/metrics/dora-sql.ts).
 */
export const doraDeployments: MetricFamily<DoraDeploymentFigures> = {
  empty: { deployments: 0, changeFailureRate: null },
  async compute(w) {
    const rows = await w.db.$queryRaw<(ScopedSqlRow & { n: bigint; rate: number | null })[]>`
      SELECT ${SCOPE_COLUMNS}, count(*) AS n, avg(CASE WHEN failed THEN 1.0 ELSE 0.0 END)::float8 AS rate
      FROM (${productionDeploymentRows({ ...w, ...rangeOf(w) })}) weekly
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({ deployments: Number(r.n), changeFailureRate: num(r.rate) }));
  },
};
