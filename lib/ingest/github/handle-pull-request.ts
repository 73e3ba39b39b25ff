import type { z } from 'zod';
import type { Prisma, PullRequest } from '../../db/generated/client.ts';
import type { HandlerInput } from '../handlers.ts';
import { lockPullRequestBranch, refreshPullRequestDerived } from '../link-pull-request-commits.ts';
import { holdsAll } from '../same-row.ts';
import { githubPullRequestEventSchema } from './payload-schemas.ts';
import { upsertGithubPerson, upsertGithubRepository } from './upsert-github-entities.ts';

/** `pull_request`, every action. */
export async function handleGithubPullRequest({ tx, orgId, payload }: HandlerInput): Promise<void> {
  await upsertPullRequest(tx, orgId, githubPullRequestEventSchema.parse(payload));
}

/**
 * Upserts a pull request from any payload that carries one (pull_request, reviews, comments), from
 * the payload's own times. Deliveries arrive in any order, so a payload older than what is stored
 * (by `updated_at`) changes nothing, and first-seen facts (ready-for-review time) are kept once known.
 * Returns the stored pull request's id.
 */
export async function upsertPullRequest(
  tx: Prisma.TransactionClient,
  orgId: string,
  { action, repository, pull_request: pr }: z.infer<typeof githubPullRequestEventSchema>,
): Promise<string> {
  const repo = await upsertGithubRepository(tx, orgId, repository);
  const authorId = pr.user ? await upsertGithubPerson(tx, orgId, pr.user) : null;
  const key = { orgId_repositoryId_number: { orgId, repositoryId: repo.id, number: pr.number } };
  // Events of one pull request and pushes to its branch, handled by several workers, take turns
  // from here: each reads what the one before committed (a newer payload is never overwritten).
  await lockPullRequestBranch(tx, orgId, repo.id, pr.head.ref);
  // Raw SQL for the read every event of a pull request makes (the ORM's costs twice the CPU).
  const [current] = await tx.$queryRaw<PullRequest[]>`
    SELECT * FROM "PullRequest" WHERE "orgId" = ${orgId}::uuid AND "repositoryId" = ${repo.id}::uuid AND number = ${pr.number}`;
  const existing = current ?? null;
  const updatedAt = new Date(pr.updated_at);
  if (existing?.sourceUpdatedAt && existing.sourceUpdatedAt > updatedAt) return existing.id;

  const draft = pr.draft ?? false;
  const readyAt = existing?.readyAt ?? (draft ? null : action === 'ready_for_review' ? updatedAt : new Date(pr.created_at));
  const data = {
    externalId: String(pr.id),
    title: pr.title,
    body: pr.body ?? null,
    url: pr.html_url,
    authorId,
    state: pr.merged_at ? ('merged' as const) : pr.state === 'closed' ? ('closed' as const) : ('open' as const),
    isDraft: draft,
    headBranch: pr.head.ref,
    baseBranch: pr.base.ref,
    headSha: pr.head.sha,
    mergeCommitSha: pr.merged_at ? (pr.merge_commit_sha ?? null) : null,
    createdAt: new Date(pr.created_at),
    readyAt,
    mergedAt: pr.merged_at ? new Date(pr.merged_at) : null,
    closedAt: pr.closed_at ? new Date(pr.closed_at) : null,
    ...(pr.additions !== undefined ? { additions: pr.additions, deletions: pr.deletions ?? 0, changedFiles: pr.changed_files ?? 0 } : {}),
    sourceUpdatedAt: updatedAt,
  };
  if (existing && holdsAll(existing, data)) return existing.id;
  const stored = existing
    ? await tx.pullRequest.update({ where: key, data })
    : await tx.pullRequest.create({ data: { orgId, repositoryId: repo.id, number: pr.number, ...data } });
  await refreshPullRequestDerived(tx, orgId, existing, stored);
  return stored.id;
}
