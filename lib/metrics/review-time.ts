import { Prisma } from '../db/generated/client.ts';
import { inRange, inWeeks, num, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type FamilyInput, type MetricFamily, type ScopedSqlRow, type TimeRange } from './family.ts';
import { hoursBetween, humanReviewsBeforeMerge, p50, READY_AT } from './pr-cycle-time-phases.ts';
import { isAiPullRequest, teamOfChange, weekOf } from './sql.ts';

// Each figure comes three times: all pull requests, AI pull requests (`...Ai`) and the others
// (`...Human`), by docs/metrics.md#ai-pull-requests.
const SPLITS = [
  { suffix: '', filter: Prisma.sql`true` },
  { suffix: 'Ai', filter: Prisma.sql`is_ai` },
  { suffix: 'Human', filter: Prisma.sql`NOT is_ai` },
] as const;

const COUNTS = ['prsMergedWithoutReview'] as const;
const MEASURES = ['timeToFirstReviewP50Hours', 'reviewTimeP50Hours', 'reviewsPerPr', 'reviewsPerReviewer', 'prSizeP50Lines'] as const;
type Split<K extends string> = K | `${K}Ai` | `${K}Human`;
type FigureName = (typeof COUNTS)[number] | (typeof MEASURES)[number];

export type ReviewFigures = Record<Split<(typeof COUNTS)[number]>, number> & Record<Split<(typeof MEASURES)[number]>, number | null>;

/** Each figure's aggregate over the rows selected by `f` (a split's filter). */
const AGGREGATES: Record<FigureName, (f: Prisma.Sql) => Prisma.Sql> = {
  prsMergedWithoutReview: (f) => Prisma.sql`count(*) FILTER (WHERE unreviewed AND ${f})`,
  timeToFirstReviewP50Hours: (f) => Prisma.sql`${p50(Prisma.sql`to_first_review_hours`)} FILTER (WHERE ${f})`,
  reviewTimeP50Hours: (f) => Prisma.sql`${p50(Prisma.sql`review_hours`)} FILTER (WHERE ${f})`,
  reviewsPerPr: (f) => Prisma.sql`avg(reviews) FILTER (WHERE ${f})`,
  reviewsPerReviewer: (f) => Prisma.sql`count(reviewer_id) FILTER (WHERE ${f})::float8 / NULLIF(count(DISTINCT reviewer_id) FILTER (WHERE ${f}), 0)`,
  prSizeP50Lines: (f) => Prisma.sql`${p50(Prisma.sql`size_lines`)} FILTER (WHERE ${f})`,
};
const NAMES = [...COUNTS, ...MEASURES].flatMap((name) => SPLITS.map((s) => ({ name, split: s, column: `${name}${s.suffix}` as Split<FigureName> })));
const isCount = (name: FigureName) => (COUNTS as readonly string[]).includes(name);

/**
 * The reviews reviewsPerReviewer counts, one row each: reviews submitted in the range by human
 * reviewers (known people, not bots, not the PR's author) on pull requests of non-bot authors:
 * `week` (of the submission), `team_id` (the reviewer's team then, else the repository's default
 * team), `is_ai` (of the reviewed PR), `reviewer_id`, then `columns` over v (the review), rp (the
 * reviewer), p (the PR), r (its repository), a (its author). Shared by the family and its drill-down.
 */
export function submittedReviewRows(w: Pick<FamilyInput, 'orgId' | 'timeZone' | 'countWeakAiSignals'> & TimeRange, columns: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    SELECT ${weekOf(Prisma.sql`v."submittedAt"`, w.timeZone)} AS week,
           ${teamOfChange(w.orgId, Prisma.sql`v."reviewerId"`, Prisma.sql`v."submittedAt"`, Prisma.sql`r."defaultTeamId"`)} AS team_id,
           ${isAiPullRequest(Prisma.sql`p`, w.countWeakAiSignals)} AS is_ai, v."reviewerId" AS reviewer_id ${columns}
    FROM "Review" v
    JOIN "Person" rp ON rp."orgId" = v."orgId" AND rp.id = v."reviewerId"
    JOIN "PullRequest" p ON p."orgId" = v."orgId" AND p.id = v."pullRequestId"
    JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
    LEFT JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId"
    WHERE v."orgId" = ${w.orgId} AND ${inRange(Prisma.sql`v."submittedAt"`, w)} AND NOT rp."isBot" AND v."reviewerId" IS DISTINCT FROM p."authorId" AND NOT COALESCE(a."isBot", false)`;
}

/**
 * Review time per change (docs/metrics.md#review-time-per-change), split AI vs human: of pull
 * requests merged in the week (bots' and those inferred from git history excluded), time from
 * ready to first human review, from first human review to merge, human reviews per PR, size, and
 * how many merged without a human review; and of reviews submitted in the week, reviews per
 * reviewer (for the reviewer's team). One statement: merged PRs and reviews are rows of one
 * stream, each figure aggregating the rows it is about.
 */
export const reviewTime: MetricFamily<ReviewFigures> = {
  empty: Object.fromEntries(NAMES.map((n) => [n.column, isCount(n.name) ? 0 : null])) as ReviewFigures,
  async compute(w) {
    const isAi = isAiPullRequest(Prisma.sql`p`, w.countWeakAiSignals);
    const range = rangeOf(w);
    const columns = Prisma.join(NAMES.map((n) => Prisma.sql`${AGGREGATES[n.name](n.split.filter)} AS ${Prisma.raw(`"${n.column}"`)}`));
    const rows = await w.db.$queryRaw<(ScopedSqlRow & Record<string, unknown>)[]>`
      SELECT ${SCOPE_COLUMNS}, ${columns}
      FROM (
        SELECT ${weekOf(Prisma.sql`p."mergedAt"`, w.timeZone)} AS week,
               ${teamOfChange(w.orgId, Prisma.sql`p."authorId"`, Prisma.sql`p."mergedAt"`, Prisma.sql`r."defaultTeamId"`)} AS team_id,
               ${isAi} AS is_ai, NULL::uuid AS reviewer_id,
               rv.reviews, rv.first_review_at IS NULL AS unreviewed,
               ${hoursBetween(READY_AT, Prisma.sql`rv.first_review_at`)} AS to_first_review_hours,
               ${hoursBetween(Prisma.sql`rv.first_review_at`, Prisma.sql`p."mergedAt"`)} AS review_hours,
               NULLIF(p.additions + p.deletions, 0) AS size_lines
        FROM "PullRequest" p
        JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
        LEFT JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId"
        ${humanReviewsBeforeMerge(w.orgId)}
        WHERE p."orgId" = ${w.orgId} AND ${inRange(Prisma.sql`p."mergedAt"`, range)} AND NOT p."isInferred" AND NOT COALESCE(a."isBot", false)
        UNION ALL
        ${submittedReviewRows({ ...w, ...range }, Prisma.sql`, NULL, NULL, NULL, NULL, NULL`)}
      ) changes
      WHERE ${inWeeks(w.weeks)}
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => {
      const value = (column: string) => r[column] as bigint | number | Prisma.Decimal | null;
      return Object.fromEntries(NAMES.map((n) => [n.column, isCount(n.name) ? Number(value(n.column)) : num(value(n.column))])) as ReviewFigures;
    });
  },
};
