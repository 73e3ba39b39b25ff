import { db } from '../../db/client.ts';
import { storeRawEvent } from '../raw-events.ts';
import { processPendingEvents } from '../worker.ts';
import { githubClient } from './github-client.ts';

// Catches what no webhook delivered (a hook added late, deliveries GitHub never sent): lists the
// repository's pull requests by last update, newest first, and stores each one that is newer than
// what Throughline has as a `pull_request` event in the raw log, processed like a delivery. The
// first page is a conditional request: while nothing changed GitHub answers 304, which costs no
// rate limit, so this can run every few minutes.

const KIND = 'github.reconcile.pulls';
const PER_PAGE = 100;
const MAX_PAGES = 10;

export interface ReconcileResult {
  apiCalls: number;
  notModified: boolean;
  checked: number;
  stored: number;
}

interface ListedPullRequest {
  number: number;
  updated_at: string;
  base: { repo: { id: number; name: string; full_name: string; owner: { login: string }; default_branch?: string; html_url?: string } };
}

export async function reconcileGithubPullRequests(options: { orgId: string; owner: string; name: string; token: string; apiUrl?: string }): Promise<ReconcileResult> {
  const { orgId, owner, name } = options;
  const key = `${owner}/${name}`.toLowerCase();
  const github = githubClient(options.token, options.apiUrl);
  const state = await db().syncState.findUnique({ where: { orgId_kind_key: { orgId, kind: KIND, key } } });
  const result: ReconcileResult = { apiCalls: 0, notModified: false, checked: 0, stored: 0 };

  for (let page = 1; page <= MAX_PAGES; page++) {
    let response;
    try {
      response = await github.request('GET /repos/{owner}/{repo}/pulls', {
        owner, repo: name, state: 'all', sort: 'updated', direction: 'desc', per_page: PER_PAGE, page,
        headers: page === 1 && state?.etag ? { 'if-none-match': state.etag } : {},
      });
    } catch (error) {
      result.apiCalls++;
      // Octokit raises a 304 as an error carrying the status.
      if ((error as { status?: number }).status === 304) return { ...result, notModified: true };
      throw error;
    }
    result.apiCalls++;
    const listed = response.data as unknown as ListedPullRequest[];
    if (page === 1 && response.headers.etag) {
      const etag = response.headers.etag;
      await db().syncState.upsert({ where: { orgId_kind_key: { orgId, kind: KIND, key } }, create: { orgId, kind: KIND, key, etag }, update: { etag } });
    }
    const repo = listed[0] && (await storedRepository(orgId, listed[0].base.repo.id));
    const known = new Map(
      repo
        ? (await db().pullRequest.findMany({ where: { orgId, repositoryId: repo.id, number: { in: listed.map((p) => p.number) } }, select: { number: true, sourceUpdatedAt: true } })).map((p) => [p.number, p.sourceUpdatedAt])
        : [],
    );
    let anyStale = false;
    for (const pr of listed) {
      result.checked++;
      const storedAt = known.get(pr.number);
      if (storedAt && storedAt >= new Date(pr.updated_at)) continue;
      anyStale = true;
      const { stored } = await storeRawEvent({
        orgId, source: 'github', eventType: 'pull_request', headers: {},
        deliveryId: `reconcile:${pr.base.repo.id}:${pr.number}:${pr.updated_at}`,
        payload: { action: 'reconciled', repository: pr.base.repo, pull_request: pr } as never,
      });
      if (stored) result.stored++;
    }
    // Newest first: a page with nothing stale means everything older is known too.
    if (!anyStale || listed.length < PER_PAGE) break;
  }
  await processPendingEvents();
  return result;
}

async function storedRepository(orgId: string, githubId: number) {
  return db().repository.findFirst({ where: { orgId, provider: 'github', externalId: String(githubId) }, select: { id: true } });
}
