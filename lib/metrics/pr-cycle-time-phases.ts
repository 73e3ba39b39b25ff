import { Prisma } from '../db/generated/client.ts';

// The phases of a merged pull request (docs/metrics.md#pr-phases), shared by PR cycle time,
// ticket-to-merge and review time so that each phase has one definition.

/**
 * Hours from `start` to `end`, unrounded; null when either is missing or `end` is before `start`
 * (a negative duration is left out of its figure, never counted as 0).
 */
export function hoursBetween(start: Prisma.Sql, end: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN ${end} >= ${start} THEN extract(epoch FROM (${end} - ${start})) / 3600.0 END`;
}

/**
 * `LEFT JOIN LATERAL ... AS rv`: the human review of pull request `p` up to its merge, from reviews
 * submitted no later than `p.mergedAt` by a known person who is neither its author nor a bot:
 * `rv.first_review_at`, `rv.approved_at` (the first approving review) and `rv.reviews` (how many).
 * Like PullRequest.firstReviewAt/approvedAt, but a bot's review (a review app) is not a review.
 */
export function humanReviewsBeforeMerge(orgId: string): Prisma.Sql {
  return Prisma.sql`LEFT JOIN LATERAL (
    SELECT min(v."submittedAt") AS first_review_at,
           min(v."submittedAt") FILTER (WHERE v.state = 'approved') AS approved_at,
           count(*) AS reviews
    FROM "Review" v
    JOIN "Person" rp ON rp."orgId" = v."orgId" AND rp.id = v."reviewerId"
    WHERE v."orgId" = ${orgId} AND v."pullRequestId" = p.id AND v."submittedAt" <= p."mergedAt"
      AND NOT rp."isBot" AND v."reviewerId" IS DISTINCT FROM p."authorId"
  ) rv ON true`;
}

/** When `p` was ready for review: it left draft, or was opened ready. */
export const READY_AT = Prisma.sql`COALESCE(p."readyAt", p."createdAt")`;

/**
 * The four phases of merged pull request `p` (with `rv` from humanReviewsBeforeMerge), in hours:
 * coding (first commit → opened; unknown for PRs inferred from git history, which were never
 * seen opened), pickup (ready → first review), review (first review → approval) and merge
 * (approval → merge). A phase missing an end, or negative, is null.
 */
export const PR_PHASE_COLUMNS = Prisma.sql`
  CASE WHEN NOT p."isInferred" THEN ${hoursBetween(Prisma.sql`p."firstCommitAt"`, Prisma.sql`p."createdAt"`)} END AS coding_hours,
  ${hoursBetween(READY_AT, Prisma.sql`rv.first_review_at`)} AS pickup_hours,
  ${hoursBetween(Prisma.sql`rv.first_review_at`, Prisma.sql`rv.approved_at`)} AS review_hours,
  ${hoursBetween(Prisma.sql`rv.approved_at`, Prisma.sql`p."mergedAt"`)} AS merge_hours`;

/** The interpolated median of `column` (nulls ignored; null when none). */
export function p50(column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`percentile_cont(0.5) WITHIN GROUP (ORDER BY ${column})`;
}

/** p50 of each phase of PR_PHASE_COLUMNS, as coding_p50, pickup_p50, review_p50, merge_p50. */
export const PR_PHASE_P50S = Prisma.sql`
  ${p50(Prisma.sql`coding_hours`)} AS coding_p50, ${p50(Prisma.sql`pickup_hours`)} AS pickup_p50,
  ${p50(Prisma.sql`review_hours`)} AS review_p50, ${p50(Prisma.sql`merge_hours`)} AS merge_p50`;

export interface PhaseP50Row {
  coding_p50: number | null;
  pickup_p50: number | null;
  review_p50: number | null;
  merge_p50: number | null;
}
