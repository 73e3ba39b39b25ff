import type { SqlHandlerInput } from '../handlers.ts';
import { upsertReviewComment } from '../upsert-review-comment.ts';
import { githubIssueCommentEventSchema } from './payload-schemas.ts';
import { upsertGithubPerson, upsertGithubRepository } from './upsert-github-entities.ts';

/**
 * `issue_comment` on a pull request's conversation: kept as a comment of that pull request (not a
 * review: first-review time counts reviews only). The payload names the pull request by number
 * alone; one not seen yet makes the event fail and be retried later, when it has arrived. Comments
 * on plain issues belong to tickets and are not read here.
 */
export async function handleGithubIssueComment({ sql, orgId, payload }: SqlHandlerInput): Promise<void> {
  const { action, repository, issue, comment } = githubIssueCommentEventSchema.parse(payload);
  if (!issue.pull_request) return;
  const repo = await upsertGithubRepository(sql, orgId, repository);
  const [pr] = await sql.query<{ id: string }>`
    SELECT id FROM "PullRequest" WHERE "orgId" = ${orgId}::uuid AND "repositoryId" = ${repo.id}::uuid AND number = ${issue.number}::int`;
  if (!pr) throw new Error(`pull request #${issue.number} of ${repository.full_name} not seen yet`);
  const externalId = `issue-comment-${comment.id}`;
  if (action === 'deleted') {
    await sql.execute`DELETE FROM "ReviewComment" WHERE "orgId" = ${orgId}::uuid AND "pullRequestId" = ${pr.id}::uuid AND "externalId" = ${externalId}`;
    return;
  }
  const authorId = comment.user ? await upsertGithubPerson(sql, orgId, comment.user) : null;
  await upsertReviewComment(sql, orgId, pr.id, externalId, { authorId, body: comment.body, path: null, createdAt: new Date(comment.created_at), reviewExternalId: null });
}
