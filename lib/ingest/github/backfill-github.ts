import { db } from '../../db/client.ts';
import { storeRawEvent } from '../raw-events.ts';
import { githubClient } from './github-client.ts';
import { processPendingEvents } from '../worker.ts';
import { PULL_REQUESTS_QUERY } from './backfill-query.ts';

interface Page {
  rateLimit: { cost: number; remaining: number; resetAt: string };
  repository: {
    databaseId: number;
    nameWithOwner: string;
    url: string;
    defaultBranchRef: { name: string } | null;
    pullRequests: { totalCount?: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: { number: number; updatedAt: string }[] };
  } | null;
}

export interface BackfillResult {
  pullRequests: number;
  /** Pull requests the repository has: the most a run can fetch (an incremental run stops sooner). */
  totalPullRequests: number | null;
  apiCalls: number;
  pointsSpent: number;
}

/** Where the last complete run of this repository reached: the newest update it had seen. */
async function lastCheckpoint(orgId: string, repo: string): Promise<Date | null> {
  const event = await db().rawEvent.findFirst({ where: { orgId, source: 'github', eventType: 'backfill.checkpoint', deliveryId: { startsWith: `checkpoint:${repo}:` } }, orderBy: { receivedAt: 'desc' } });
  const at = (event?.payload as { newestUpdatedAt?: string } | undefined)?.newestUpdatedAt;
  return at ? new Date(at) : null;
}

/**
 * `throughline backfill github`: pull requests of one repository, newest update first, through
 * GraphQL pages (one request per 50 pull requests with their reviews and commits). Each pull
 * request is stored in the raw log (so replay rebuilds it) and processed by the usual handlers.
 * Incremental: a run stops at the newest update the last complete run saw (or at `since`); a run
 * that dies leaves no checkpoint, so the next one starts over and the raw log's keys drop what it
 * already has. Octokit's throttling and retry plugins wait out rate limits and retry failures.
 */
export async function backfillGithub(options: { orgId: string; owner: string; name: string; token: string; since?: Date; apiUrl?: string; onProgress?: (r: BackfillResult) => void }): Promise<BackfillResult> {
  const { orgId } = options;
  const repoKey = `${options.owner}/${options.name}`.toLowerCase();
  const github = githubClient(options.token, options.apiUrl);
  const stopAt = options.since ?? (await lastCheckpoint(orgId, repoKey));
  const result: BackfillResult = { pullRequests: 0, totalPullRequests: null, apiCalls: 0, pointsSpent: 0 };
  let cursor: string | null = null;
  let newest: string | null = null;
  for (;;) {
    const page: Page = await github.graphql<Page>(PULL_REQUESTS_QUERY, { owner: options.owner, name: options.name, cursor });
    result.apiCalls++;
    result.pointsSpent += page.rateLimit?.cost ?? 0;
    const repo = page.repository;
    if (!repo) throw new Error(`repository ${repoKey} not found or not visible to this token`);
    const repository = { databaseId: repo.databaseId, nameWithOwner: repo.nameWithOwner, url: repo.url, defaultBranch: repo.defaultBranchRef?.name ?? null };
    result.totalPullRequests = repo.pullRequests.totalCount ?? result.totalPullRequests;
    let reachedKnown = false;
    for (const pullRequest of repo.pullRequests.nodes) {
      if (stopAt && new Date(pullRequest.updatedAt) <= stopAt) {
        reachedKnown = true;
        break;
      }
      newest ??= pullRequest.updatedAt;
      await storeRawEvent({
        orgId, source: 'github', eventType: 'backfill.pull_request', headers: {},
        deliveryId: `backfill:${repo.databaseId}:${pullRequest.number}:${pullRequest.updatedAt}`,
        payload: { repository, pullRequest } as never,
      });
      result.pullRequests++;
    }
    options.onProgress?.({ ...result });
    if (reachedKnown || !repo.pullRequests.pageInfo.hasNextPage) break;
    cursor = repo.pullRequests.pageInfo.endCursor;
  }
  await processPendingEvents();
  await storeRawEvent({
    orgId, source: 'github', eventType: 'backfill.checkpoint', headers: {},
    deliveryId: `checkpoint:${repoKey}:${new Date().toISOString()}`,
    payload: { repository: repoKey, newestUpdatedAt: newest ?? stopAt?.toISOString() ?? null },
  });
  return result;
}
