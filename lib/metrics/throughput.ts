import { Prisma } from '../db/generated/client.ts';
import { inRange, inWeeks, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type FamilyInput, type MetricFamily, type ScopedSqlRow, type TimeRange } from './family.ts';
import { teamOfChange, weekOf } from './sql.ts';
import { lastMergeCtes } from './ticket-to-merge.ts';

/**
 * `AND l."ticketId" IN (...)`: tickets done in the range (their last merge is taken over all their
 * links, as without it). Empty without a range.
 */
export function ticketsDoneIn(orgId: string, range: Partial<TimeRange> | undefined): Prisma.Sql {
  if (!range?.from || !range.to) return Prisma.empty;
  return Prisma.sql`AND l."ticketId" IN (
    SELECT dt.id FROM "Ticket" dt WHERE dt."orgId" = ${orgId} AND ${inRange(Prisma.sql`dt."doneAt"`, range)})`;
}

/**
 * Tickets done (docs/metrics.md#tickets-done): tickets whose move to done (`doneAt`, cleared when
 * reopened) falls in the week and that have at least one merged linked pull request; counted for
 * the team of the change of their last merged linked PR (as ticket-to-merge), and left out when
 * that PR is bot-authored.
 */
export const ticketsDone: MetricFamily<{ ticketsDone: number }> = {
  empty: { ticketsDone: 0 },
  async compute(w) {
    const range = rangeOf(w);
    const rows = await w.db.$queryRaw<(ScopedSqlRow & { n: bigint })[]>`
      WITH ${lastMergeCtes(w.orgId, { scope: ticketsDoneIn(w.orgId, range), noneOpen: false })}
      SELECT ${SCOPE_COLUMNS}, count(*) AS n FROM (
        SELECT ${weekOf(Prisma.sql`t."doneAt"`, w.timeZone)} AS week,
               ${teamOfChange(w.orgId, Prisma.sql`m."authorId"`, Prisma.sql`m."mergedAt"`, Prisma.sql`m."defaultTeamId"`)} AS team_id
        FROM "Ticket" t
        JOIN last_merge m ON m."ticketId" = t.id
        LEFT JOIN "Person" a ON a."orgId" = t."orgId" AND a.id = m."authorId"
        WHERE t."orgId" = ${w.orgId} AND ${inRange(Prisma.sql`t."doneAt"`, range)} AND NOT COALESCE(a."isBot", false)
      ) done
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({ ticketsDone: Number(r.n) }));
  },
};

/** One kind of activity: who did it, when, and the repository whose default team is the fallback. */
function activity(w: ActivityInput, kind: string, person: Prisma.Sql, at: Prisma.Sql, from: Prisma.Sql, where: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT ${weekOf(at, w.timeZone)} AS week, ${person} AS person_id,
           ${teamOfChange(w.orgId, person, at, Prisma.sql`r."defaultTeamId"`)} AS team_id,
           ${kind}::text AS activity, ${at} AS at
    ${from}
    WHERE ${where} AND ${inRange(at, w)} AND ${person} IS NOT NULL`;
}

type ActivityInput = Pick<FamilyInput, 'orgId' | 'timeZone'> & TimeRange;

/**
 * The activities that make people active engineers, one row each: `week`, `person_id`, `team_id`
 * (the person's team at the activity), `activity` (commit, pr_opened, pr_merged, review) and `at`;
 * bots' left out. Shared by the family and its drill-down (drilldown-rows.ts).
 */
export function activityRows(w: ActivityInput): Prisma.Sql {
  const prs = Prisma.sql`FROM "PullRequest" p JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"`;
  return Prisma.sql`
    SELECT act.* FROM (
      ${activity(w, 'commit', Prisma.sql`c."authorId"`, Prisma.sql`c."committedAt"`,
        Prisma.sql`FROM "Commit" c JOIN "Repository" r ON r."orgId" = c."orgId" AND r.id = c."repositoryId"`, Prisma.sql`c."orgId" = ${w.orgId}`)}
      UNION ALL
      ${activity(w, 'pr_opened', Prisma.sql`p."authorId"`, Prisma.sql`p."createdAt"`, prs, Prisma.sql`p."orgId" = ${w.orgId}`)}
      UNION ALL
      ${activity(w, 'pr_merged', Prisma.sql`p."authorId"`, Prisma.sql`p."mergedAt"`, prs, Prisma.sql`p."orgId" = ${w.orgId} AND p."mergedAt" IS NOT NULL`)}
      UNION ALL
      ${activity(w, 'review', Prisma.sql`v."reviewerId"`, Prisma.sql`v."submittedAt"`,
        Prisma.sql`FROM "Review" v JOIN "PullRequest" p ON p."orgId" = v."orgId" AND p.id = v."pullRequestId"
                   JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"`, Prisma.sql`v."orgId" = ${w.orgId}`)}
    ) act
    JOIN "Person" a ON a."orgId" = ${w.orgId} AND a.id = act.person_id AND NOT a."isBot"`;
}

/**
 * Active engineers (docs/metrics.md#active-engineers): distinct non-bot people who, in the week,
 * authored a commit (committer date), opened a pull request, had one merged, or submitted a review;
 * per team by their team at each activity (their membership, else the repository's default team),
 * so someone moving mid-week counts once for each team and once org-wide.
 */
export const activeEngineers: MetricFamily<{ activeEngineers: number }> = {
  empty: { activeEngineers: 0 },
  async compute(w) {
    const rows = await w.db.$queryRaw<(ScopedSqlRow & { n: bigint })[]>`
      SELECT ${SCOPE_COLUMNS}, count(DISTINCT person_id) AS n FROM (${activityRows({ ...w, ...rangeOf(w) })}) act
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({ activeEngineers: Number(r.n) }));
  },
};
