import { db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { AppError } from '../http/errors.ts';
import { rebuildOrgRollups } from '../metrics/rollups.ts';
import { refreshPullRequestTicketLinks } from '../tickets/link-tickets.ts';
import { ATTACHMENT_MARKERS } from '../tickets/link-tracker-attachments.ts';
import { TICKET_DELETED } from '../tickets/upsert-ticket.ts';
import { linkPullRequestCommits } from './link-pull-request-commits.ts';
import { MAX_ATTEMPTS, processPendingEvents } from './worker.ts';
import { inTransaction } from '../db/transaction.ts';

/** A link `throughline import git` made, by what survives a replay: the pull request's repository and number, the commit. */
type ImportLink = { repositoryId: string; number: number; commitId: string };

/**
 * Rebuilds an org's derived rows from its raw log.
 *
 * Without `since`: in one transaction, deletes every row the handlers derive from the log (pull
 * requests, commits and their links, reviews, comments, tickets and their links, CI runs and test
 * summaries, deployments, AI usage rows, samples and tool totals, and the marker rows handlers
 * write into the log itself: deleted tickets, tracker attachments) and the org's rollups; then
 * processes every stored event again, in arrival order, and rebuilds the rollups.
 *
 * With `since`: processes again the events received since then, over the existing rows (handlers
 * are idempotent upserts); the rows they change mark their rollup weeks as usual.
 *
 * Kept, because admins own them or they come from no event: people, identities and repositories
 * (admins attach teams and bot flags to them; handlers upsert them anyway), teams and memberships,
 * settings, annotations, weekly reviews, and sync state (ETags of provider APIs, which only save
 * rate limit).
 *
 * Kept too, because `throughline import git` writes them straight to the tables, with no raw event
 * to rebuild them from: its commits (`Commit.imported`), the pull requests it inferred
 * (`isInferred`), and its links between the two (a squash or merge commit and the pull request it
 * names, the commits a merge brought in; only the clone knows the latter). The links are read
 * before the deletes by repository, number and commit, since the pull requests from the log come
 * back under new ids, and put back once the log is processed, with what follows from them
 * (first-commit time, AI share, ticket links). Should a replay stop before that, running the
 * import again restores them. Commits imported before `Commit.imported` existed are not marked:
 * re-import a repository once before a full replay to keep them.
 */
export async function replayOrg({ orgId, since }: { orgId: string; since?: Date }): Promise<{ events: number }> {
  const org = await db().organization.findUniqueOrThrow({ where: { id: orgId } });
  if (org.isDemo) throw new AppError('bad_request', 'A demo organization is generated, not built from a raw log; it has nothing to replay');
  if (!since && org.rawPrunedBefore) {
    const at = org.rawPrunedBefore.toISOString();
    throw new AppError('conflict', `Raw payloads received before ${at} were dropped by retention (RAW_EVENT_RETENTION_MONTHS): a full replay would delete the rows they derived and could not rebuild them. Replay with --since ${at} or later.`);
  }
  const { events, importLinks } = await db().$transaction(
    async (tx) => {
      const importLinks = since ? [] : await dropDerivedRows(tx, orgId);
      const { count } = await tx.rawEvent.updateMany({
        where: { orgId, ...(since ? { receivedAt: { gte: since } } : {}) },
        data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(0), error: null, processedAt: null },
      });
      return { events: count, importLinks };
    },
    { timeout: 10 * 60_000 },
  );
  await processAndRetry(orgId, since);
  if (!since) {
    await restoreImportLinks(orgId, importLinks);
    // Null when another process is rebuilding them already (from rows as they are now or later).
    await rebuildOrgRollups({ id: orgId });
  }
  return { events };
}

/** Deletes what the handlers derive and the org's rollups; returns the import's links, to put back. */
async function dropDerivedRows(tx: Prisma.TransactionClient, orgId: string): Promise<ImportLink[]> {
  // Everything below is rebuilt: no rollup day needs marking row by row.
  await tx.$executeRaw`SET LOCAL throughline.rollups_deferred = 'on'`;
  const importLinks = await tx.$queryRaw<ImportLink[]>`
    SELECT p."repositoryId", p.number, pc."commitId"
    FROM "PullRequestCommit" pc
    JOIN "Commit" c ON c."orgId" = pc."orgId" AND c.id = pc."commitId"
    JOIN "PullRequest" p ON p."orgId" = pc."orgId" AND p.id = pc."pullRequestId"
    WHERE pc."orgId" = ${orgId} AND c.imported`;
  const where = { orgId };
  // Children before parents where the key does not cascade (comment → review, run → pull request).
  await tx.ticketPullRequestLink.deleteMany({ where });
  await tx.reviewComment.deleteMany({ where });
  await tx.review.deleteMany({ where });
  await tx.pullRequestCommit.deleteMany({ where });
  await tx.testResultSummary.deleteMany({ where });
  await tx.ciRun.deleteMany({ where });
  await tx.deployment.deleteMany({ where });
  await tx.pullRequest.deleteMany({ where: { orgId, isInferred: false } });
  await tx.commit.deleteMany({ where: { orgId, imported: false } });
  await tx.ticket.deleteMany({ where });
  await tx.aiUsageSample.deleteMany({ where });
  await tx.aiUsageDaily.deleteMany({ where });
  await tx.aiToolDailyTotal.deleteMany({ where });
  // The markers' delivery ids go with them, so the handlers can store them again.
  const markers = [TICKET_DELETED, ...ATTACHMENT_MARKERS];
  await tx.$executeRaw`
    DELETE FROM "RawEventDelivery" d USING "RawEvent" r
    WHERE r."orgId" = ${orgId} AND r."eventType" = ANY(${markers}::text[])
      AND d."orgId" = r."orgId" AND d.source = r.source AND d."deliveryId" = r."deliveryId"`;
  await tx.rawEvent.deleteMany({ where: { orgId, eventType: { in: markers } } });
  // Last: whatever the deletes above marked goes too; the rollups are rebuilt whole after the log.
  await tx.weeklyRollup.deleteMany({ where });
  await tx.rollupDirtyDay.deleteMany({ where });
  await tx.rollupState.deleteMany({ where });
  return importLinks;
}

/**
 * Processes the log, then retries at once the replayed events that failed, for as long as each
 * round leaves fewer failed: an event that waits for one stored after it (a conversation comment
 * before its pull request, a JUnit upload before its run's report) failed the first time too, and
 * was retried by the worker after a delay; a replay that left it for that retry would return
 * without its rows (and rebuild the rollups without them).
 */
async function processAndRetry(orgId: string, since: Date | undefined): Promise<void> {
  const failed = { orgId, status: 'failed' as const, attempts: { lt: MAX_ATTEMPTS }, ...(since ? { receivedAt: { gte: since } } : {}) };
  let left = Infinity;
  for (;;) {
    await processPendingEvents();
    const count = await db().rawEvent.count({ where: failed });
    if (count === 0 || count >= left) return;
    left = count;
    await db().rawEvent.updateMany({ where: failed, data: { nextAttemptAt: new Date(0) } });
  }
}

/** Puts the import's links back on the pull requests of the same numbers, and refreshes what follows from a pull request's commits. */
async function restoreImportLinks(orgId: string, links: ImportLink[]): Promise<void> {
  if (links.length === 0) return;
  const linked = await db().$queryRaw<{ id: string }[]>`
    WITH link AS (
      SELECT p.id, l."commitId"
      FROM json_to_recordset(${JSON.stringify(links)}::json) AS l("repositoryId" uuid, number int, "commitId" uuid)
      JOIN "PullRequest" p ON p."orgId" = ${orgId} AND p."repositoryId" = l."repositoryId" AND p.number = l.number),
    restored AS (
      INSERT INTO "PullRequestCommit" ("orgId", "pullRequestId", "commitId") SELECT ${orgId}, id, "commitId" FROM link ON CONFLICT DO NOTHING)
    SELECT DISTINCT id FROM link ORDER BY id`;
  for (const { id } of linked) {
    await inTransaction(async (sql) => {
      await linkPullRequestCommits(sql, orgId, id);
      await refreshPullRequestTicketLinks(sql, orgId, id);
    });
  }
}
