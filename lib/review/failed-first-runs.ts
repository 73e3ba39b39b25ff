import { db } from '../db/client.ts';
import { Prisma } from '../db/generated/client.ts';
import { firstRunHeadRows } from '../metrics/ci-first-run.ts';
import { weeksRange } from '../metrics/family.ts';
import type { FailedFirstRun } from './review-schemas.ts';

// The head commits behind a team-week's first-run pass rate that failed: ciFirstRun's own rows
// (firstRunHeadRows in lib/metrics/ci-first-run.ts, docs/metrics.md#first-run-pass-rate), so their
// number is always firstRunHeads − firstRunPassed of the weekly figures.

type Org = { id: string; timeZone: string; countWeakAiSignals: boolean };

export async function failedFirstRuns({ org, teamId, week }: { org: Org; teamId: string; week: string }): Promise<FailedFirstRun[]> {
  const columns = Prisma.sql`, h.sha, h.at AS "firstRunAt", coalesce(h.failed_workflows, ARRAY[]::text[]) AS "failedWorkflows", h.run_url AS "runUrl",
    r.owner || '/' || r.name AS repository, p.id AS "pullRequestId", p.number, p.title, p.url, a."displayName" AS author`;
  const rows = await db().$queryRaw<(Omit<FailedFirstRun, 'firstRunAt'> & { firstRunAt: Date })[]>`
    SELECT repository, sha, "firstRunAt", "failedWorkflows", "runUrl", "pullRequestId", number, title, url, author, is_ai AS "isAi"
    FROM (${firstRunHeadRows({ orgId: org.id, timeZone: org.timeZone, countWeakAiSignals: org.countWeakAiSignals, ...weeksRange([week]) }, columns, { withFailures: true })}) head_commits
    WHERE week = ${week}::date AND team_id = ${teamId} AND NOT passed
    ORDER BY "firstRunAt", sha`;
  return rows.map((r) => ({ ...r, firstRunAt: r.firstRunAt.toISOString(), number: Number(r.number) }));
}
