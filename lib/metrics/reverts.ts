import { Prisma } from '../db/generated/client.ts';
import { inRange, inWeeks, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type FamilyInput, type MetricFamily, type ScopedSqlRow, type TimeRange } from './family.ts';
import { mergedPrRows } from './prs-merged.ts';

/** How long after its merge a revert still counts against a pull request. */
export const REVERT_WINDOW = Prisma.sql`interval '14 days'`;
/** REVERT_WINDOW and a day to spare (an interval of days can be a DST hour longer in the session's zone): bounds the reverts read. */
const REVERT_SCAN_MS = 15 * 86_400_000;

/**
 * The full shas `git revert` names in its message ("This reverts commit <sha>."), as rows `m(sha)`
 * of `message`. The migration 20261127111000_rollups_dirty_reverts repeats this pattern to mark
 * the reverted PR's merge day: change both together.
 */
const revertedShas = (message: Prisma.Sql) =>
  Prisma.sql`LATERAL (SELECT g[1] AS sha FROM regexp_matches(${message}, 'This reverts commit ([0-9a-f]{40,64})', 'g') AS g) m`;

/**
 * CTEs `merged` (the pull requests merged in the range, bots' excluded: prsMerged's PRs, the
 * candidates) and `reverted` (those reverted within REVERT_WINDOW of their merge: `id`, `at` and
 * `reverter` of the earliest revert), computed set-wise:
 * - by a commit on the default branch whose message reverts the PR's merge commit or one of its
 *   commits (`revert_commits`: such commits committed from the range's start to REVERT_WINDOW
 *   after its end, the only ones that can revert a PR merged in it); `reverter` is its sha;
 * - by a merged pull request titled `Revert "<its title>"` (GitHub's revert button) within the
 *   window, the latest earlier merge with that title being the one reverted (`revert_prs`); `reverter`
 *   is `#<its number>`.
 */
function revertCtes(orgId: string, range: TimeRange): Prisma.Sql {
  const revertsEnd = new Date(range.to.getTime() + REVERT_SCAN_MS);
  const withinWindow = (at: Prisma.Sql) => Prisma.sql`${at} >= mp."mergedAt" AND ${at} <= mp."mergedAt" + ${REVERT_WINDOW}`;
  return Prisma.sql`
    merged AS (
      SELECT p.id, p."repositoryId" AS repo_id, p."mergedAt", p."mergeCommitSha", p.title
      FROM "PullRequest" p
      LEFT JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId"
      WHERE p."orgId" = ${orgId} AND ${inRange(Prisma.sql`p."mergedAt"`, range)} AND NOT COALESCE(a."isBot", false)
    ),
    revert_commits AS (
      SELECT rc."repositoryId" AS repo_id, m.sha, rc."committedAt" AS at, rc.sha AS reverter
      FROM "Commit" rc CROSS JOIN ${revertedShas(Prisma.sql`rc.message`)}
      WHERE rc."orgId" = ${orgId} AND rc."committedAt" >= ${range.from} AND rc."committedAt" <= ${revertsEnd}
        AND rc."onDefaultBranch" AND rc.message LIKE '%This reverts commit %'
    ),
    revert_prs AS (
      SELECT rp."repositoryId" AS repo_id, substr(rp.title, 9, length(rp.title) - 9) AS reverted_title, rp."mergedAt" AS at, '#' || rp.number AS reverter
      FROM "PullRequest" rp
      WHERE rp."orgId" = ${orgId} AND rp."mergedAt" > ${range.from} AND rp."mergedAt" <= ${revertsEnd}
        AND rp.title LIKE 'Revert "%"'
    ),
    reverts AS (
      SELECT mp.id, x.at, x.reverter FROM merged mp
      JOIN revert_commits x ON x.repo_id = mp.repo_id AND x.sha = mp."mergeCommitSha" AND ${withinWindow(Prisma.sql`x.at`)}
      UNION ALL
      SELECT mp.id, x.at, x.reverter FROM merged mp
      JOIN "PullRequestCommit" pc ON pc."orgId" = ${orgId} AND pc."pullRequestId" = mp.id
      JOIN "Commit" k ON k."orgId" = pc."orgId" AND k.id = pc."commitId"
      JOIN revert_commits x ON x.repo_id = mp.repo_id AND x.sha = k.sha AND ${withinWindow(Prisma.sql`x.at`)}
      UNION ALL
      SELECT mp.id, x.at, x.reverter FROM merged mp
      JOIN revert_prs x ON x.repo_id = mp.repo_id AND x.reverted_title = mp.title AND x.at > mp."mergedAt" AND ${withinWindow(Prisma.sql`x.at`)}
      WHERE NOT EXISTS (
        SELECT 1 FROM "PullRequest" later
        WHERE later."orgId" = ${orgId} AND later."repositoryId" = mp.repo_id AND later.title = mp.title
          AND later."mergedAt" > mp."mergedAt" AND later."mergedAt" < x.at)
    ),
    reverted AS (
      SELECT DISTINCT ON (id) id, at, reverter FROM reverts ORDER BY id, at, reverter
    )`;
}

/**
 * The pull requests the revert figures count, one row each: prsMerged's rows (mergedPrRows:
 * `week`, `is_ai`, `team_id`) with `reverted`, `reverted_at` and `reverted_by` (the earliest revert
 * within the window, null when none), then `columns` (over p, r, a, rev: the revert, and whatever
 * `joins` adds). Shared by the family and its drill-down (drilldown-rows.ts).
 */
export function revertedPrRows(
  w: Pick<FamilyInput, 'orgId' | 'timeZone' | 'countWeakAiSignals'> & TimeRange,
  columns: Prisma.Sql = Prisma.empty,
  joins: Prisma.Sql = Prisma.empty,
): Prisma.Sql {
  return Prisma.sql`
    WITH ${revertCtes(w.orgId, w)}
    ${mergedPrRows(w, Prisma.sql`, rev.id IS NOT NULL AS reverted, rev.at AS reverted_at, rev.reverter AS reverted_by ${columns}`, Prisma.sql`LEFT JOIN reverted rev ON rev.id = p.id ${joins}`)}`;
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
      FROM (${revertedPrRows({ ...w, ...rangeOf(w) })}) merged_prs
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
