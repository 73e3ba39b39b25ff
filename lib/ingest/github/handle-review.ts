import type { HandlerInput } from '../handlers.ts';
import { refreshReviewTimes } from '../refresh-review-times.ts';
import { upsertPullRequest } from './handle-pull-request.ts';
import { githubReviewCommentEventSchema, githubReviewEventSchema } from './payload-schemas.ts';
import { upsertGithubPerson } from './upsert-github-entities.ts';

/** `pull_request_review`: submitted, edited, dismissed. A pending (unsubmitted) review is not a review yet. */
export async function handleGithubReview({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const event = githubReviewEventSchema.parse(payload);
  const pullRequestId = await upsertPullRequest(tx, orgId, event);
  const { review } = event;
  if (review.state === 'pending' || !review.submitted_at) return;
  const reviewerId = review.user ? await upsertGithubPerson(tx, orgId, review.user) : null;
  const key = { orgId_pullRequestId_externalId: { orgId, pullRequestId, externalId: String(review.id) } };
  const data = { reviewerId, state: review.state, submittedAt: new Date(review.submitted_at), body: review.body ?? null };
  await tx.review.upsert({ where: key, create: { orgId, pullRequestId, externalId: String(review.id), ...data }, update: data });
  await refreshReviewTimes(tx, orgId, pullRequestId);
}

/** `pull_request_review_comment`: created, edited, deleted (a deleted comment is removed). */
export async function handleGithubReviewComment({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const event = githubReviewCommentEventSchema.parse(payload);
  const pullRequestId = await upsertPullRequest(tx, orgId, event);
  const { comment } = event;
  const key = { orgId_pullRequestId_externalId: { orgId, pullRequestId, externalId: String(comment.id) } };
  if (event.action === 'deleted') {
    await tx.reviewComment.deleteMany({ where: { orgId, pullRequestId, externalId: String(comment.id) } });
    return;
  }
  const authorId = comment.user ? await upsertGithubPerson(tx, orgId, comment.user) : null;
  const review = comment.pull_request_review_id
    ? await tx.review.findUnique({ where: { orgId_pullRequestId_externalId: { orgId, pullRequestId, externalId: String(comment.pull_request_review_id) } } })
    : null;
  const data = { authorId, body: comment.body, path: comment.path ?? null, createdAt: new Date(comment.created_at), reviewId: review?.id ?? null };
  await tx.reviewComment.upsert({ where: key, create: { orgId, pullRequestId, externalId: String(comment.id), ...data }, update: data });
}
