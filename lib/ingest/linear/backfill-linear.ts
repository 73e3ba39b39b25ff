import { db } from '../../db/client.ts';
import { storeRawEvent } from '../raw-events.ts';
import { processPendingEvents } from '../worker.ts';
import { linearGraphql } from './linear-graphql.ts';

const PAGE_SIZE = 50;

// What handleLinearBackfilledIssue reads, plus the assignee's email and the attachments' metadata
// for later use. Linear prices a query by its size, connections multiplied by `first`: 50 issues
// with 25 attachments each stay well under the 10,000-point cap of one query; an issue's history
// (50 entries with their states) would not, and is not needed: Linear keeps `startedAt`,
// `completedAt` and `canceledAt` on the issue. `includeArchived`: Linear archives closed issues
// after a while, and those are the history being backfilled.
export const ISSUES_QUERY = /* GraphQL */ `
  query ThroughlineBackfillIssues($filter: IssueFilter, $first: Int!, $after: String) {
    issues(filter: $filter, first: $first, after: $after, orderBy: updatedAt, includeArchived: true) {
      nodes {
        id
        identifier
        number
        title
        url
        createdAt
        updatedAt
        archivedAt
        trashed
        startedAt
        completedAt
        canceledAt
        state { name type }
        team { key }
        assignee { email }
        attachments(first: 25) { nodes { id url sourceType metadata createdAt updatedAt } }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface IssuesPage {
  issues: { nodes: { id: string; updatedAt: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** Where a run stands: `complete` ones give the next run its `since`; others, a page to resume at. */
type Checkpoint = {
  team: string | null;
  since: string | null;
  cursor: string | null;
  newestUpdatedAt: string | null;
  complete: boolean;
};

export interface LinearBackfillResult {
  issues: number;
  /** Issues new to the raw log (or changed since they were stored). */
  stored: number;
  apiCalls: number;
  /** Whether the run picked up where an unfinished one stopped. */
  resumed: boolean;
}

const checkpointPrefix = (team: string | null) => `checkpoint:${team ? `team:${team}` : 'all'}:`;

async function lastCheckpoint(orgId: string, team: string | null): Promise<Checkpoint | null> {
  const event = await db().rawEvent.findFirst({
    where: { orgId, source: 'linear', eventType: 'backfill.checkpoint', deliveryId: { startsWith: checkpointPrefix(team) } },
    orderBy: [{ receivedAt: 'desc' }, { deliveryId: 'desc' }],
  });
  return (event?.payload as Checkpoint | undefined) ?? null;
}

async function storeCheckpoint(orgId: string, deliveryId: string, checkpoint: Checkpoint): Promise<void> {
  await storeRawEvent({ orgId, source: 'linear', eventType: 'backfill.checkpoint', headers: {}, deliveryId, payload: { ...checkpoint } });
}

const later = (a: string | null, b: string) => (a && new Date(a) >= new Date(b) ? a : b);

/**
 * `throughline backfill linear`: the org's Linear issues (of one team, or all) updated since
 * `since`, through the GraphQL API in pages of 50 chained by cursor. Each issue is stored in the
 * raw log, keyed by its id and update time (a re-run stores only what changed), and processed by
 * the handler webhook deliveries share. After each page a checkpoint is stored: a run that dies
 * is resumed at its last page by the next one; a complete run makes the next start at the newest
 * update it saw. `since` starts afresh from that date.
 */
export async function backfillLinear(options: {
  orgId: string;
  apiKey: string;
  team?: string;
  since?: Date;
  apiUrl?: string;
  onProgress?: (r: LinearBackfillResult) => void;
}): Promise<LinearBackfillResult> {
  const { orgId } = options;
  const team = options.team?.toUpperCase() ?? null;
  const previous = options.since ? null : await lastCheckpoint(orgId, team);
  const resume = previous && !previous.complete ? previous : null;
  const since = options.since?.toISOString() ?? (resume ? resume.since : (previous?.newestUpdatedAt ?? null));
  let cursor = resume?.cursor ?? null;
  let newest = resume?.newestUpdatedAt ?? null;
  const filter = { ...(since ? { updatedAt: { gte: since } } : {}), ...(team ? { team: { key: { eq: team } } } : {}) };
  const run = `${checkpointPrefix(team)}${new Date().toISOString()}`;
  const result: LinearBackfillResult = { issues: 0, stored: 0, apiCalls: 0, resumed: Boolean(resume) };

  for (let page = 1; ; page++) {
    const data = await linearGraphql<IssuesPage>({ apiUrl: options.apiUrl, apiKey: options.apiKey, query: ISSUES_QUERY, variables: { filter, first: PAGE_SIZE, after: cursor } });
    result.apiCalls++;
    for (const issue of data.issues.nodes) {
      const { stored } = await storeRawEvent({
        orgId, source: 'linear', eventType: 'backfill.issue', headers: {},
        deliveryId: `backfill:${issue.id}:${issue.updatedAt}`,
        payload: { issue } as never,
      });
      result.issues++;
      if (stored) result.stored++;
      newest = later(newest, issue.updatedAt);
    }
    options.onProgress?.({ ...result });
    const { hasNextPage, endCursor } = data.issues.pageInfo;
    if (!hasNextPage || !endCursor) break;
    cursor = endCursor;
    await storeCheckpoint(orgId, `${run}:${String(page).padStart(6, '0')}`, { team, since, cursor, newestUpdatedAt: newest, complete: false });
  }
  await processPendingEvents();
  await storeCheckpoint(orgId, `${run}:done`, { team, since, cursor: null, newestUpdatedAt: newest ?? since, complete: true });
  return result;
}
