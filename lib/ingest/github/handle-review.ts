import type { Prisma } from '../../db/generated/client.ts';
import type { HandlerInput } from '../handlers.ts';
import { upsertPullRequest } from './handle-pull-request.ts';
import { githubReviewCommentEventSchema, githubReviewEventSchema } from './payload-schemas.ts';
import { upsertGithubPerson } from './upsert-github-entities.ts';

/**
 * A pull request's review times, recomputed from its stored reviews (so any delivery order gives
 * the same result): first review = earliest review by someone other than the author; approval =
 * earliest approving review by someone other than the author. Dismissed reviews keep their time
 * as a review but no longer approve.
 */
async function refreshReviewTimes(tx: Prisma.TransactionClient, orgId: string, pullRequestId: string): Promise<void> {
  const pr = await tx.pullRequest.findUniqueOrThrow({ where: { orgId_id: { orgId, id: pullRequestId } } });
  const reviews = await tx.review.findMany({
    where: { orgId, pullRequestId, ...(pr.authorId ? { NOT: { reviewerId: pr.authorId } } : {}) },
    orderBy: { submittedAt: 'asc' },
  });
  await tx.pullRequest.update({
    where: { orgId_id: { orgId, id: pullRequestId } },
    data: { firstReviewAt: reviews[0]?.submittedAt ?? null, approvedAt: reviews.find((r) => r.state === 'approved')?.submittedAt ?? null },
  });
}

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
