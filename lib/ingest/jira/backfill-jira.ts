import { storeRawEvent } from '../raw-events.ts';
import { processPendingEvents } from '../worker.ts';

interface SearchPage {
  issues: { id: string; key: string; fields: { updated?: string; status?: { id: string; statusCategory?: { key: string } } } }[];
  nextPageToken?: string;
  isLast?: boolean;
}

export interface JiraBackfillResult {
  issues: number;
  apiCalls: number;
}

const MAX_TRIES = 4;

/** GET with Jira's rate limits (429, `Retry-After` seconds) and passing failures (5xx) retried. */
async function getJson(url: URL, authorization: string): Promise<SearchPage> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(url, { headers: { authorization, accept: 'application/json' } });
    if (res.ok) return (await res.json()) as SearchPage;
    if (attempt >= MAX_TRIES || (res.status !== 429 && res.status < 500)) throw new Error(`Jira answered ${res.status} to ${url.pathname}: ${(await res.text()).slice(0, 300)}`);
    const waitSeconds = Number(res.headers.get('retry-after')) || 2 ** attempt;
    await new Promise((r) => setTimeout(r, waitSeconds * 1000));
  }
}

/**
 * `throughline backfill jira`: the issues a JQL query selects, through Jira Cloud's
 * `/rest/api/3/search/jql` (pages chained by `nextPageToken`), each with its changelog. Each issue is
 * stored in the raw log (keyed by its update time, so a re-run stores only what changed) with the
 * categories of the statuses seen so far in the run, which its status history needs, and processed
 * by the same handler as webhook deliveries.
 */
export async function backfillJira(options: { orgId: string; site: string; jql: string; email: string; token: string; onProgress?: (r: JiraBackfillResult) => void }): Promise<JiraBackfillResult> {
  const authorization = `Basic ${Buffer.from(`${options.email}:${options.token}`).toString('base64')}`;
  const result: JiraBackfillResult = { issues: 0, apiCalls: 0 };
  const statusCategories: Record<string, string> = {};
  let nextPageToken: string | undefined;
  do {
    const url = new URL('/rest/api/3/search/jql', options.site);
    url.search = new URLSearchParams({ jql: options.jql, expand: 'changelog', fields: '*all', maxResults: '100', ...(nextPageToken ? { nextPageToken } : {}) }).toString();
    const page = await getJson(url, authorization);
    result.apiCalls++;
    for (const { fields } of page.issues) {
      if (fields.status?.statusCategory) statusCategories[fields.status.id] = fields.status.statusCategory.key;
    }
    for (const issue of page.issues) {
      await storeRawEvent({
        orgId: options.orgId, source: 'jira', eventType: 'backfill.issue', headers: {},
        deliveryId: `backfill:${issue.id}:${issue.fields.updated ?? ''}`,
        payload: { issue, statusCategories: { ...statusCategories } } as never,
      });
      result.issues++;
    }
    options.onProgress?.({ ...result });
    nextPageToken = page.isLast === false || (page.isLast === undefined && page.nextPageToken) ? page.nextPageToken : undefined;
  } while (nextPageToken);
  await processPendingEvents();
  return result;
}
