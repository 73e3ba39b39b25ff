import { Prisma } from '../db/generated/client.ts';
import { inRange, inWeeks, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type FamilyInput, type MetricFamily, type ScopedSqlRow, type TimeRange } from './family.ts';
import { teamOfChange, weekOf } from './sql.ts';

type Landed = { commits: number; aiCommits: number; linesAdded: number; aiLinesAdded: number };

/**
 * The commits commits landed counts, one row each: `week`, `is_ai`, `additions`, `ai_additions`,
 * `team_id`, then `columns` (over aliases c: the commit, r: its repository, a: its author); only
 * commits committed in `w`'s from/to when it has them (family.ts inRange).
 * Shared by the family and its drill-down (drilldown-rows.ts), so both see the same rows.
 */
export function landedCommitRows(w: Pick<FamilyInput, 'orgId' | 'timeZone'> & Partial<TimeRange>, columns: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    SELECT ${weekOf(Prisma.sql`c."committedAt"`, w.timeZone)} AS week,
           c."isAi" AS is_ai, c.additions, c."aiAdditions" AS ai_additions,
           ${teamOfChange(w.orgId, Prisma.sql`c."authorId"`, Prisma.sql`c."committedAt"`, Prisma.sql`r."defaultTeamId"`)} AS team_id
           ${columns}
    FROM "Commit" c
    JOIN "Repository" r ON r."orgId" = c."orgId" AND r.id = c."repositoryId"
    LEFT JOIN "Person" a ON a."orgId" = c."orgId" AND a.id = c."authorId"
    WHERE c."orgId" = ${w.orgId} AND ${inRange(Prisma.sql`c."committedAt"`, w)} AND c."onDefaultBranch" AND c."parentCount" <= 1
      AND NOT COALESCE(a."isBot", false)`;
}

/**
 * Commits landed and lines added (docs/metrics.md#commits-landed, #lines-added): commits on the
 * default branch, in the week of their committer date, excluding merge commits (more than one
 * parent) and bot-authored commits, for the team of the commit author at commit time: how many
 * (and how many marked AI, `isAi`), and their added lines (and the AI-attributed ones).
 */
export const commitsLanded: MetricFamily<Landed> = {
  empty: { commits: 0, aiCommits: 0, linesAdded: 0, aiLinesAdded: 0 },
  async compute(w) {
    const rows = await w.db.$queryRaw<(ScopedSqlRow & { n: bigint; ai: bigint; lines: bigint; ai_lines: bigint })[]>`
      SELECT ${SCOPE_COLUMNS}, count(*) AS n, count(*) FILTER (WHERE is_ai) AS ai,
             sum(additions) AS lines, sum(ai_additions) AS ai_lines FROM (${landedCommitRows({ ...w, ...rangeOf(w) })}) landed
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({ commits: Number(r.n), aiCommits: Number(r.ai), linesAdded: Number(r.lines), aiLinesAdded: Number(r.ai_lines) }));
  },
};
