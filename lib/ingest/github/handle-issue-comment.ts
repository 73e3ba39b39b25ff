import type { HandlerInput } from '../handlers.ts';
import { githubIssueCommentEventSchema } from './payload-schemas.ts';
import { upsertGithubPerson, upsertGithubRepository } from './upsert-github-entities.ts';

/**
 * `issue_comment` on a pull request's conversation: kept as a comment of that pull request (not a
 * review: first-review time counts reviews only). The payload names the pull request by number
 * alone; one not seen yet makes the event fail and be retried later, when it has arrived. Comments
 * on plain issues belong to tickets and are not read here.
 */
export async function handleGithubIssueComment({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { action, repository, issue, comment } = githubIssueCommentEventSchema.parse(payload);
  if (!issue.pull_request) return;
  const repo = await upsertGithubRepository(tx, orgId, repository);
  const pr = await tx.pullRequest.findUnique({ where: { orgId_repositoryId_number: { orgId, repositoryId: repo.id, number: issue.number } } });
  if (!pr) throw new Error(`pull request #${issue.number} of ${repository.full_name} not seen yet`);
  const externalId = `issue-comment-${comment.id}`;
  if (action === 'deleted') {
    await tx.reviewComment.deleteMany({ where: { orgId, pullRequestId: pr.id, externalId } });
    return;
  }
  const authorId = comment.user ? await upsertGithubPerson(tx, orgId, comment.user) : null;
  const data = { authorId, body: comment.body, path: null, createdAt: new Date(comment.created_at) };
  await tx.reviewComment.upsert({ where: { orgId_pullRequestId_externalId: { orgId, pullRequestId: pr.id, externalId } }, create: { orgId, pullRequestId: pr.id, externalId, ...data }, update: data });
}
