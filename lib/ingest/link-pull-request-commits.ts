import { refreshPullRequestAttribution } from '../attribution/refresh-pull-request-attribution.ts';
import type { Prisma } from '../db/generated/client.ts';

// A branch name is reused over time, so only commits made around a pull request's life belong to
// it: from 30 days before it was opened until it merged or closed.
const BEFORE_OPENED_MS = 30 * 86_400_000;

/**
 * Links to the pull request the commits pushed to its head branch, and sets what derives from its
 * commits: first-commit time (earliest authored time) and AI attribution. Runs whenever either side arrives, so push-then-open
 * and open-then-push give the same result.
 */
export async function linkPullRequestCommits(tx: Prisma.TransactionClient, orgId: string, pullRequestId: string): Promise<void> {
  const pr = await tx.pullRequest.findUniqueOrThrow({ where: { orgId_id: { orgId, id: pullRequestId } } });
  const until = pr.mergedAt ?? pr.closedAt;
  const commits = pr.headBranch
    ? await tx.commit.findMany({
        where: {
          orgId,
          repositoryId: pr.repositoryId,
          branches: { has: pr.headBranch },
          authoredAt: { gte: new Date(pr.createdAt.getTime() - BEFORE_OPENED_MS), ...(until ? { lte: until } : {}) },
        },
        select: { id: true },
      })
    : [];
  if (commits.length) {
    await tx.pullRequestCommit.createMany({ data: commits.map((c) => ({ orgId, pullRequestId, commitId: c.id })), skipDuplicates: true });
  }
  const first = await tx.commit.aggregate({ where: { orgId, prs: { some: { pullRequestId } } }, _min: { authoredAt: true } });
  await tx.pullRequest.update({ where: { orgId_id: { orgId, id: pullRequestId } }, data: { firstCommitAt: first._min.authoredAt } });
  await refreshPullRequestAttribution(tx, orgId, pullRequestId);
}

type PullRequestRow = { id: string; headBranch: string | null; createdAt: Date; mergedAt: Date | null; closedAt: Date | null; body: string | null; authorId: string | null };

/**
 * After a pull request upsert: commits and attribution derive only from these fields, so most
 * updates (labels, title edits, review requests) skip the work; a new pull request always links.
 */
export async function refreshPullRequestCommitsIfChanged(tx: Prisma.TransactionClient, orgId: string, before: PullRequestRow | null, after: PullRequestRow): Promise<void> {
  const derivedFrom = (p: PullRequestRow | null) =>
    p && [p.headBranch, p.createdAt.getTime(), p.mergedAt?.getTime(), p.closedAt?.getTime(), p.body, p.authorId].join('\u0000');
  if (derivedFrom(before) !== derivedFrom(after)) await linkPullRequestCommits(tx, orgId, after.id);
}
