import { db } from '../db/client.ts';
import { Prisma } from '../db/generated/client.ts';
import { teamFilter, teamOfChange, weekOf, type WeekWindow } from './sql.ts';

export interface LinesAdded {
  linesAdded: number;
  aiLinesAdded: number;
}

/**
 * Lines added and AI-attributed lines added (docs/metrics.md#lines-added): commits on the
 * default branch, in the week of their committer date, excluding merge commits (more than one
 * parent) and bot-authored commits, for the team of the commit author at commit time.
 */
export async function sumLinesAddedByWeek(w: WeekWindow): Promise<Map<string, LinesAdded>> {
  const rows = await db().$queryRaw<{ week: Date; lines: bigint; ai_lines: bigint }[]>`
    SELECT week, sum(additions) AS lines, sum(ai_additions) AS ai_lines FROM (
      SELECT ${weekOf(Prisma.sql`c."committedAt"`, w.timeZone)} AS week,
             c.additions, c."aiAdditions" AS ai_additions,
             ${teamOfChange(w.orgId, Prisma.sql`c."authorId"`, Prisma.sql`c."committedAt"`, Prisma.sql`r."defaultTeamId"`)} AS team_id
      FROM "Commit" c
      JOIN "Repository" r ON r."orgId" = c."orgId" AND r.id = c."repositoryId"
      LEFT JOIN "Person" a ON a."orgId" = c."orgId" AND a.id = c."authorId"
      WHERE c."orgId" = ${w.orgId} AND c."onDefaultBranch" AND c."parentCount" <= 1
        AND NOT COALESCE(a."isBot", false)
    ) landed
    WHERE week BETWEEN ${w.fromWeek}::date AND ${w.toWeek}::date ${teamFilter(w.teamId)}
    GROUP BY week`;
  return new Map(
    rows.map((r) => [r.week.toISOString().slice(0, 10), { linesAdded: Number(r.lines), aiLinesAdded: Number(r.ai_lines) }]),
  );
}
