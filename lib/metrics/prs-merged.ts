import { Prisma } from '../db/generated/client.ts';
import { inRange, inWeeks, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type FamilyInput, type MetricFamily, type ScopedSqlRow, type TimeRange } from './family.ts';
import { isAiPullRequest, teamOfChange, weekOf } from './sql.ts';

/**
 * The merged pull requests PRs merged counts, one row each: `week`, `is_ai`, `team_id`, then
 * `columns` (over aliases p: the PR, r: its repository, a: its author, and whatever `joins` adds);
 * only PRs merged in `w`'s from/to when it has them (family.ts inRange).
 * Shared by the family and its drill-down (drilldown-rows.ts), so both see the same rows.
 */
export function mergedPrRows(w: Pick<FamilyInput, 'orgId' | 'timeZone' | 'countWeakAiSignals'> & Partial<TimeRange>, columns: Prisma.Sql = Prisma.empty, joins: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    SELECT ${weekOf(Prisma.sql`p."mergedAt"`, w.timeZone)} AS week,
           ${isAiPullRequest(Prisma.sql`p`, w.countWeakAiSignals)} AS is_ai,
           ${teamOfChange(w.orgId, Prisma.sql`p."authorId"`, Prisma.sql`p."mergedAt"`, Prisma.sql`r."defaultTeamId"`)} AS team_id
           ${columns}
    FROM "PullRequest" p
    JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
    LEFT JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId"
    ${joins}
    WHERE p."orgId" = ${w.orgId} AND p."mergedAt" IS NOT NULL AND ${inRange(Prisma.sql`p."mergedAt"`, w)} AND NOT COALESCE(a."isBot", false)`;
}

/**
 * PRs merged (docs/metrics.md#prs-merged): pull requests with a merge time in the week,
 * excluding those authored by bots, counted for the team of the change at merge time; and of
 * them the AI pull requests (docs/metrics.md#ai-prs-merged-and-ai-pr-share) under the org's
 * weak-evidence setting. Their share, aiPrShare, is derived from both (throughput-ratios.ts).
 */
export const prsMerged: MetricFamily<{ prsMerged: number; aiPrsMerged: number }> = {
  empty: { prsMerged: 0, aiPrsMerged: 0 },
  async compute(w) {
    const rows = await w.db.$queryRaw<(ScopedSqlRow & { n: bigint; ai: bigint })[]>`
      SELECT ${SCOPE_COLUMNS}, count(*) AS n, count(*) FILTER (WHERE is_ai) AS ai FROM (${mergedPrRows({ ...w, ...rangeOf(w) })}) merged
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({ prsMerged: Number(r.n), aiPrsMerged: Number(r.ai) }));
  },
};
