import { db } from '../db/client.ts';
import { Prisma } from '../db/generated/client.ts';
import { inRange, weeksRange } from '../metrics/family.ts';
import { isAiPullRequest, teamOfChange, weekOf } from '../metrics/sql.ts';
import type { FailedFirstRun } from './review-schemas.ts';

// The head commits behind a team-week's first-run pass rate that failed: the same heads, pull
// requests, weeks and teams as ciFirstRun (lib/metrics/ci-first-run.ts, docs/metrics.md#first-run-pass-rate),
// so their number is always firstRunHeads − firstRunPassed of the weekly figures.
const PASSING = Prisma.sql`('success', 'skipped', 'neutral')`;
const JUDGING = Prisma.sql`('success', 'skipped', 'neutral', 'failure', 'timed_out')`;

type Org = { id: string; timeZone: string; countWeakAiSignals: boolean };

export async function failedFirstRuns({ org, teamId, week }: { org: Org; teamId: string; week: string }): Promise<FailedFirstRun[]> {
  const range = weeksRange([week]);
  const rows = await db().$queryRaw<(Omit<FailedFirstRun, 'firstRunAt'> & { firstRunAt: Date })[]>`
    WITH candidates AS (
      SELECT DISTINCT c."repositoryId" AS repo_id, c."headSha" AS sha
      FROM "CiRun" c
      WHERE c."orgId" = ${org.id} AND c."runAttempt" = 1 AND c.conclusion IN ${JUDGING}
        AND ((${inRange(Prisma.sql`c."startedAt"`, range)})
          OR (c."startedAt" IS NULL AND ${inRange(Prisma.sql`c."completedAt"`, range)}))
    ),
    heads AS (
      SELECT c."repositoryId" AS repo_id, c."headSha" AS sha,
             min(coalesce(c."startedAt", c."completedAt")) AS at,
             bool_and(c.conclusion IN ${PASSING}) AS passed,
             min(c."pullRequestId") AS linked_pr,
             array_agg(DISTINCT c.workflow ORDER BY c.workflow) FILTER (WHERE c.conclusion NOT IN ${PASSING}) AS failed_workflows,
             min(c.url) FILTER (WHERE c.conclusion NOT IN ${PASSING}) AS run_url
      FROM "CiRun" c
      JOIN candidates k ON k.repo_id = c."repositoryId" AND k.sha = c."headSha"
      WHERE c."orgId" = ${org.id} AND c."runAttempt" = 1 AND c.conclusion IN ${JUDGING}
        AND coalesce(c."startedAt", c."completedAt") IS NOT NULL
      GROUP BY c."repositoryId", c."headSha"
      HAVING min(coalesce(c."startedAt", c."completedAt")) >= ${range.from}
    )
    SELECT repository, sha, "firstRunAt", "failedWorkflows", "runUrl", "pullRequestId", number, title, url, author, "isAi"
    FROM (
      SELECT ${weekOf(Prisma.sql`h.at`, org.timeZone)} AS week,
             ${teamOfChange(org.id, Prisma.sql`p."authorId"`, Prisma.sql`h.at`, Prisma.sql`r."defaultTeamId"`)} AS team_id,
             ${isAiPullRequest(Prisma.sql`p`, org.countWeakAiSignals)} AS "isAi",
             h.passed, h.sha, h.at AS "firstRunAt", coalesce(h.failed_workflows, ARRAY[]::text[]) AS "failedWorkflows", h.run_url AS "runUrl",
             r.owner || '/' || r.name AS repository, p.id AS "pullRequestId", p.number, p.title, p.url, a."displayName" AS author
      FROM heads h
      JOIN "PullRequest" p ON p."orgId" = ${org.id} AND p.id = COALESCE(
        h.linked_pr,
        (SELECT x.id FROM "PullRequest" x
          WHERE x."orgId" = ${org.id} AND x."repositoryId" = h.repo_id AND x."headSha" = h.sha
          ORDER BY x."createdAt", x.id LIMIT 1),
        (SELECT x.id FROM "Commit" k
          JOIN "PullRequestCommit" pc ON pc."orgId" = k."orgId" AND pc."commitId" = k.id
          JOIN "PullRequest" x ON x."orgId" = pc."orgId" AND x.id = pc."pullRequestId"
          WHERE k."orgId" = ${org.id} AND k."repositoryId" = h.repo_id AND k.sha = h.sha
          ORDER BY x."createdAt", x.id LIMIT 1))
      JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
      LEFT JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId"
      WHERE NOT COALESCE(a."isBot", false)
    ) head_commits
    WHERE week = ${week}::date AND team_id = ${teamId} AND NOT passed
    ORDER BY "firstRunAt", sha`;
  return rows.map((r) => ({ ...r, firstRunAt: r.firstRunAt.toISOString(), number: Number(r.number) }));
}
