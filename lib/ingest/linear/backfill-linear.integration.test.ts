import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '../../db/client.ts';
import { seedOrg } from '../../../test/factories.ts';
import { storeRawEvent } from '../raw-events.ts';
import { processPendingEvents } from '../worker.ts';
import { backfillLinear } from './backfill-linear.ts';

// Linear's GraphQL API played by a local server from the built answers in test/fixtures/linear
// (README there): two pages chained by `endCursor`, filtered as Linear filters them
// (`updatedAt.gte`, `team.key.eq`). A test can queue replies (rate limits, errors) served first.

/* eslint-disable @typescript-eslint/no-explicit-any -- recorded payloads */
const fixture = (dir: string, name: string): any => JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../test/fixtures', dir, name), 'utf8'));
const page1 = fixture('linear', 'graphql_issues_page_1.json');
const page2 = fixture('linear', 'graphql_issues_page_2.json');
const CURSOR_1 = page1.data.issues.pageInfo.endCursor;

interface Reply { status: number; headers?: Record<string, string>; body: unknown }
const queued: (Reply | null)[] = []; // null: answer as Linear would
const requests: { authorization?: string; query: string; variables: any }[] = [];

function answer(variables: any): Reply {
  const page = variables.after === null ? page1 : variables.after === CURSOR_1 ? page2 : null;
  if (!page) return { status: 400, body: { errors: [{ message: 'Invalid cursor', extensions: { code: 'INVALID_INPUT' } }] } };
  const { updatedAt, team } = variables.filter ?? {};
  const nodes = page.data.issues.nodes.filter((n: any) => (!updatedAt?.gte || n.updatedAt >= updatedAt.gte) && (!team?.key?.eq || n.team.key === team.key.eq));
  return { status: 200, body: { data: { issues: { ...page.data.issues, nodes } } } };
}

let server: http.Server;
let apiUrl = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const { query, variables } = JSON.parse(raw);
      requests.push({ authorization: req.headers.authorization, query, variables });
      const reply = queued.shift() ?? answer(variables);
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function reset() {
  queued.length = 0;
  requests.length = 0;
}

const tickets = async (orgId: string) =>
  Object.fromEntries(
    (await db().ticket.findMany({ where: { orgId, source: 'linear' } })).map((t) => [t.key, { status: `${t.statusName}/${t.statusCategory}`, startedAt: t.startedAt?.toISOString() ?? null, doneAt: t.doneAt?.toISOString() ?? null }]),
  );
const links = async (orgId: string) =>
  (await db().ticketPullRequestLink.findMany({ where: { orgId }, include: { ticket: true, pullRequest: true } })).map((l) => `${l.ticket.key} ${l.foundBy} ${l.pullRequest.url}`).sort();
const rawCount = (orgId: string, eventType: string) => db().rawEvent.count({ where: { orgId, source: 'linear', eventType } });
const lastCheckpoint = async (orgId: string) =>
  (await db().rawEvent.findFirstOrThrow({ where: { orgId, eventType: 'backfill.checkpoint' }, orderBy: [{ receivedAt: 'desc' }, { deliveryId: 'desc' }] })).payload;

const GITHUB_PR = 'https://github.com/Codertocat/Hello-World/pull/2';
const GITLAB_MR = 'https://gitlab.com/demoaccount2-commits-group/test_ci_tmp/-/merge_requests/3';

describe('backfillLinear', () => {
  test('pages by cursor, stores each issue raw and derives tickets with Linear\'s own times; a rerun starts at the newest update and stores nothing new', async () => {
    const org = await seedOrg();
    reset();
    // The merge request WEB-45's attachment names is stored before the backfill.
    await storeRawEvent({ orgId: org.id, source: 'gitlab', eventType: 'merge_request', deliveryId: 'mr-3', headers: {}, payload: fixture('gitlab', 'merge_request_open.json') });
    await processPendingEvents();

    const result = await backfillLinear({ orgId: org.id, apiKey: 'lin_api_test', apiUrl });
    expect(result).toEqual({ issues: 5, stored: 5, apiCalls: 2, resumed: false });
    expect(requests.map((r) => [r.authorization, r.variables])).toEqual([
      ['lin_api_test', { filter: {}, first: 50, after: null }],
      ['lin_api_test', { filter: {}, first: 50, after: CURSOR_1 }],
    ]);
    expect(requests[0]!.query).toMatch(/issues\(filter: \$filter, first: \$first, after: \$after, orderBy: updatedAt, includeArchived: true\)/);
    expect(await db().rawEvent.count({ where: { orgId: org.id, source: 'linear', eventType: 'backfill.issue', status: 'processed' } })).toBe(5);

    // Times as the webhook handler takes them: startedAt as sent, doneAt = completedAt, else canceledAt.
    expect(await tickets(org.id)).toEqual({
      'WEB-41': { status: 'Canceled/done', startedAt: null, doneAt: '2023-04-07T14:31:09.870Z' },
      'WEB-44': { status: 'In Progress/in_progress', startedAt: '2023-04-11T10:10:15.093Z', doneAt: null },
      'WEB-45': { status: 'Done/done', startedAt: '2023-04-04T09:12:30.511Z', doneAt: '2023-04-10T16:45:02.118Z' },
      'APP-3': { status: 'Todo/todo', startedAt: null, doneAt: null },
      'WEB-46': { status: 'Backlog/todo', startedAt: null, doneAt: null },
    });
    expect(await db().ticket.findFirstOrThrow({ where: { orgId: org.id, key: 'WEB-44' } })).toMatchObject({
      externalId: '3443a709-f2b5-46f2-a136-a0445fd432be', url: 'https://linear.app/webhooks/issue/WEB-44/this-is-regarding-the-outage-that-we-faced-on-111222-from-2000-to-2200',
      createdAt: new Date('2023-04-11T10:10:15.037Z'), sourceUpdatedAt: new Date('2023-04-11T10:16:53.022Z'),
    });
    // The stored merge request is linked; the GitHub pull request is not stored yet, the commit and Slack attachments are not pull requests.
    expect(await links(org.id)).toEqual([`WEB-45 tracker_attachment ${GITLAB_MR}`]);

    // The GitHub pull request arrives after its ticket: the attachment recorded by the backfill links it.
    const opened = (examples as unknown as { name: string; examples: any[] }[]).find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === 'opened');
    await storeRawEvent({ orgId: org.id, source: 'github', eventType: 'pull_request', deliveryId: 'pr-2', headers: {}, payload: opened });
    await processPendingEvents();
    expect(await links(org.id)).toEqual([`WEB-44 tracker_attachment ${GITHUB_PR}`, `WEB-45 tracker_attachment ${GITLAB_MR}`]);

    expect(await lastCheckpoint(org.id)).toEqual({ team: null, since: null, cursor: null, newestUpdatedAt: '2023-04-12T03:15:44.208Z', complete: true });
    reset();
    const again = await backfillLinear({ orgId: org.id, apiKey: 'lin_api_test', apiUrl });
    expect(again).toEqual({ issues: 1, stored: 0, apiCalls: 2, resumed: false });
    expect(requests[0]!.variables).toEqual({ filter: { updatedAt: { gte: '2023-04-12T03:15:44.208Z' } }, first: 50, after: null });
    expect(await rawCount(org.id, 'backfill.issue')).toBe(5);
    expect(await links(org.id)).toEqual([`WEB-44 tracker_attachment ${GITHUB_PR}`, `WEB-45 tracker_attachment ${GITLAB_MR}`]);
  });

  test('--team filters by team key and keeps its own checkpoint; --since starts afresh from that date', async () => {
    const org = await seedOrg();
    reset();
    expect(await backfillLinear({ orgId: org.id, apiKey: 'k', apiUrl, team: 'web' })).toMatchObject({ issues: 4, stored: 4 });
    expect(requests[0]!.variables.filter).toEqual({ team: { key: { eq: 'WEB' } } });
    expect(Object.keys(await tickets(org.id)).sort()).toEqual(['WEB-41', 'WEB-44', 'WEB-45', 'WEB-46']);

    reset();
    await backfillLinear({ orgId: org.id, apiKey: 'k', apiUrl });
    expect(requests[0]!.variables.filter).toEqual({}); // no checkpoint yet for all teams

    reset();
    expect(await backfillLinear({ orgId: org.id, apiKey: 'k', apiUrl, since: new Date('2023-04-09T00:00:00Z') })).toMatchObject({ issues: 4, stored: 0 });
    expect(requests[0]!.variables.filter).toEqual({ updatedAt: { gte: '2023-04-09T00:00:00.000Z' } });
  });

  test('waits out a 429 and a RATELIMITED error, then goes on', async () => {
    const org = await seedOrg();
    reset();
    const limited = fixture('linear', 'graphql_error_ratelimited.json');
    queued.push(
      { status: 429, headers: { 'retry-after': '0' }, body: limited },
      null,
      { status: 400, headers: { 'x-ratelimit-requests-remaining': '0', 'x-ratelimit-requests-reset': String(Date.now()) }, body: limited },
    );
    const started = Date.now();
    expect(await backfillLinear({ orgId: org.id, apiKey: 'k', apiUrl })).toEqual({ issues: 5, stored: 5, apiCalls: 2, resumed: false });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(requests.map((r) => r.variables.after)).toEqual([null, null, CURSOR_1, CURSOR_1]);
  });

  test('a GraphQL error fails with Linear\'s message and code; the next run resumes at the last page stored', async () => {
    const org = await seedOrg();
    reset();
    queued.push(null, { status: 400, body: fixture('linear', 'graphql_error_invalid_filter.json') });
    await expect(backfillLinear({ orgId: org.id, apiKey: 'k', apiUrl })).rejects.toThrow('Linear answered 400: filter.team.key.eq must be a string [INVALID_INPUT] at issues');
    expect(requests).toHaveLength(2); // not retried
    expect(await rawCount(org.id, 'backfill.issue')).toBe(3);
    expect(await lastCheckpoint(org.id)).toEqual({ team: null, since: null, cursor: CURSOR_1, newestUpdatedAt: '2023-04-12T03:15:44.208Z', complete: false });

    reset();
    expect(await backfillLinear({ orgId: org.id, apiKey: 'k', apiUrl })).toEqual({ issues: 2, stored: 2, apiCalls: 1, resumed: true });
    expect(requests.map((r) => r.variables)).toEqual([{ filter: {}, first: 50, after: CURSOR_1 }]);
    expect(Object.keys(await tickets(org.id))).toHaveLength(5);
    expect(await lastCheckpoint(org.id)).toEqual({ team: null, since: null, cursor: null, newestUpdatedAt: '2023-04-12T03:15:44.208Z', complete: true });
  });

  test('a first page that fails stores nothing', async () => {
    const org = await seedOrg();
    reset();
    queued.push({ status: 400, body: fixture('linear', 'graphql_error_invalid_filter.json') });
    await expect(backfillLinear({ orgId: org.id, apiKey: 'k', apiUrl, team: 'WEB' })).rejects.toThrow('[INVALID_INPUT]');
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });
});
