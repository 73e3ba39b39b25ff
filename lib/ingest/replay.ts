import { db } from '../db/client.ts';
import { AppError } from '../http/errors.ts';
import { processPendingEvents } from './worker.ts';

/**
 * Rebuilds an org's derived rows from its raw log. Without `since`: deletes what the handlers
 * derive (pull requests, commits, reviews, comments and their links) and processes every stored
 * event again, in arrival order; with `since`: processes again the events received since then,
 * over the existing rows (handlers are idempotent upserts). People, identities and repositories
 * are kept, since admins attach settings to them (teams, bot flags); handlers upsert them anyway.
 */
export async function replayOrg({ orgId, since }: { orgId: string; since?: Date }): Promise<{ events: number }> {
  const org = await db().organization.findUniqueOrThrow({ where: { id: orgId } });
  if (org.isDemo) throw new AppError('bad_request', 'A demo organization is generated, not built from a raw log; it has nothing to replay');
  const events = await db().$transaction(async (tx) => {
    if (!since) {
      await tx.pullRequestCommit.deleteMany({ where: { orgId } });
      await tx.reviewComment.deleteMany({ where: { orgId } });
      await tx.review.deleteMany({ where: { orgId } });
      await tx.ticketPullRequestLink.deleteMany({ where: { orgId } });
      // CI runs stay (their events rebuild them too) but let go of the pull requests rebuilt below.
      await tx.ciRun.updateMany({ where: { orgId, pullRequestId: { not: null } }, data: { pullRequestId: null } });
      await tx.pullRequest.deleteMany({ where: { orgId } });
      await tx.commit.deleteMany({ where: { orgId } });
    }
    const { count } = await tx.rawEvent.updateMany({
      where: { orgId, ...(since ? { receivedAt: { gte: since } } : {}) },
      data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(0), error: null, processedAt: null },
    });
    return count;
  });
  await processPendingEvents();
  return { events };
}
