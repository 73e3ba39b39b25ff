import { uuidV7 } from '../../db/ids.ts';
import type { SqlHandlerInput } from '../handlers.ts';
import { refreshReviewTimes } from '../refresh-review-times.ts';
import { upsertPullRequest } from './handle-pull-request.ts';
import { githubReviewCommentEventSchema, githubReviewEventSchema } from './payload-schemas.ts';
import { upsertGithubPerson } from './upsert-github-entities.ts';
import { upsertReviewComment } from '../upsert-review-comment.ts';

/** `pull_request_review`: submitted, edited, dismissed. A pending (unsubmitted) review is not a review yet. */
export async function handleGithubReview({ sql, orgId, payload }: SqlHandlerInput): Promise<void> {
  const event = githubReviewEventSchema.parse(payload);
  const pullRequestId = await upsertPullRequest(sql, orgId, event);
  const { review } = event;
  if (review.state === 'pending' || !review.submitted_at) return;
  const reviewerId = review.user ? await upsertGithubPerson(sql, orgId, review.user) : null;
  await sql.execute`
    INSERT INTO "Review" ("orgId", id, "pullRequestId", "externalId", "reviewerId", state, "submittedAt", body)
    VALUES (${orgId}::uuid, ${uuidV7()}::uuid, ${pullRequestId}::uuid, ${String(review.id)}, ${reviewerId}::uuid, ${review.state}::"ReviewState",
            ${new Date(review.submitted_at)}::timestamptz, ${review.body ?? null})
    ON CONFLICT ("orgId", "pullRequestId", "externalId") DO UPDATE
      SET "reviewerId" = EXCLUDED."reviewerId", state = EXCLUDED.state, "submittedAt" = EXCLUDED."submittedAt", body = EXCLUDED.body`;
  await refreshReviewTimes(sql, orgId, pullRequestId);
}

/** `pull_request_review_comment`: created, edited, deleted (a deleted comment is removed). */
export async function handleGithubReviewComment({ sql, orgId, payload }: SqlHandlerInput): Promise<void> {
  const event = githubReviewCommentEventSchema.parse(payload);
  const pullRequestId = await upsertPullRequest(sql, orgId, event);
  const { comment } = event;
  const externalId = String(comment.id);
  if (event.action === 'deleted') {
    await sql.execute`DELETE FROM "ReviewComment" WHERE "orgId" = ${orgId}::uuid AND "pullRequestId" = ${pullRequestId}::uuid AND "externalId" = ${externalId}`;
    return;
  }
  const authorId = comment.user ? await upsertGithubPerson(sql, orgId, comment.user) : null;
  await upsertReviewComment(sql, orgId, pullRequestId, externalId, {
    authorId,
    body: comment.body,
    path: comment.path ?? null,
    createdAt: new Date(comment.created_at),
    reviewExternalId: comment.pull_request_review_id ? String(comment.pull_request_review_id) : null,
  });
}
