import type { Prisma } from '../db/generated/client.ts';

/**
 * A pull request's review times, recomputed from its stored reviews (so any delivery order gives
 * the same result): first review = earliest review by someone other than the author; approval =
 * earliest approving review by someone other than the author. Dismissed reviews keep their time
 * as a review but no longer approve.
 */
export async function refreshReviewTimes(tx: Prisma.TransactionClient, orgId: string, pullRequestId: string): Promise<void> {
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
