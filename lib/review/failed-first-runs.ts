import { db } from '../db/client.ts';
import { Prisma } from '../db/generated/client.ts';
import { firstRunHeadCtes, headPullRequestJoin } from '../metrics/ci-first-run.ts';
import { weeksRange } from '../metrics/family.ts';
import { isAiPullRequest, teamOfChange, weekOf } from '../metrics/sql.ts';
import type { FailedFirstRun } from './review-schemas.ts';

// The head commits behind a team-week's first-run pass rate that failed: the same heads, pull
// requests, weeks and teams as ciFirstRun (lib/metrics/ci-first-run.ts, docs/metrics.md#first-run-pass-rate),
// so their number is always firstRunHeads − firstRunPassed of the weekly figures.

type Org = { id: string; timeZone: string; countWeakAiSignals: boolean };

export async function failedFirstRuns({ org, teamId, week }: { org: Org; teamId: string; week: string }): Promise<FailedFirstRun[]> {
  const range = weeksRange([week]);
  const rows = await db().$queryRaw<(Omit<FailedFirstRun, 'firstRunAt'> & { firstRunAt: Date })[]>`
    WITH ${firstRunHeadCtes(org.id, range, { withFailures: true })}
    SELECT repository, sha, "firstRunAt", "failedWorkflows", "runUrl", "pullRequestId", number, title, url, author, "isAi"
    FROM (
      SELECT ${weekOf(Prisma.sql`h.at`, org.timeZone)} AS week,
             ${teamOfChange(org.id, Prisma.sql`p."authorId"`, Prisma.sql`h.at`, Prisma.sql`r."defaultTeamId"`)} AS team_id,
             ${isAiPullRequest(Prisma.sql`p`, org.countWeakAiSignals)} AS "isAi",
             h.passed, h.sha, h.at AS "firstRunAt", coalesce(h.failed_workflows, ARRAY[]::text[]) AS "failedWorkflows", h.run_url AS "runUrl",
             r.owner || '/' || r.name AS repository, p.id AS "pullRequestId", p.number, p.title, p.url, a."displayName" AS author
      FROM heads h
      ${headPullRequestJoin(org.id)}
      JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
      LEFT JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId"
      WHERE NOT COALESCE(a."isBot", false)
    ) head_commits
    WHERE week = ${week}::date AND team_id = ${teamId} AND NOT passed
    ORDER BY "firstRunAt", sha`;
  return rows.map((r) => ({ ...r, firstRunAt: r.firstRunAt.toISOString(), number: Number(r.number) }));
}
