import type { z } from 'zod';
import type { PullRequest } from '../../db/generated/client.ts';
import { uuidV7 } from '../../db/ids.ts';
import type { Sql } from '../../db/sql.ts';
import type { SqlHandlerInput } from '../handlers.ts';
import { lockPullRequestBranch, refreshPullRequestDerived } from '../link-pull-request-commits.ts';
import { holdsAll } from '../same-row.ts';
import { githubPullRequestEventSchema } from './payload-schemas.ts';
import { upsertGithubPerson, upsertGithubRepository } from './upsert-github-entities.ts';

/** `pull_request`, every action. */
export async function handleGithubPullRequest({ sql, orgId, payload }: SqlHandlerInput): Promise<void> {
  await upsertPullRequest(sql, orgId, githubPullRequestEventSchema.parse(payload));
}

/**
 * Upserts a pull request from any payload that carries one (pull_request, reviews, comments), from
 * the payload's own times. Deliveries arrive in any order, so a payload older than what is stored
 * (by `updated_at`) changes nothing, and first-seen facts (ready-for-review time) are kept once known.
 * Returns the stored pull request's id.
 */
export async function upsertPullRequest(
  sql: Sql,
  orgId: string,
  { action, repository, pull_request: pr }: z.infer<typeof githubPullRequestEventSchema>,
): Promise<string> {
  const repo = await upsertGithubRepository(sql, orgId, repository);
  const authorId = pr.user ? await upsertGithubPerson(sql, orgId, pr.user) : null;
  // Events of one pull request and pushes to its branch, handled by several workers, take turns
  // from here: each reads what the one before committed (a newer payload is never overwritten).
  await lockPullRequestBranch(sql, orgId, repo.id, pr.head.ref);
  const [existing] = await sql.query<PullRequest>`
    SELECT * FROM "PullRequest" WHERE "orgId" = ${orgId}::uuid AND "repositoryId" = ${repo.id}::uuid AND number = ${pr.number}::int`;
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
  const stored = { ...(existing ?? { id: uuidV7(), repositoryId: repo.id }), ...data };
  // Line counts only when the payload has them (GitHub's webhooks do; some payloads do not): kept otherwise.
  const [additions, deletions, changedFiles] = 'additions' in data ? [data.additions, data.deletions, data.changedFiles] : [null, null, null];
  if (existing) {
    await sql.execute`
      UPDATE "PullRequest" SET "externalId" = ${data.externalId}, title = ${data.title}, body = ${data.body}, url = ${data.url},
        "authorId" = ${authorId}::uuid, state = ${data.state}::"PullRequestState", "isDraft" = ${draft}::boolean, "headBranch" = ${data.headBranch},
        "baseBranch" = ${data.baseBranch}, "headSha" = ${data.headSha}, "mergeCommitSha" = ${data.mergeCommitSha}, "createdAt" = ${data.createdAt}::timestamptz,
        "readyAt" = ${readyAt}::timestamptz, "mergedAt" = ${data.mergedAt}::timestamptz, "closedAt" = ${data.closedAt}::timestamptz,
        additions = coalesce(${additions}::int, additions), deletions = coalesce(${deletions}::int, deletions),
        "changedFiles" = coalesce(${changedFiles}::int, "changedFiles"), "sourceUpdatedAt" = ${updatedAt}::timestamptz
      WHERE "orgId" = ${orgId}::uuid AND id = ${existing.id}::uuid`;
  } else {
    await sql.execute`
      INSERT INTO "PullRequest" ("orgId", id, "repositoryId", number, "externalId", title, body, url, "authorId", state, "isDraft", "headBranch",
        "baseBranch", "headSha", "mergeCommitSha", "createdAt", "readyAt", "mergedAt", "closedAt", additions, deletions, "changedFiles", "sourceUpdatedAt")
      VALUES (${orgId}::uuid, ${stored.id}::uuid, ${repo.id}::uuid, ${pr.number}::int, ${data.externalId}, ${data.title}, ${data.body}, ${data.url},
        ${authorId}::uuid, ${data.state}::"PullRequestState", ${draft}::boolean, ${data.headBranch}, ${data.baseBranch}, ${data.headSha}, ${data.mergeCommitSha},
        ${data.createdAt}::timestamptz, ${readyAt}::timestamptz, ${data.mergedAt}::timestamptz, ${data.closedAt}::timestamptz,
        coalesce(${additions}::int, 0), coalesce(${deletions}::int, 0), coalesce(${changedFiles}::int, 0), ${updatedAt}::timestamptz)`;
  }
  await refreshPullRequestDerived(sql, orgId, existing ?? null, stored);
  return stored.id;
}
