import { Prisma } from '../db/generated/client.ts';
import { inWeeks, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type MetricFamily, type ScopedSqlRow } from './family.ts';
import { teamOfChange, weekOf } from './sql.ts';

/**
 * Lines added and AI-attributed lines added (docs/metrics.md#lines-added): commits on the
 * default branch, in the week of their committer date, excluding merge commits (more than one
 * parent) and bot-authored commits, for the team of the commit author at commit time.
 */
export const linesAdded: MetricFamily<{ linesAdded: number; aiLinesAdded: number }> = {
  empty: { linesAdded: 0, aiLinesAdded: 0 },
  async compute(w) {
    const rows = await w.db.$queryRaw<(ScopedSqlRow & { lines: bigint; ai_lines: bigint })[]>`
      SELECT ${SCOPE_COLUMNS}, sum(additions) AS lines, sum(ai_additions) AS ai_lines FROM (
        SELECT ${weekOf(Prisma.sql`c."committedAt"`, w.timeZone)} AS week,
               c.additions, c."aiAdditions" AS ai_additions,
               ${teamOfChange(w.orgId, Prisma.sql`c."authorId"`, Prisma.sql`c."committedAt"`, Prisma.sql`r."defaultTeamId"`)} AS team_id
        FROM "Commit" c
        JOIN "Repository" r ON r."orgId" = c."orgId" AND r.id = c."repositoryId"
        LEFT JOIN "Person" a ON a."orgId" = c."orgId" AND a.id = c."authorId"
        WHERE c."orgId" = ${w.orgId} AND c."onDefaultBranch" AND c."parentCount" <= 1
          AND NOT COALESCE(a."isBot", false)
      ) landed
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({ linesAdded: Number(r.lines), aiLinesAdded: Number(r.ai_lines) }));
  },
};
