import { Prisma } from '../db/generated/client.ts';
import { inRange, inWeeks, num, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type MetricFamily, type ScopedSqlRow, type TimeRange } from './family.ts';
import { hoursBetween, humanReviewsBeforeMerge, p50, PR_PHASE_COLUMNS, PR_PHASE_P50S, type PhaseP50Row } from './pr-cycle-time-phases.ts';
import { teamOfChange, weekOf } from './sql.ts';

export type TicketToMergeFigures = {
  ticketsMerged: number;
  ticketToMergeP50Hours: number | null;
  ticketToMergeP85Hours: number | null;
  ticketToMergeMeanHours: number | null;
  ticketCycleWaitingP50Hours: number | null;
  ticketCycleCodingP50Hours: number | null;
  ticketCyclePickupP50Hours: number | null;
  ticketCycleReviewP50Hours: number | null;
  ticketCycleMergeP50Hours: number | null;
};

/**
 * `AND l."ticketId" IN (...)`: tickets with a linked pull request merged in the range, the only
 * ones whose last merge can be in it. Their last merge is still taken over all their links, so
 * the prefilter changes which tickets are looked at, never which PR is last. Empty without a range.
 */
export function ticketsMergedIn(orgId: string, range: Partial<TimeRange> | undefined): Prisma.Sql {
  if (!range?.from || !range.to) return Prisma.empty;
  return Prisma.sql`AND l."ticketId" IN (
    SELECT cl."ticketId" FROM "PullRequest" cp
    JOIN "TicketPullRequestLink" cl ON cl."orgId" = cp."orgId" AND cl."pullRequestId" = cp.id
    WHERE cp."orgId" = ${orgId} AND ${inRange(Prisma.sql`cp."mergedAt"`, range)})`;
}

/**
 * CTEs `linked, last_merge` (to follow a WITH): every ticket's last merged linked pull request
 * (latest merge, then lowest id) with its author and its repository's default team, the PR that
 * places a ticket in a week and a team. `noneOpen` leaves out tickets with a linked PR still open
 * (ticket-to-merge); `scope` is a prefilter on tickets (ticketsMergedIn, ticketsDoneIn).
 */
export function lastMergeCtes(orgId: string, { scope = Prisma.empty, noneOpen }: { scope?: Prisma.Sql; noneOpen: boolean }): Prisma.Sql {
  return Prisma.sql`
    linked AS (
      SELECT DISTINCT l."ticketId", p.id, p.state, p."mergedAt", p."authorId", r."defaultTeamId"
      FROM "TicketPullRequestLink" l
      JOIN "PullRequest" p ON p."orgId" = l."orgId" AND p.id = l."pullRequestId"
      JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
      WHERE l."orgId" = ${orgId} ${scope}
    ),
    last_merge AS (
      SELECT DISTINCT ON ("ticketId") "ticketId", id, "mergedAt", "authorId", "defaultTeamId"
      FROM linked
      WHERE "mergedAt" IS NOT NULL
        ${noneOpen ? Prisma.sql`AND "ticketId" NOT IN (SELECT "ticketId" FROM linked WHERE state = 'open')` : Prisma.empty}
      ORDER BY "ticketId", "mergedAt" DESC, id
    )`;
}

/**
 * Ticket-to-merge cycle time (docs/metrics.md#ticket-to-merge-cycle-time): from the ticket's
 * start to the merge of its last linked pull request, for tickets with at least one merged
 * linked PR and no linked PR still open. Start is the ticket's creation, or with
 * cycleTimeStart 'in_progress' its first move to in progress (creation when it never moved).
 * Counted in the week of that last merge, for the team of that PR's change; bot-authored last
 * PRs and negative durations are excluded. p50 is the interpolated median (percentile_cont).
 * Phases: waiting (ticket start → first commit of that last PR), then that PR's phases
 * (docs/metrics.md#pr-phases), each p50 over the counted tickets whose phase is known.
 */
export const ticketToMerge: MetricFamily<TicketToMergeFigures> = {
  empty: {
    ticketsMerged: 0, ticketToMergeP50Hours: null, ticketToMergeP85Hours: null, ticketToMergeMeanHours: null,
    ticketCycleWaitingP50Hours: null, ticketCycleCodingP50Hours: null, ticketCyclePickupP50Hours: null, ticketCycleReviewP50Hours: null, ticketCycleMergeP50Hours: null,
  },
  async compute(w) {
    const start = w.cycleTimeStart === 'created' ? Prisma.sql`t."createdAt"` : Prisma.sql`COALESCE(t."startedAt", t."createdAt")`;
    const range = rangeOf(w);
    type Row = ScopedSqlRow & PhaseP50Row & { n: bigint; p50: number | null; p85: number | null; mean: Prisma.Decimal | null; waiting_p50: number | null };
    const rows = await w.db.$queryRaw<Row[]>`
      WITH ${lastMergeCtes(w.orgId, { scope: ticketsMergedIn(w.orgId, range), noneOpen: true })},
      cycles AS (
        SELECT ${weekOf(Prisma.sql`m."mergedAt"`, w.timeZone)} AS week,
               ${teamOfChange(w.orgId, Prisma.sql`m."authorId"`, Prisma.sql`m."mergedAt"`, Prisma.sql`m."defaultTeamId"`)} AS team_id,
               extract(epoch FROM (m."mergedAt" - ${start})) / 3600.0 AS hours,
               ${hoursBetween(start, Prisma.sql`p."firstCommitAt"`)} AS waiting_hours,
               ${PR_PHASE_COLUMNS}
        FROM last_merge m
        JOIN "Ticket" t ON t."orgId" = ${w.orgId} AND t.id = m."ticketId"
        JOIN "PullRequest" p ON p."orgId" = ${w.orgId} AND p.id = m.id
        LEFT JOIN "Person" a ON a."orgId" = ${w.orgId} AND a.id = m."authorId"
        ${humanReviewsBeforeMerge(w.orgId)}
        WHERE NOT COALESCE(a."isBot", false) AND m."mergedAt" >= ${start} AND ${inRange(Prisma.sql`m."mergedAt"`, range)}
      )
      SELECT ${SCOPE_COLUMNS}, count(*) AS n, ${p50(Prisma.sql`hours`)} AS p50,
             percentile_cont(0.85) WITHIN GROUP (ORDER BY hours) AS p85, avg(hours) AS mean,
             ${p50(Prisma.sql`waiting_hours`)} AS waiting_p50, ${PR_PHASE_P50S}
      FROM cycles
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({
      ticketsMerged: Number(r.n),
      ticketToMergeP50Hours: num(r.p50),
      ticketToMergeP85Hours: num(r.p85),
      ticketToMergeMeanHours: num(r.mean),
      ticketCycleWaitingP50Hours: num(r.waiting_p50),
      ticketCycleCodingP50Hours: num(r.coding_p50),
      ticketCyclePickupP50Hours: num(r.pickup_p50),
      ticketCycleReviewP50Hours: num(r.review_p50),
      ticketCycleMergeP50Hours: num(r.merge_p50),
    }));
  },
};
