import { Prisma } from '../db/generated/client.ts';
import { JUDGING, PASSING } from './ci-first-run.ts';
import { dayInRange, inRange, type FamilyInput, type TimeRange } from './family.ts';
import { landedCommitRows } from './lines-added.ts';
import { hoursBetween, humanReviewsBeforeMerge, PR_PHASE_COLUMNS, READY_AT } from './pr-cycle-time-phases.ts';
import { mergedPrRows } from './prs-merged.ts';
import { teamOfChange, weekOf } from './sql.ts';
import { ticketsDoneIn } from './throughput.ts';
import { lastMergeCtes, ticketsMergedIn } from './ticket-to-merge.ts';

// The rows behind the weekly figures (docs/metrics.md), one statement per kind of row. Each
// selects `week` and `team_id` (as its family does) and snake_case columns that drill-down
// (drilldown.ts) renames to the answer's fields. Where a family exposes its rows (prs-merged.ts,
// lines-added.ts) they are the same SQL; the others copy their family's filters, and
// drilldown.integration.test.ts checks every figure against its rows.

/**
 * With from/to (family.ts weeksRange of the week asked), each row set keeps only rows whose anchor
 * is in the range, as its family does: the same rows, read without scanning the org's history.
 */
export type RowInput = Pick<FamilyInput, 'orgId' | 'timeZone' | 'cycleTimeStart' | 'countWeakAiSignals'> & Partial<TimeRange>;

/**
 * Merged pull requests (prs-merged.ts's rows) with their review, phases and evidence, and the
 * first-run verdict of their final head commit as ci-first-run.ts judges a head: every judging
 * first attempt passed (null when none finished).
 */
export function pullRequestRows(w: RowInput): Prisma.Sql {
  return mergedPrRows(
    w,
    Prisma.sql`, p.id, r.owner || '/' || r.name AS repository, p.number, p.title, p.url, a."displayName" AS author,
      p."createdAt" AS created_at, ${READY_AT} AS ready_at, p."firstCommitAt" AS first_commit_at, p."mergedAt" AS merged_at,
      rv.first_review_at, rv.approved_at, rv.reviews, p."isInferred" AS is_inferred,
      p.additions, p.deletions, NULLIF(p.additions + p.deletions, 0) AS size,
      ${hoursBetween(Prisma.sql`LEAST(p."firstCommitAt", p."createdAt")`, Prisma.sql`p."mergedAt"`)} AS cycle_hours,
      ${PR_PHASE_COLUMNS},
      ${hoursBetween(Prisma.sql`rv.first_review_at`, Prisma.sql`p."mergedAt"`)} AS first_review_to_merge_hours,
      p."aiEvidence" AS ai_evidence,
      (SELECT bool_and(ci.conclusion IN ${PASSING}) FROM "CiRun" ci
        WHERE ci."orgId" = p."orgId" AND ci."repositoryId" = p."repositoryId" AND ci."headSha" = p."headSha"
          AND ci."runAttempt" = 1 AND ci.conclusion IN ${JUDGING}) AS first_run_passed`,
    humanReviewsBeforeMerge(w.orgId),
  );
}

/**
 * Tickets with their last merged linked pull request, as ticket-to-merge.ts counts them
 * (`merged`: no linked PR still open, in the week of that merge, start not after it) or as
 * throughput.ts's ticketsDone does (`done`: in the week of the ticket's move to done).
 */
export function ticketRows(w: RowInput, set: 'merged' | 'done'): Prisma.Sql {
  const start = w.cycleTimeStart === 'created' ? Prisma.sql`t."createdAt"` : Prisma.sql`COALESCE(t."startedAt", t."createdAt")`;
  const counted = set === 'merged'
    ? Prisma.sql`m."mergedAt" >= ${start} AND ${inRange(Prisma.sql`m."mergedAt"`, w)}`
    : Prisma.sql`t."doneAt" IS NOT NULL AND ${inRange(Prisma.sql`t."doneAt"`, w)}`;
  const scope = set === 'merged' ? ticketsMergedIn(w.orgId, w) : ticketsDoneIn(w.orgId, w);
  return Prisma.sql`
    WITH ${lastMergeCtes(w.orgId, { scope, noneOpen: set === 'merged' })}
    SELECT ${weekOf(set === 'merged' ? Prisma.sql`m."mergedAt"` : Prisma.sql`t."doneAt"`, w.timeZone)} AS week,
           ${teamOfChange(w.orgId, Prisma.sql`m."authorId"`, Prisma.sql`m."mergedAt"`, Prisma.sql`m."defaultTeamId"`)} AS team_id,
           t.id, t.key, t.title, t.url, t.source::text AS source, t."statusCategory"::text AS status,
           ${start} AS start, t."doneAt" AS done_at,
           pr.owner || '/' || pr.name AS last_pr_repository, p.number AS last_pr_number, p.url AS last_pr_url, p."mergedAt" AS last_pr_merged_at,
           ${hoursBetween(start, Prisma.sql`p."mergedAt"`)} AS cycle_hours,
           ${hoursBetween(start, Prisma.sql`p."firstCommitAt"`)} AS waiting_hours,
           ${PR_PHASE_COLUMNS}
    FROM last_merge m
    JOIN "Ticket" t ON t."orgId" = ${w.orgId} AND t.id = m."ticketId"
    JOIN "PullRequest" p ON p."orgId" = ${w.orgId} AND p.id = m.id
    JOIN "Repository" pr ON pr."orgId" = ${w.orgId} AND pr.id = p."repositoryId"
    LEFT JOIN "Person" a ON a."orgId" = ${w.orgId} AND a.id = m."authorId"
    ${humanReviewsBeforeMerge(w.orgId)}
    WHERE NOT COALESCE(a."isBot", false) AND ${counted}`;
}

/** Commits landed (lines-added.ts's rows) with their message and evidence. */
export function commitRows(w: RowInput): Prisma.Sql {
  return landedCommitRows(
    w,
    Prisma.sql`, c.id, c.sha, r.owner || '/' || r.name AS repository, split_part(c.message, E'\n', 1) AS message,
      COALESCE(a."displayName", c."authorName", c."authorEmail") AS author, c."committedAt" AS committed_at,
      c."aiEvidence" AS ai_evidence,
      CASE r.provider WHEN 'github' THEN rtrim(r.url, '/') || '/commit/' || c.sha WHEN 'gitlab' THEN rtrim(r.url, '/') || '/-/commit/' || c.sha END AS url`,
  );
}

/** AI tool usage per person/day/tool/model (generation-ai-usage.ts's rows). */
export function aiUsageRows(w: RowInput): Prisma.Sql {
  const noonUtc = Prisma.sql`((u.day::timestamp + interval '12 hours') AT TIME ZONE 'UTC')`;
  const used = Prisma.sql`GREATEST(u."tokensIn", u."tokensOut", u."tokensCacheRead", u."tokensCacheWrite", u."costUsd",
    u."linesSuggested", u."linesAccepted", u."linesAdded", u."linesRemoved", u.suggestions, u.acceptances, u.requests,
    u.commits, u."pullRequests", u.sessions, u."activeSeconds") > 0`;
  return Prisma.sql`
    SELECT date_trunc('week', u.day::timestamp)::date AS week,
           ${teamOfChange(w.orgId, Prisma.sql`person.id`, noonUtc, Prisma.sql`NULL::text`)} AS team_id,
           u.id, to_char(u.day, 'YYYY-MM-DD') AS day, u.tool::text AS tool, u.model, u."identityKey" AS identity_key,
           person.id AS person_id, shown."displayName" AS person,
           u."tokensIn" + u."tokensOut" + u."tokensCacheRead" + u."tokensCacheWrite" AS tokens,
           u."tokensIn" AS tokens_in, u."tokensOut" AS tokens_out, u."tokensCacheRead" AS tokens_cache_read, u."tokensCacheWrite" AS tokens_cache_write,
           u."costUsd" AS cost_usd, u."linesSuggested" AS lines_suggested, u."linesAccepted" AS lines_accepted, ${used} AS used
    FROM "AiUsageDaily" u
    LEFT JOIN "Person" person ON person."orgId" = u."orgId" AND person.id = u."personId" AND NOT person."isBot"
    LEFT JOIN "Person" shown ON shown."orgId" = u."orgId" AND shown.id = u."personId"
    WHERE u."orgId" = ${w.orgId} AND ${dayInRange(Prisma.sql`u.day`, w)}`;
}
