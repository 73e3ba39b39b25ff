import { db } from '../db/client.ts';
import { Prisma } from '../db/generated/client.ts';
import { inWeeks, num, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type MetricFamily, type ScopedSqlRow } from './family.ts';
import { teamOfChange, weekOf } from './sql.ts';

/**
 * Ticket-to-merge cycle time (docs/metrics.md#ticket-to-merge-cycle-time): from the ticket's
 * start to the merge of its last linked pull request, for tickets with at least one merged
 * linked PR and no linked PR still open. Start is the ticket's creation, or with
 * cycleTimeStart 'in_progress' its first move to in progress (creation when it never moved).
 * Counted in the week of that last merge, for the team of that PR's change; bot-authored last
 * PRs and negative durations are excluded. p50 is the interpolated median (percentile_cont).
 */
export const ticketToMerge: MetricFamily<{ ticketsMerged: number; ticketToMergeP50Hours: number | null }> = {
  empty: { ticketsMerged: 0, ticketToMergeP50Hours: null },
  async compute(w) {
    const start = w.cycleTimeStart === 'created' ? Prisma.sql`t."createdAt"` : Prisma.sql`COALESCE(t."startedAt", t."createdAt")`;
    const rows = await db().$queryRaw<(ScopedSqlRow & { n: bigint; p50: number | null })[]>`
      WITH linked AS (
        SELECT DISTINCT l."ticketId", p.id, p.state, p."mergedAt", p."authorId", r."defaultTeamId"
        FROM "TicketPullRequestLink" l
        JOIN "PullRequest" p ON p."orgId" = l."orgId" AND p.id = l."pullRequestId"
        JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
        WHERE l."orgId" = ${w.orgId}
      ),
      last_merge AS (
        SELECT DISTINCT ON ("ticketId") "ticketId", id, "mergedAt", "authorId", "defaultTeamId"
        FROM linked
        WHERE "mergedAt" IS NOT NULL
          AND "ticketId" NOT IN (SELECT "ticketId" FROM linked WHERE state = 'open')
        ORDER BY "ticketId", "mergedAt" DESC, id
      ),
      cycles AS (
        SELECT ${weekOf(Prisma.sql`m."mergedAt"`, w.timeZone)} AS week,
               ${teamOfChange(w.orgId, Prisma.sql`m."authorId"`, Prisma.sql`m."mergedAt"`, Prisma.sql`m."defaultTeamId"`)} AS team_id,
               extract(epoch FROM (m."mergedAt" - ${start})) / 3600.0 AS hours
        FROM last_merge m
        JOIN "Ticket" t ON t."orgId" = ${w.orgId} AND t.id = m."ticketId"
        LEFT JOIN "Person" a ON a."orgId" = ${w.orgId} AND a.id = m."authorId"
        WHERE NOT COALESCE(a."isBot", false) AND m."mergedAt" >= ${start}
      )
      SELECT ${SCOPE_COLUMNS}, count(*) AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) AS p50
      FROM cycles
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({ ticketsMerged: Number(r.n), ticketToMergeP50Hours: num(r.p50) }));
  },
};
