import { db } from '../db/client.ts';
import { Prisma } from '../db/generated/client.ts';
import { teamFilter, teamOfChange, weekOf, type WeekWindow } from './sql.ts';

/**
 * PRs merged (docs/metrics.md#prs-merged): pull requests with a merge time in the week,
 * excluding those authored by bots, counted for the team of the change at merge time.
 */
export async function countPrsMergedByWeek(w: WeekWindow): Promise<Map<string, number>> {
  const rows = await db().$queryRaw<{ week: Date; n: bigint }[]>`
    SELECT week, count(*) AS n FROM (
      SELECT ${weekOf(Prisma.sql`p."mergedAt"`, w.timeZone)} AS week,
             ${teamOfChange(w.orgId, Prisma.sql`p."authorId"`, Prisma.sql`p."mergedAt"`, Prisma.sql`r."defaultTeamId"`)} AS team_id
      FROM "PullRequest" p
      JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
      LEFT JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId"
      WHERE p."orgId" = ${w.orgId} AND p."mergedAt" IS NOT NULL AND NOT COALESCE(a."isBot", false)
    ) merged
    WHERE week BETWEEN ${w.fromWeek}::date AND ${w.toWeek}::date ${teamFilter(w.teamId)}
    GROUP BY week`;
  return new Map(rows.map((r) => [r.week.toISOString().slice(0, 10), Number(r.n)]));
}
