import type { Sql } from '../db/sql.ts';

/**
 * A pull request's review times, recomputed from its stored reviews (so any delivery order gives
 * the same result): first review = earliest review by someone other than the author; approval =
 * earliest approving review by someone other than the author. Dismissed reviews keep their time
 * as a review but no longer approve. While the author is known, a review whose reviewer is not
 * (a deleted account) is not counted either.
 */
export async function refreshReviewTimes(sql: Sql, orgId: string, pullRequestId: string): Promise<void> {
  await sql.execute`
    UPDATE "PullRequest" p SET "firstReviewAt" = r.first, "approvedAt" = r.approved
    FROM (SELECT min(rv."submittedAt") AS first, min(rv."submittedAt") FILTER (WHERE rv.state = 'approved') AS approved
          FROM "PullRequest" pr JOIN "Review" rv ON rv."orgId" = pr."orgId" AND rv."pullRequestId" = pr.id
          WHERE pr."orgId" = ${orgId}::uuid AND pr.id = ${pullRequestId}::uuid
            AND (pr."authorId" IS NULL OR rv."reviewerId" <> pr."authorId")) r
    WHERE p."orgId" = ${orgId}::uuid AND p.id = ${pullRequestId}::uuid
      AND (p."firstReviewAt", p."approvedAt") IS DISTINCT FROM (r.first, r.approved)`;
}
