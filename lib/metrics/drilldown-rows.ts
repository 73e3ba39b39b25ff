import { Prisma } from '../db/generated/client.ts';
import { firstRunHeadRows, JUDGING, PASSING } from './ci-first-run.ts';
import { productionDeploymentRows } from './dora-deployments.ts';
import { deployedPrRows } from './dora-lead-time.ts';
import { restoredIncidentRows } from './dora-restore.ts';
import { dayInRange, inRange, type FamilyInput, type TimeRange } from './family.ts';
import { landedCommitRows } from './lines-added.ts';
import { hoursBetween, humanReviewsBeforeMerge, PR_PHASE_COLUMNS, READY_AT } from './pr-cycle-time-phases.ts';
import { mergedPrRows } from './prs-merged.ts';
import { revertedPrRows } from './reverts.ts';
import { submittedReviewRows } from './review-time.ts';
import { REWORK_COMMITS } from './rework.ts';
import { teamOfChange, weekOf } from './sql.ts';
import { activityRows, ticketsDoneIn } from './throughput.ts';
import { lastMergeCtes, ticketsMergedIn } from './ticket-to-merge.ts';

// The rows behind the weekly figures (docs/metrics.md), one statement per kind of row. Each
// selects `week` and `team_id` (as its family does) and snake_case columns that drill-down
// (drilldown.ts) renames to the answer's fields. Where a family exposes its rows (prs-merged.ts,
// lines-added.ts, ci-first-run.ts, reverts.ts, review-time.ts, throughput.ts, dora-*.ts) they are
// the same SQL; the others copy their family's filters, and drilldown.integration.test.ts checks
// every figure against its rows.

/**
 * From/to (family.ts weeksRange of the week asked): each row set keeps only rows whose anchor is in
 * the range, as its family does: the same rows, read without scanning the org's history.
 */
export type RowInput = Pick<FamilyInput, 'orgId' | 'timeZone' | 'cycleTimeStart' | 'countWeakAiSignals'> & TimeRange;

/**
 * A merged pull request `p` (prs-merged.ts's rows, with rv from humanReviewsBeforeMerge): its
 * review, phases and evidence, the first-run verdict of its final head commit as ci-first-run.ts
 * judges a head (every judging first attempt passed; null when none finished), and its rework
 * commits (rework.ts).
 */
const PR_COLUMNS = Prisma.sql`, p.id, r.owner || '/' || r.name AS repository, p.number, p.title, p.url, a."displayName" AS author,
      p."createdAt" AS created_at, ${READY_AT} AS ready_at, p."firstCommitAt" AS first_commit_at, p."mergedAt" AS merged_at,
      rv.first_review_at, rv.approved_at, rv.reviews, p."isInferred" AS is_inferred,
      p.additions, p.deletions, NULLIF(p.additions + p.deletions, 0) AS size,
      ${hoursBetween(Prisma.sql`LEAST(p."firstCommitAt", p."createdAt")`, Prisma.sql`p."mergedAt"`)} AS cycle_hours,
      ${PR_PHASE_COLUMNS},
      ${hoursBetween(Prisma.sql`rv.first_review_at`, Prisma.sql`p."mergedAt"`)} AS first_review_to_merge_hours,
      p."aiEvidence" AS ai_evidence,
      (SELECT bool_and(ci.conclusion IN ${PASSING}) FROM "CiRun" ci
        WHERE ci."orgId" = p."orgId" AND ci."repositoryId" = p."repositoryId" AND ci."headSha" = p."headSha"
          AND ci."runAttempt" = 1 AND ci.conclusion IN ${JUDGING}) AS first_run_passed,
      ${REWORK_COMMITS} AS rework_commits`;

/** Merged pull requests (prs-merged.ts's rows). */
export function pullRequestRows(w: RowInput): Prisma.Sql {
  return mergedPrRows(w, PR_COLUMNS, humanReviewsBeforeMerge(w.orgId));
}

/** Merged pull requests with whether, when and by what each was reverted (reverts.ts's rows). */
export function revertedPullRequestRows(w: RowInput): Prisma.Sql {
  return revertedPrRows(w, PR_COLUMNS, humanReviewsBeforeMerge(w.orgId));
}

/** PR head commits with their first-run verdict and failed workflows (ci-first-run.ts's rows). */
export function headCommitRows(w: RowInput): Prisma.Sql {
  return firstRunHeadRows(
    w,
    Prisma.sql`, h.repo_id || ':' || h.sha AS id, r.owner || '/' || r.name AS repository, h.sha, h.at AS first_run_at,
      COALESCE(h.failed_workflows, ARRAY[]::text[]) AS failed_workflows, h.run_url, p.number, p.title, p.url, a."displayName" AS author`,
    { withFailures: true },
  );
}

/** Active engineers (throughput.ts's activities), one row per person, week and team, with what they did. */
export function engineerRows(w: RowInput): Prisma.Sql {
  const n = (activity: string) => Prisma.sql`count(*) FILTER (WHERE act.activity = ${activity})`;
  return Prisma.sql`
    SELECT act.week, act.team_id, act.person_id || '/' || COALESCE(act.team_id::text, '') AS id, act.person_id, person."displayName" AS person,
           ${n('commit')} AS commits, ${n('pr_opened')} AS prs_opened, ${n('pr_merged')} AS prs_merged, ${n('review')} AS reviews,
           min(act.at) AS first_active_at, max(act.at) AS last_active_at
    FROM (${activityRows(w)}) act
    JOIN "Person" person ON person."orgId" = ${w.orgId} AND person.id = act.person_id
    GROUP BY act.week, act.team_id, act.person_id, person."displayName"`;
}

/** Reviews submitted (review-time.ts's reviewsPerReviewer rows), with reviewer and pull request. */
export function reviewRows(w: RowInput): Prisma.Sql {
  return submittedReviewRows(
    w,
    Prisma.sql`, v.id, v."submittedAt" AS submitted_at, v.state::text AS state, rp."displayName" AS reviewer,
      r.owner || '/' || r.name AS repository, p.number, p.title, p.url, a."displayName" AS author`,
  );
}

/** Production deployments (dora-deployments.ts's rows), with the incidents that followed them. */
export function deploymentRows(w: RowInput): Prisma.Sql {
  return productionDeploymentRows(
    w,
    Prisma.sql`, d.id, r.owner || '/' || r.name AS repository, d.environment, d.is_release, NULLIF(d.sha, '') AS sha, d.at AS deployed_at,
      ARRAY(SELECT t.key FROM incidents i JOIN "Ticket" t ON t."orgId" = ${w.orgId} AND t.id = i.id WHERE i.deployment_id = d.id ORDER BY t.key) AS incidents`,
    Prisma.sql`JOIN "Repository" r ON r."orgId" = ${w.orgId} AND r.id = d.repository_id`,
  );
}

/** Deployed pull requests (dora-lead-time.ts's rows), with the deployment that first included them. */
export function deployedPullRequestRows(w: RowInput): Prisma.Sql {
  return deployedPrRows(
    w,
    Prisma.sql`, p.id, r.owner || '/' || r.name AS repository, p.number, p.title, p.url, a."displayName" AS author,
      LEAST(p."firstCommitAt", p."createdAt") AS started_at, p."mergedAt" AS merged_at, dep.at AS deployed_at, NULLIF(dep.sha, '') AS deployment_sha`,
  );
}

/** Incidents restored (dora-restore.ts's rows), with the deployment they followed. */
export function incidentRows(w: RowInput): Prisma.Sql {
  return restoredIncidentRows(
    w,
    Prisma.sql`, i.id, t.key, t.title, t.url, t.source::text AS source, i.created_at, i.done_at,
      dr.owner || '/' || dr.name AS deployment_repository, NULLIF(d.sha, '') AS deployment_sha, d.at AS deployment_at`,
    Prisma.sql`JOIN "Ticket" t ON t."orgId" = ${w.orgId} AND t.id = i.id
      LEFT JOIN prod_deploys d ON d.id = i.deployment_id
      LEFT JOIN "Repository" dr ON dr."orgId" = ${w.orgId} AND dr.id = d.repository_id`,
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
           ${teamOfChange(w.orgId, Prisma.sql`person.id`, noonUtc, Prisma.sql`NULL::uuid`)} AS team_id,
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
