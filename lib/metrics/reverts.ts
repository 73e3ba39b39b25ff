import { Prisma } from '../db/generated/client.ts';
import { inWeeks, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type MetricFamily, type ScopedSqlRow } from './family.ts';
import { isAiPullRequest, teamOfChange, weekOf } from './sql.ts';

/** How long after its merge a revert still counts against a pull request. */
export const REVERT_WINDOW = Prisma.sql`interval '14 days'`;

/**
 * The full shas `git revert` names in its message ("This reverts commit <sha>."), as rows `m(sha)`
 * of `message`. The migration 20261127111000_rollups_dirty_reverts repeats this pattern to mark
 * the reverted PR's merge day: change both together.
 */
const revertedShas = (message: Prisma.Sql) =>
  Prisma.sql`LATERAL (SELECT g[1] AS sha FROM regexp_matches(${message}, 'This reverts commit ([0-9a-f]{40,64})', 'g') AS g) m`;

/**
 * Whether merged pull request `p` was reverted within REVERT_WINDOW of its merge: by a commit on
 * the default branch whose message reverts its merge commit or one of its commits, or by a merged
 * pull request titled `Revert "<its title>"` (GitHub's revert button) — the latest earlier merge
 * with that title being the one reverted.
 */
function wasReverted(orgId: string): Prisma.Sql {
  return Prisma.sql`(
    EXISTS (
      SELECT 1 FROM "Commit" rc CROSS JOIN ${revertedShas(Prisma.sql`rc.message`)}
      WHERE rc."orgId" = ${orgId} AND rc."repositoryId" = p."repositoryId" AND rc."onDefaultBranch"
        AND rc.message LIKE '%This reverts commit %'
        AND rc."committedAt" >= p."mergedAt" AND rc."committedAt" <= p."mergedAt" + ${REVERT_WINDOW}
        AND (m.sha = p."mergeCommitSha" OR EXISTS (
          SELECT 1 FROM "PullRequestCommit" pc JOIN "Commit" k ON k."orgId" = pc."orgId" AND k.id = pc."commitId"
          WHERE pc."orgId" = p."orgId" AND pc."pullRequestId" = p.id AND k.sha = m.sha)))
    OR EXISTS (
      SELECT 1 FROM "PullRequest" rp
      WHERE rp."orgId" = ${orgId} AND rp."repositoryId" = p."repositoryId" AND rp.title = 'Revert "' || p.title || '"'
        AND rp."mergedAt" > p."mergedAt" AND rp."mergedAt" <= p."mergedAt" + ${REVERT_WINDOW}
        AND NOT EXISTS (
          SELECT 1 FROM "PullRequest" later
          WHERE later."orgId" = p."orgId" AND later."repositoryId" = p."repositoryId" AND later.title = p.title
            AND later."mergedAt" > p."mergedAt" AND later."mergedAt" < rp."mergedAt")))`;
}

export type RevertFigures = {
  revertedPrs: number;
  revertedPrsAi: number;
  revertedPrsHuman: number;
  revertRate: number | null;
  revertRateAi: number | null;
  revertRateHuman: number | null;
};

const rate = (n: number, d: number) => (d === 0 ? null : n / d);

/**
 * Reverts within 14 days (docs/metrics.md#reverts-within-14-days): of the pull requests merged in
 * the week (bots' excluded; team of the change at merge), how many were reverted within 14 days
 * of their merge, and their share; split AI vs human. Counted in the reverted PR's merge week.
 */
export const reverts: MetricFamily<RevertFigures> = {
  empty: { revertedPrs: 0, revertedPrsAi: 0, revertedPrsHuman: 0, revertRate: null, revertRateAi: null, revertRateHuman: null },
  async compute(w) {
    const rows = await w.db.$queryRaw<(ScopedSqlRow & Record<'merged' | 'merged_ai' | 'reverted' | 'reverted_ai', bigint>)[]>`
      SELECT ${SCOPE_COLUMNS},
             count(*) AS merged, count(*) FILTER (WHERE is_ai) AS merged_ai,
             count(*) FILTER (WHERE reverted) AS reverted, count(*) FILTER (WHERE reverted AND is_ai) AS reverted_ai
      FROM (
        SELECT ${weekOf(Prisma.sql`p."mergedAt"`, w.timeZone)} AS week,
               ${teamOfChange(w.orgId, Prisma.sql`p."authorId"`, Prisma.sql`p."mergedAt"`, Prisma.sql`r."defaultTeamId"`)} AS team_id,
               ${isAiPullRequest(Prisma.sql`p`, w.countWeakAiSignals)} AS is_ai,
               ${wasReverted(w.orgId)} AS reverted
        FROM "PullRequest" p
        JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
        LEFT JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId"
        WHERE p."orgId" = ${w.orgId} AND p."mergedAt" IS NOT NULL AND NOT COALESCE(a."isBot", false)
      ) merged
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => {
      const [merged, mergedAi, reverted, revertedAi] = [r.merged, r.merged_ai, r.reverted, r.reverted_ai].map(Number) as [number, number, number, number];
      return {
        revertedPrs: reverted, revertedPrsAi: revertedAi, revertedPrsHuman: reverted - revertedAi,
        revertRate: rate(reverted, merged), revertRateAi: rate(revertedAi, mergedAi), revertRateHuman: rate(reverted - revertedAi, merged - mergedAi),
      };
    });
  },
};
