import { Prisma } from '../db/generated/client.ts';
import { inRange, inWeeks, num, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type FamilyInput, type MetricFamily, type ScopedSqlRow, type TimeRange } from './family.ts';
import { isAiPullRequest, teamOfChange, weekOf } from './sql.ts';

// Conclusions of a first run that judge the head commit (docs/metrics.md#first-run-pass-rate):
// skipped and neutral pass (they do not block a merge), failure and timed_out fail; cancelled,
// action_required and stale say nothing about the code and leave the run out.
export const PASSING = Prisma.sql`('success', 'skipped', 'neutral')`;
export const JUDGING = Prisma.sql`('success', 'skipped', 'neutral', 'failure', 'timed_out')`;

export type FirstRunFigures = {
  firstRunHeads: number;
  firstRunHeadsAi: number;
  firstRunHeadsHuman: number;
  firstRunPassed: number;
  firstRunPassedAi: number;
  firstRunPassedHuman: number;
  firstRunPassRate: number | null;
  firstRunPassRateAi: number | null;
  firstRunPassRateHuman: number | null;
};

const rate = (passed: number, heads: number) => (heads === 0 ? null : passed / heads);

/**
 * CTEs `candidates, heads` (to follow a WITH): the head commits whose first CI attempt finished in
 * `range`, with `repo_id, sha, at` (first start), `passed` (every workflow's first attempt passed)
 * and `linked_pr` (the PR the runs name). A head's first run is in the range only if one of its
 * runs is: take the heads with a run started in it (each side of the OR indexable), then their
 * first run and verdict over all their runs, and keep those whose first run is not before the
 * range. `withFailures` adds `failed_workflows` and `run_url` (the review's list of failures).
 */
export function firstRunHeadCtes(orgId: string, range: TimeRange, { withFailures = false } = {}): Prisma.Sql {
  const failures = withFailures
    ? Prisma.sql`, array_agg(DISTINCT c.workflow ORDER BY c.workflow) FILTER (WHERE c.conclusion NOT IN ${PASSING}) AS failed_workflows,
             min(c.url) FILTER (WHERE c.conclusion NOT IN ${PASSING}) AS run_url`
    : Prisma.empty;
  return Prisma.sql`
    candidates AS (
      SELECT DISTINCT c."repositoryId" AS repo_id, c."headSha" AS sha
      FROM "CiRun" c
      WHERE c."orgId" = ${orgId} AND c."runAttempt" = 1 AND c.conclusion IN ${JUDGING}
        AND ((${inRange(Prisma.sql`c."startedAt"`, range)})
          OR (c."startedAt" IS NULL AND ${inRange(Prisma.sql`c."completedAt"`, range)}))
    ),
    heads AS (
      SELECT c."repositoryId" AS repo_id, c."headSha" AS sha,
             min(coalesce(c."startedAt", c."completedAt")) AS at,
             bool_and(c.conclusion IN ${PASSING}) AS passed,
             -- The earliest opened of the PRs its runs name (by natural keys: replays give the same).
             (SELECT x.id FROM "PullRequest" x WHERE x."orgId" = ${orgId} AND x.id = ANY(array_agg(c."pullRequestId"))
               ORDER BY x."createdAt", x.number LIMIT 1) AS linked_pr ${failures}
      FROM "CiRun" c
      JOIN candidates k ON k.repo_id = c."repositoryId" AND k.sha = c."headSha"
      WHERE c."orgId" = ${orgId} AND c."runAttempt" = 1 AND c.conclusion IN ${JUDGING}
        AND coalesce(c."startedAt", c."completedAt") IS NOT NULL
      GROUP BY c."repositoryId", c."headSha"
      HAVING min(coalesce(c."startedAt", c."completedAt")) >= ${range.from}
    )`;
}

/** `JOIN "PullRequest" p` on the pull request of head `h`: the one its runs name, else the PR whose head it is, else the PR holding the commit (earliest opened). */
export function headPullRequestJoin(orgId: string): Prisma.Sql {
  return Prisma.sql`JOIN "PullRequest" p ON p."orgId" = ${orgId} AND p.id = COALESCE(
      h.linked_pr,
      (SELECT x.id FROM "PullRequest" x
        WHERE x."orgId" = ${orgId} AND x."repositoryId" = h.repo_id AND x."headSha" = h.sha
        ORDER BY x."createdAt", x.number LIMIT 1),
      (SELECT x.id FROM "Commit" k
        JOIN "PullRequestCommit" pc ON pc."orgId" = k."orgId" AND pc."commitId" = k.id
        JOIN "PullRequest" x ON x."orgId" = pc."orgId" AND x.id = pc."pullRequestId"
        WHERE k."orgId" = ${orgId} AND k."repositoryId" = h.repo_id AND k.sha = h.sha
        ORDER BY x."createdAt", x.number LIMIT 1))`;
}

/**
 * The head commits ciFirstRun counts, one row each (a whole statement: firstRunHeadCtes over the
 * range, heads joined to their pull request, bots' PRs left out): `week` (of the first run's
 * start), `team_id` (the PR author's at that instant), `is_ai`, `passed`, then `columns` over
 * h (the head, with firstRunHeadCtes' columns), p (its PR), r (its repository), a (the PR's author).
 * Shared by the family, its drill-down and the weekly review's failed first runs, so all three
 * see the same heads.
 */
export function firstRunHeadRows(
  w: Pick<FamilyInput, 'orgId' | 'timeZone' | 'countWeakAiSignals'> & TimeRange,
  columns: Prisma.Sql = Prisma.empty,
  options: { withFailures?: boolean } = {},
): Prisma.Sql {
  return Prisma.sql`
    WITH ${firstRunHeadCtes(w.orgId, w, options)}
    SELECT ${weekOf(Prisma.sql`h.at`, w.timeZone)} AS week,
           ${teamOfChange(w.orgId, Prisma.sql`p."authorId"`, Prisma.sql`h.at`, Prisma.sql`r."defaultTeamId"`)} AS team_id,
           ${isAiPullRequest(Prisma.sql`p`, w.countWeakAiSignals)} AS is_ai,
           h.passed ${columns}
    FROM heads h
    ${headPullRequestJoin(w.orgId)}
    JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
    LEFT JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId"
    WHERE NOT COALESCE(a."isBot", false)`;
}

/**
 * First-run pass rate (docs/metrics.md#first-run-pass-rate): of the head commits of pull requests
 * whose CI first ran in the week, the share whose first attempt of every workflow passed. A head
 * is a (repository, sha) with judging first-attempt runs; its pull request is the one its runs
 * name, else the PR whose head it is, else the PR holding the commit (earliest opened); its week
 * is that of its first run's start, its team the PR author's at that instant.
 */
export const ciFirstRun: MetricFamily<FirstRunFigures> = {
  empty: {
    firstRunHeads: 0, firstRunHeadsAi: 0, firstRunHeadsHuman: 0, firstRunPassed: 0, firstRunPassedAi: 0, firstRunPassedHuman: 0,
    firstRunPassRate: null, firstRunPassRateAi: null, firstRunPassRateHuman: null,
  },
  async compute(w) {
    const rows = await w.db.$queryRaw<(ScopedSqlRow & Record<'heads' | 'heads_ai' | 'passed' | 'passed_ai', bigint>)[]>`
      SELECT ${SCOPE_COLUMNS},
             count(*) AS heads, count(*) FILTER (WHERE is_ai) AS heads_ai,
             count(*) FILTER (WHERE passed) AS passed, count(*) FILTER (WHERE passed AND is_ai) AS passed_ai
      FROM (${firstRunHeadRows({ ...w, ...rangeOf(w) })}) head_commits
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => {
      const [heads, headsAi, passed, passedAi] = [r.heads, r.heads_ai, r.passed, r.passed_ai].map((v) => num(v) ?? 0) as [number, number, number, number];
      return {
        firstRunHeads: heads, firstRunHeadsAi: headsAi, firstRunHeadsHuman: heads - headsAi,
        firstRunPassed: passed, firstRunPassedAi: passedAi, firstRunPassedHuman: passed - passedAi,
        firstRunPassRate: rate(passed, heads), firstRunPassRateAi: rate(passedAi, headsAi), firstRunPassRateHuman: rate(passed - passedAi, heads - headsAi),
      };
    });
  },
};
