import { Prisma } from '../db/generated/client.ts';
import { inWeeks, num, rangeOf, SCOPE_COLUMNS, SCOPED_GROUP_BY, toScoped, type MetricFamily, type ScopedSqlRow } from './family.ts';
import { humanReviewsBeforeMerge } from './pr-cycle-time-phases.ts';
import { mergedPrRows } from './prs-merged.ts';

export type ReworkFigures = {
  reworkedPrs: number;
  reworkedPrsAi: number;
  reworkedPrsHuman: number;
  reworkCommitsPerPr: number | null;
  reworkCommitsPerPrAi: number | null;
  reworkCommitsPerPrHuman: number | null;
  reworkPrShare: number | null;
  reworkPrShareAi: number | null;
  reworkPrShareHuman: number | null;
};

/**
 * The rework commits of merged pull request `p` (with `rv` from humanReviewsBeforeMerge): its
 * commits authored after its first human review and no later than its merge, merge commits and
 * bots' commits left out; null when it had no human review (it is not counted). Shared by the
 * family and the drill-down's pull request rows (drilldown-rows.ts).
 */
export const REWORK_COMMITS = Prisma.sql`CASE WHEN rv.first_review_at IS NOT NULL THEN (
    SELECT count(*) FROM "PullRequestCommit" pc
    JOIN "Commit" k ON k."orgId" = pc."orgId" AND k.id = pc."commitId"
    LEFT JOIN "Person" ka ON ka."orgId" = k."orgId" AND ka.id = k."authorId"
    WHERE pc."orgId" = p."orgId" AND pc."pullRequestId" = p.id
      AND k."authoredAt" > rv.first_review_at AND k."authoredAt" <= p."mergedAt"
      AND k."parentCount" <= 1 AND NOT COALESCE(ka."isBot", false)) END`;

/**
 * Rework (docs/metrics.md#rework): of pull requests merged in the week (prs-merged.ts's rows) with
 * a human review before their merge (the review-time definition, humanReviewsBeforeMerge) and not
 * known only from git history, their REWORK_COMMITS: mean per PR, how many PRs had any, and their
 * share; split AI vs human.
 */
export const rework: MetricFamily<ReworkFigures> = {
  empty: {
    reworkedPrs: 0, reworkedPrsAi: 0, reworkedPrsHuman: 0,
    reworkCommitsPerPr: null, reworkCommitsPerPrAi: null, reworkCommitsPerPrHuman: null,
    reworkPrShare: null, reworkPrShareAi: null, reworkPrShareHuman: null,
  },
  async compute(w) {
    const splits = { all: Prisma.sql`true`, ai: Prisma.sql`is_ai`, human: Prisma.sql`NOT is_ai` };
    const aggregates = Object.entries(splits).map(
      ([name, f]) => Prisma.sql`count(*) FILTER (WHERE commits > 0 AND ${f}) AS ${Prisma.raw(`reworked_${name}`)},
        avg(commits) FILTER (WHERE ${f}) AS ${Prisma.raw(`per_pr_${name}`)},
        avg((commits > 0)::int) FILTER (WHERE ${f}) AS ${Prisma.raw(`share_${name}`)}`,
    );
    const rows = await w.db.$queryRaw<(ScopedSqlRow & Record<`${'reworked' | 'per_pr' | 'share'}_${'all' | 'ai' | 'human'}`, bigint | Prisma.Decimal | null>)[]>`
      SELECT ${SCOPE_COLUMNS}, ${Prisma.join(aggregates)}
      FROM (${mergedPrRows({ ...w, ...rangeOf(w) }, Prisma.sql`, ${REWORK_COMMITS} AS commits, p."isInferred" AS is_inferred, rv.first_review_at`, humanReviewsBeforeMerge(w.orgId))}) merged
      WHERE ${inWeeks(w.weeks)} AND NOT is_inferred AND first_review_at IS NOT NULL
      ${SCOPED_GROUP_BY}`;
    return toScoped(rows, (r) => ({
      reworkedPrs: Number(r.reworked_all), reworkedPrsAi: Number(r.reworked_ai), reworkedPrsHuman: Number(r.reworked_human),
      reworkCommitsPerPr: num(r.per_pr_all), reworkCommitsPerPrAi: num(r.per_pr_ai), reworkCommitsPerPrHuman: num(r.per_pr_human),
      reworkPrShare: num(r.share_all), reworkPrShareAi: num(r.share_ai), reworkPrShareHuman: num(r.share_human),
    }));
  },
};
