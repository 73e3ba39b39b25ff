import { Prisma } from '../db/generated/client.ts';
import { hoursBetween, humanReviewsBeforeMerge, READY_AT } from './pr-cycle-time-phases.ts';
import { teamOfChange } from './sql.ts';
import { lastMergeCtes, ticketsMergedIn } from './ticket-to-merge.ts';

// The per-item values behind the p50 figures, one row per (item, metric), for statistics over a
// period rather than a week: before/after an annotation (compare.ts) and the 4-week medians of the
// distortion warning (distortion.ts). Each metric keeps its family's definition (same rows, same
// exclusions, same team of the change); only the grouping differs.

export const ITEM_METRICS = ['ticketToMergeHours', 'prCycleHours', 'timeToFirstReviewHours', 'reviewTimeHours', 'prSizeLines'] as const;
export type ItemMetric = (typeof ITEM_METRICS)[number];

export interface ItemsInput {
  orgId: string;
  cycleTimeStart: 'created' | 'in_progress';
  /** Only items whose end event falls in [from, to) (instants; callers narrow to local dates after). */
  from: Date;
  to: Date;
}

/**
 * A subquery of `(metric, team_id, at, value)`: `at` is the instant that places the item in a week
 * (the merge), `team_id` the team of the change at that instant (null: no team). Values that are
 * unknown or negative are left out, as in the weekly figures.
 * - ticketToMergeHours: as ticket-to-merge.ts (last linked PR merged, none open, not a bot's, start per cycleTimeStart).
 * - prCycleHours: as pr-cycle-time.ts. - timeToFirstReviewHours, reviewTimeHours, prSizeLines: as review-time.ts
 *   (PRs inferred from git history left out).
 */
export function itemValues(w: ItemsInput): Prisma.Sql {
  const start = w.cycleTimeStart === 'created' ? Prisma.sql`t."createdAt"` : Prisma.sql`COALESCE(t."startedAt", t."createdAt")`;
  return Prisma.sql`(
    WITH merged AS (
      SELECT p.*, r."defaultTeamId", rv.first_review_at,
             ${teamOfChange(w.orgId, Prisma.sql`p."authorId"`, Prisma.sql`p."mergedAt"`, Prisma.sql`r."defaultTeamId"`)} AS team_id
      FROM "PullRequest" p
      JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
      LEFT JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId"
      ${humanReviewsBeforeMerge(w.orgId)}
      WHERE p."orgId" = ${w.orgId} AND p."mergedAt" >= ${w.from} AND p."mergedAt" < ${w.to} AND NOT COALESCE(a."isBot", false)
    ),
    ${lastMergeCtes(w.orgId, { scope: ticketsMergedIn(w.orgId, w), noneOpen: true })}
    SELECT 'ticketToMergeHours'::text AS metric, m.team_id, m."mergedAt" AS at,
           extract(epoch FROM (m."mergedAt" - ${start}))::float8 / 3600.0 AS value
    FROM last_merge lm
    JOIN merged m ON m.id = lm.id
    JOIN "Ticket" t ON t."orgId" = ${w.orgId} AND t.id = lm."ticketId"
    WHERE m."mergedAt" >= ${start}
    UNION ALL
    SELECT x.metric, p.team_id, p."mergedAt", x.value::float8
    FROM merged p
    CROSS JOIN LATERAL (VALUES
      ('prCycleHours', ${hoursBetween(Prisma.sql`LEAST(p."firstCommitAt", p."createdAt")`, Prisma.sql`p."mergedAt"`)}),
      ('timeToFirstReviewHours', CASE WHEN NOT p."isInferred" THEN ${hoursBetween(READY_AT, Prisma.sql`p.first_review_at`)} END),
      ('reviewTimeHours', CASE WHEN NOT p."isInferred" THEN ${hoursBetween(Prisma.sql`p.first_review_at`, Prisma.sql`p."mergedAt"`)} END),
      ('prSizeLines', CASE WHEN NOT p."isInferred" THEN NULLIF(p.additions + p.deletions, 0) END)
    ) AS x(metric, value)
    WHERE x.value IS NOT NULL
  )`;
}
