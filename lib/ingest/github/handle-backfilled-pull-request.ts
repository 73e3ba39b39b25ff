import { detectCommitSignals, isAiWritten } from '../../attribution/detect.ts';
import { loadAttributionPolicy } from '../../attribution/org-rules.ts';
import type { Prisma } from '../../db/generated/client.ts';
import { prismaSql } from '../../db/sql.ts';
import type { HandlerInput } from '../handlers.ts';
import { linkPullRequestCommits } from '../link-pull-request-commits.ts';
import { upsertGitEmailPerson } from '../upsert-git-person.ts';
import { backfilledPullRequestSchema } from './backfill-query.ts';
import { upsertPullRequest } from './handle-pull-request.ts';
import { handleGithubReview } from './handle-review.ts';

/**
 * A pull request fetched by `throughline backfill github` (stored raw like a delivery, so replay
 * rebuilds it too). It goes through the same upserts as webhook payloads, plus what only the API
 * gives: each commit's line counts, so AI-attributed lines and shares are known.
 */
export async function handleBackfilledPullRequest({ tx, orgId, eventId, payload }: HandlerInput): Promise<void> {
  const { repository, pullRequest: pr } = backfilledPullRequestSchema.parse(payload);
  const [owner = '', name = ''] = repository.nameWithOwner.split('/');
  const repo = { id: repository.databaseId, name, full_name: repository.nameWithOwner, owner: { login: owner }, html_url: repository.url, ...(repository.defaultBranch ? { default_branch: repository.defaultBranch } : {}) };
  const user = (a: typeof pr.author) => (a?.databaseId ? { id: a.databaseId, login: a.login, type: a.__typename === 'Bot' ? 'Bot' : 'User' } : null);
  const pullRequest = {
    id: pr.databaseId, number: pr.number, title: pr.title, body: pr.body ?? null, html_url: pr.url, state: pr.state === 'OPEN' ? ('open' as const) : ('closed' as const),
    draft: pr.isDraft, user: user(pr.author), created_at: pr.createdAt, updated_at: pr.updatedAt, closed_at: pr.closedAt, merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommit?.oid ?? null, head: { ref: pr.headRefName, sha: pr.headRefOid }, base: { ref: pr.baseRefName },
    additions: pr.additions, deletions: pr.deletions, changed_files: pr.changedFiles,
  };
  const sql = prismaSql(tx);
  const pullRequestId = await upsertPullRequest(sql, orgId, { action: 'backfill', repository: repo, pull_request: pullRequest });
  await storePullRequestCommits(tx, orgId, pullRequestId, pr.commits.nodes.map((n) => n.commit));
  for (const review of pr.reviews.nodes) {
    const reviewPayload = { action: 'submitted', repository: repo, pull_request: pullRequest, review: { id: review.databaseId, user: user(review.author), body: review.body ?? null, state: review.state, submitted_at: review.submittedAt } };
    await handleGithubReview({ sql, orgId, eventId, payload: reviewPayload as unknown as Prisma.JsonValue });
  }
}

type ApiCommit = ReturnType<typeof backfilledPullRequestSchema.parse>['pullRequest']['commits']['nodes'][number]['commit'];

async function storePullRequestCommits(tx: Prisma.TransactionClient, orgId: string, pullRequestId: string, commits: ApiCommit[]): Promise<void> {
  const pr = await tx.pullRequest.findUniqueOrThrow({ where: { orgId_id: { orgId, id: pullRequestId } } });
  const sql = prismaSql(tx);
  const policy = await loadAttributionPolicy(sql, orgId);
  for (const c of commits) {
    const author = { name: c.author?.name ?? 'unknown', email: c.author?.email ?? 'unknown@invalid' };
    const signals = detectCommitSignals({ message: c.message, authorName: author.name, authorEmail: author.email }, policy.rules);
    const isAi = isAiWritten(signals, policy);
    const facts = {
      authoredAt: new Date(c.authoredDate), committedAt: new Date(c.committedDate), message: c.message, additions: c.additions, deletions: c.deletions,
      aiAdditions: isAi ? c.additions : 0, isAi, aiEvidence: signals as unknown as Prisma.InputJsonValue, parentCount: c.parents.totalCount,
    };
    const key = { orgId_repositoryId_sha: { orgId, repositoryId: pr.repositoryId, sha: c.oid } };
    const existing = await tx.commit.findUnique({ where: key, select: { id: true, branches: true } });
    const commit = existing
      ? await tx.commit.update({ where: key, data: { ...facts, branches: [...new Set([...existing.branches, pr.headBranch ?? ''])].filter(Boolean) } })
      : await tx.commit.create({
          data: {
            orgId, repositoryId: pr.repositoryId, sha: c.oid, authorId: await upsertGitEmailPerson(sql, orgId, author), authorEmail: author.email.toLowerCase(),
            authorName: author.name, branches: pr.headBranch ? [pr.headBranch] : [], ...facts,
          },
        });
    await tx.pullRequestCommit.createMany({ data: [{ orgId, pullRequestId, commitId: commit.id }], skipDuplicates: true });
  }
  await linkPullRequestCommits(sql, orgId, pullRequestId);
}
