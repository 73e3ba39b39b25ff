import { Prisma } from '../db/generated/client.ts';
import { inRange, inWeeks, num, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type MetricFamily, type ScopedSqlRow } from './family.ts';
import { hoursBetween, humanReviewsBeforeMerge, p50, PR_PHASE_COLUMNS, PR_PHASE_P50S, type PhaseP50Row } from './pr-cycle-time-phases.ts';
import { teamOfChange, weekOf } from './sql.ts';

export type PrCycleFigures = {
  prCycleP50Hours: number | null;
  prCycleP85Hours: number | null;
  prCycleMeanHours: number | null;
  prCycleCodingP50Hours: number | null;
  prCyclePickupP50Hours: number | null;
  prCycleReviewP50Hours: number | null;
  prCycleMergeP50Hours: number | null;
};

/**
 * PR cycle time (docs/metrics.md#pr-cycle-time): for merged pull requests, from the earlier of
 * their first commit and their opening to their merge (DevLake's coding time + time to merge), in
 * the week of the merge, for the team of the change; bot-authored PRs are excluded. With the p50
 * of each phase (docs/metrics.md#pr-phases) over the same PRs.
 */
export const prCycleTime: MetricFamily<PrCycleFigures> = {
  empty: {
    prCycleP50Hours: null, prCycleP85Hours: null, prCycleMeanHours: null,
    prCycleCodingP50Hours: null, prCyclePickupP50Hours: null, prCycleReviewP50Hours: null, prCycleMergeP50Hours: null,
  },
  async compute(w) {
    const rows = await w.db.$queryRaw<(ScopedSqlRow & PhaseP50Row & { p50: number | null; p85: number | null; mean: Prisma.Decimal | null })[]>`
      SELECT ${SCOPE_COLUMNS},
             ${p50(Prisma.sql`cycle_hours`)} AS p50,
             percentile_cont(0.85) WITHIN GROUP (ORDER BY cycle_hours) AS p85,
             avg(cycle_hours) AS mean,
             ${PR_PHASE_P50S}
      FROM (
        SELECT ${weekOf(Prisma.sql`p."mergedAt"`, w.timeZone)} AS week,
               ${teamOfChange(w.orgId, Prisma.sql`p."authorId"`, Prisma.sql`p."mergedAt"`, Prisma.sql`r."defaultTeamId"`)} AS team_id,
               ${hoursBetween(Prisma.sql`LEAST(p."firstCommitAt", p."createdAt")`, Prisma.sql`p."mergedAt"`)} AS cycle_hours,
               ${PR_PHASE_COLUMNS}
        FROM "PullRequest" p
        JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
        LEFT JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId"
        ${humanReviewsBeforeMerge(w.orgId)}
        WHERE p."orgId" = ${w.orgId} AND ${inRange(Prisma.sql`p."mergedAt"`, rangeOf(w))} AND NOT COALESCE(a."isBot", false)
      ) merged
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({
      prCycleP50Hours: num(r.p50),
      prCycleP85Hours: num(r.p85),
      prCycleMeanHours: num(r.mean),
      prCycleCodingP50Hours: num(r.coding_p50),
      prCyclePickupP50Hours: num(r.pickup_p50),
      prCycleReviewP50Hours: num(r.review_p50),
      prCycleMergeP50Hours: num(r.merge_p50),
    }));
  },
};
