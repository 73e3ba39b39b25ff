import { Prisma } from '../db/generated/client.ts';
import { inRange, inWeeks, num, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type FamilyInput, type MetricFamily, type ScopedSqlRow, type TimeRange } from './family.ts';
import { doraCtes } from './dora-sql.ts';
import { p50 } from './pr-cycle-time-phases.ts';
import { teamOfChange, weekOf } from './sql.ts';

export type DoraLeadTimeFigures = {
  leadTimeP50Hours: number | null;
};

/**
 * The deployed pull requests lead time takes the median of, one row each: `week` (of the
 * deployment), `team_id` (of the PR's change at merge), `hours` (first commit or opening →
 * deployment), then `columns` over p (the PR), r (its repository), a (its author), dep (the
 * deployment: id, at, sha). A PR deployed in the range was merged before its end; how long before
 * is unbounded (it waits for a deployment), so only the end bounds the PRs, and the range bounds
 * their deployment. Shared by the family and its drill-down (drilldown-rows.ts).
 */
export function deployedPrRows(w: Pick<FamilyInput, 'orgId' | 'timeZone'> & TimeRange, columns: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    WITH ${doraCtes(w.orgId)}
    SELECT ${weekOf(Prisma.sql`dep.at`, w.timeZone)} AS week,
           ${teamOfChange(w.orgId, Prisma.sql`p."authorId"`, Prisma.sql`p."mergedAt"`, Prisma.sql`r."defaultTeamId"`)} AS team_id,
           extract(epoch FROM (dep.at - LEAST(p."firstCommitAt", p."createdAt"))) / 3600.0 AS hours ${columns}
    FROM "PullRequest" p
    JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
    LEFT JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId"
    JOIN LATERAL (
      SELECT d.id, d.at, d.sha FROM prod_deploys d
      LEFT JOIN "Commit" c ON c."orgId" = ${w.orgId} AND c."repositoryId" = d.repository_id AND c.sha = d.sha
      WHERE d.repository_id = p."repositoryId" AND d.at >= p."mergedAt"
        AND (d.sha = p."mergeCommitSha" OR c.id IS NULL OR (c."onDefaultBranch" AND c."committedAt" >= p."mergedAt"))
      ORDER BY d.at, d.id
      LIMIT 1
    ) dep ON true
    WHERE p."orgId" = ${w.orgId} AND p."mergedAt" < ${w.to} AND ${inRange(Prisma.sql`dep.at`, w)} AND NOT COALESCE(a."isBot", false)`;
}

/**
 * Lead time for changes (docs/metrics.md#lead-time-for-changes): for each merged pull request,
 * from the earlier of its first commit and its opening (as PR cycle time) to the first production
 * deployment of its repository at or after its merge that includes it: one deploying its merge
 * commit, a default-branch commit committed at or after the merge, or a commit Throughline does
 * not know (a release from a branch: the branch as it was then). In the week of that deployment,
 * for the team of the pull request's change; bot-authored pull requests are excluded.
 */
export const doraLeadTime: MetricFamily<DoraLeadTimeFigures> = {
  empty: { leadTimeP50Hours: null },
  async compute(w) {
    const rows = await w.db.$queryRaw<(ScopedSqlRow & { p50: number | null })[]>`
      SELECT ${SCOPE_COLUMNS}, ${p50(Prisma.sql`hours`)} AS p50
      FROM (${deployedPrRows({ ...w, ...rangeOf(w) })}) deployed
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({ leadTimeP50Hours: num(r.p50) }));
  },
};
