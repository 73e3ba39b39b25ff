import { orgRulesSql, type AttributionPolicy } from '../attribution/org-rules.ts';
import type { OrgRule } from '../attribution/detect.ts';
import { pullRequestAttribution, type AttributedCommit } from '../attribution/pull-request-attribution.ts';
import { linkCiRunsToPullRequest } from '../ci/upsert-ci-run.ts';
import { Prisma } from '../db/generated/client.ts';
import type { Sql } from '../db/sql.ts';
import { refreshPullRequestTicketLinks } from '../tickets/link-tickets.ts';

// A branch name is reused over time, so only commits made around a pull request's life belong to
// it: from 30 days before it was opened until it merged or closed.
const BEFORE_OPENED = '30 days';

interface LoadedPullRequest {
  body: string | null;
  headBranch: string | null;
  authorLogin: string | null;
  commits: (AttributedCommit & { authoredAt: string })[];
  /** The org's attribution patterns, read in the same round trip (unless the caller has them). */
  rules: OrgRule[] | null;
}

/**
 * Takes the lock of one branch of a repository, held until the transaction ends: the handlers that
 * write a pull request (upsertPullRequest, GitLab's upsertMergeRequest) or a push's commits
 * (storePushedCommits) take it before reading either side, so on one branch they take turns and
 * each reads what the one before committed. Without it, a push and the opening of its pull request
 * handled at once by two workers each missed the other's uncommitted rows and neither linked the
 * commits, and two events of one pull request could write the older payload last. Always taken
 * before the pull request's row is locked, so it adds no deadlock between these handlers.
 */
export async function lockPullRequestBranch(sql: Sql, orgId: string, repositoryId: string, branch: string): Promise<void> {
  await sql.execute`SELECT pg_advisory_xact_lock(hashtextextended(${`pull-request-branch:${orgId}:${repositoryId}:${branch}`}, 0))`;
}

/**
 * Links to the pull request the commits pushed to its head branch, and sets what derives from its
 * commits: first-commit time (earliest authored time) and AI attribution. Runs whenever either
 * side arrives, so push-then-open and open-then-push give the same result; a handler calls it
 * holding the branch's lock (lockPullRequestBranch), so also when both are handled at once. Three round
 * trips whatever the number of commits (the org's patterns come with the pull request's read): this
 * runs for most events of a busy org. Returns how many commits were newly linked (their messages may
 * name tickets).
 */
export async function linkPullRequestCommits(sql: Sql, orgId: string, pullRequestId: string, policy?: AttributionPolicy): Promise<number> {
  const linked = await sql.execute`
    INSERT INTO "PullRequestCommit" ("orgId", "pullRequestId", "commitId")
    SELECT c."orgId", p.id, c.id
    FROM "PullRequest" p
    JOIN "Commit" c ON c."orgId" = p."orgId" AND c."repositoryId" = p."repositoryId" AND c.branches @> ARRAY[p."headBranch"]
    WHERE p."orgId" = ${orgId}::uuid AND p.id = ${pullRequestId}::uuid AND p."headBranch" IS NOT NULL
      AND c."authoredAt" >= p."createdAt" - ${BEFORE_OPENED}::interval
      AND (coalesce(p."mergedAt", p."closedAt") IS NULL OR c."authoredAt" <= coalesce(p."mergedAt", p."closedAt"))
    ON CONFLICT DO NOTHING`;
  const [pr] = await sql.query<LoadedPullRequest>`
    SELECT p.body, p."headBranch",
      (SELECT i.login FROM "Identity" i
       WHERE i."orgId" = p."orgId" AND i."personId" = p."authorId" AND i.provider IN ('github', 'gitlab')
       ORDER BY i.id LIMIT 1) AS "authorLogin",
      coalesce((SELECT json_agg(json_build_object('sha', c.sha, 'additions', c.additions, 'aiAdditions', c."aiAdditions",
                                                  'aiEvidence', c."aiEvidence", 'authoredAt', c."authoredAt") ORDER BY c."authoredAt", c.sha)
                FROM "PullRequestCommit" pc JOIN "Commit" c ON c."orgId" = pc."orgId" AND c.id = pc."commitId"
                WHERE pc."orgId" = p."orgId" AND pc."pullRequestId" = p.id), '[]') AS commits,
      ${policy ? Prisma.sql`NULL` : orgRulesSql(Prisma.sql`p."orgId"`)} AS rules
    FROM "PullRequest" p WHERE p."orgId" = ${orgId}::uuid AND p.id = ${pullRequestId}::uuid`;
  if (!pr) throw new Error(`pull request ${pullRequestId} not found`);
  const { aiEvidence, aiShare } = pullRequestAttribution(pr, policy?.rules ?? pr.rules ?? []);
  // Commits are ordered by authored time, so the first one is the earliest.
  const firstCommitAt = pr.commits[0] ? new Date(pr.commits[0].authoredAt) : null;
  // Written only when it changes: an unchanged row is not rewritten nor its weeks marked for recomputation.
  await sql.execute`
    UPDATE "PullRequest" SET "firstCommitAt" = ${firstCommitAt}::timestamptz, "aiEvidence" = ${JSON.stringify(aiEvidence)}::jsonb, "aiShare" = ${aiShare}::float8
    WHERE "orgId" = ${orgId}::uuid AND id = ${pullRequestId}::uuid
      AND ("firstCommitAt", "aiEvidence", "aiShare") IS DISTINCT FROM (${firstCommitAt}::timestamptz, ${JSON.stringify(aiEvidence)}::jsonb, ${aiShare}::float8)`;
  return linked;
}

type PullRequestRow = { id: string; repositoryId: string; title: string; headBranch: string | null; headSha: string | null; createdAt: Date; mergedAt: Date | null; closedAt: Date | null; body: string | null; authorId: string | null };

/**
 * After a pull request upsert (GitHub or GitLab), refreshes only what the change can affect, since
 * most updates (labels, review requests) change none of it: commits and attribution derive from
 * branch, times, body and author; ticket links from title, body, branch and commit messages; CI
 * runs attach by head sha. A new pull request gets all three.
 */
export async function refreshPullRequestDerived(sql: Sql, orgId: string, before: PullRequestRow | null, after: PullRequestRow): Promise<void> {
  const commitsFrom = (p: PullRequestRow | null) =>
    p && [p.headBranch, p.createdAt.getTime(), p.mergedAt?.getTime(), p.closedAt?.getTime(), p.body, p.authorId].join('\u0000');
  const textFrom = (p: PullRequestRow | null) => p && [p.title, p.body, p.headBranch].join('\u0000');
  const linked = commitsFrom(before) !== commitsFrom(after) ? await linkPullRequestCommits(sql, orgId, after.id) : 0;
  if (linked > 0 || textFrom(before) !== textFrom(after)) await refreshPullRequestTicketLinks(sql, orgId, after.id);
  if (!before || before.headSha !== after.headSha) await linkCiRunsToPullRequest(sql, orgId, after);
}
