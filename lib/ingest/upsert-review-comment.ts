import { uuidV7 } from '../db/ids.ts';
import type { Sql } from '../db/sql.ts';

interface ReviewCommentData {
  authorId: string | null;
  body: string;
  path: string | null;
  createdAt: Date;
  /** The source's id of the review the comment belongs to; linked when that review is stored. */
  reviewExternalId: string | null;
}

/** Stores a comment of a pull request (a review's line comment or a conversation comment) by its source id. */
export async function upsertReviewComment(sql: Sql, orgId: string, pullRequestId: string, externalId: string, data: ReviewCommentData): Promise<void> {
  await sql.execute`
    INSERT INTO "ReviewComment" ("orgId", id, "pullRequestId", "externalId", "authorId", body, path, "createdAt", "reviewId")
    VALUES (${orgId}::uuid, ${uuidV7()}::uuid, ${pullRequestId}::uuid, ${externalId}, ${data.authorId}::uuid, ${data.body}, ${data.path},
            ${data.createdAt}::timestamptz,
            (SELECT id FROM "Review" WHERE "orgId" = ${orgId}::uuid AND "pullRequestId" = ${pullRequestId}::uuid AND "externalId" = ${data.reviewExternalId}::text))
    ON CONFLICT ("orgId", "pullRequestId", "externalId") DO UPDATE
      SET "authorId" = EXCLUDED."authorId", body = EXCLUDED.body, path = EXCLUDED.path, "createdAt" = EXCLUDED."createdAt", "reviewId" = EXCLUDED."reviewId"`;
}
