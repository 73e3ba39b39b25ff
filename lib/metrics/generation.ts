import { Prisma } from '../db/generated/client.ts';
import { inWeeks, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type MetricFamily, type ScopedSqlRow } from './family.ts';
import { isAiPullRequest, teamOfChange, weekOf } from './sql.ts';

/**
 * Commits landed (docs/metrics.md#commits-landed): commits on the default branch, in the week of
 * their committer date, excluding merge commits and bot-authored commits, for the team of the
 * author at that date: the commits behind lines added. `aiCommits` are those marked AI (`isAi`).
 */
export const commitsLanded: MetricFamily<{ commits: number; aiCommits: number }> = {
  empty: { commits: 0, aiCommits: 0 },
  async compute(w) {
    const rows = await w.db.$queryRaw<(ScopedSqlRow & { n: bigint; ai: bigint })[]>`
      SELECT ${SCOPE_COLUMNS}, count(*) AS n, count(*) FILTER (WHERE is_ai) AS ai FROM (
        SELECT ${weekOf(Prisma.sql`c."committedAt"`, w.timeZone)} AS week, c."isAi" AS is_ai,
               ${teamOfChange(w.orgId, Prisma.sql`c."authorId"`, Prisma.sql`c."committedAt"`, Prisma.sql`r."defaultTeamId"`)} AS team_id
        FROM "Commit" c
        JOIN "Repository" r ON r."orgId" = c."orgId" AND r.id = c."repositoryId"
        LEFT JOIN "Person" a ON a."orgId" = c."orgId" AND a.id = c."authorId"
        WHERE c."orgId" = ${w.orgId} AND c."onDefaultBranch" AND c."parentCount" <= 1
          AND NOT COALESCE(a."isBot", false)
      ) landed
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({ commits: Number(r.n), aiCommits: Number(r.ai) }));
  },
};

/**
 * AI PRs merged (docs/metrics.md#ai-prs-merged): the merged pull requests of prsMerged (same
 * week, team and bot rule) that are AI pull requests under the org's weak-evidence setting.
 * Their share of all merged PRs, aiPrShare, is derived from both figures (weekRatios).
 */
export const aiPrsMerged: MetricFamily<{ aiPrsMerged: number }> = {
  empty: { aiPrsMerged: 0 },
  async compute(w) {
    const rows = await w.db.$queryRaw<(ScopedSqlRow & { n: bigint })[]>`
      SELECT ${SCOPE_COLUMNS}, count(*) AS n FROM (
        SELECT ${weekOf(Prisma.sql`p."mergedAt"`, w.timeZone)} AS week,
               ${teamOfChange(w.orgId, Prisma.sql`p."authorId"`, Prisma.sql`p."mergedAt"`, Prisma.sql`r."defaultTeamId"`)} AS team_id
        FROM "PullRequest" p
        JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
        LEFT JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId"
        WHERE p."orgId" = ${w.orgId} AND p."mergedAt" IS NOT NULL AND NOT COALESCE(a."isBot", false)
          AND ${isAiPullRequest(Prisma.sql`p`, w.countWeakAiSignals)}
      ) merged
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({ aiPrsMerged: Number(r.n) }));
  },
};
