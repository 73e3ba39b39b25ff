import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '../../db/client.ts';
import { seedOrg } from '../../../test/factories.ts';
import { backfillJira } from './backfill-jira.ts';

// The recorded search page (test/fixtures/jira/search_page_changelog_expanded.json, 25 real issues
// with changelogs) served as two token-chained /rest/api/3/search/jql pages.
const recorded = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/jira/search_page_changelog_expanded.json'), 'utf8'));
const pages: Record<string, object> = {
  first: { issues: recorded.issues.slice(0, 13), nextPageToken: 'page-2', isLast: false },
  'page-2': { issues: recorded.issues.slice(13), isLast: true },
};

let server: http.Server;
let site = '';
const seen: URL[] = [];
const auth: (string | undefined)[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    seen.push(url);
    auth.push(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(pages[url.searchParams.get('nextPageToken') ?? 'first']));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('backfillJira', () => {
  test('pages through the search by nextPageToken, stores each issue raw and derives tickets from the histories', async () => {
    const org = await seedOrg();
    seen.length = 0;
    const result = await backfillJira({ orgId: org.id, site, jql: 'project = ABC', email: 'me@acme.test', token: 'tok' });
    expect(result).toEqual({ issues: 25, apiCalls: 2 });
    expect(seen.map((u) => [u.pathname, u.searchParams.get('jql'), u.searchParams.get('expand'), u.searchParams.get('nextPageToken')])).toEqual([
      ['/rest/api/3/search/jql', 'project = ABC', 'changelog', null],
      ['/rest/api/3/search/jql', 'project = ABC', 'changelog', 'page-2'],
    ]);
    expect(auth[0]).toBe(`Basic ${Buffer.from('me@acme.test:tok').toString('base64')}`);
    expect(await db().rawEvent.count({ where: { orgId: org.id, source: 'jira', eventType: 'backfill.issue', status: 'processed' } })).toBe(25);
    expect(await db().ticket.count({ where: { orgId: org.id, source: 'jira' } })).toBe(25);

    // Hand-read from the recorded issue: Backlog → Dev Active (in progress) on 2015-11-21 07:14:01.643 -05:00, …, Done.
    const issue = recorded.issues[0];
    const history = issue.changelog.histories.flatMap((h: { created: string; items: { field: string; toString: string }[] }) => h.items.filter((i) => i.field === 'status').map((i) => [h.created, i.toString]));
    const ticket = await db().ticket.findFirstOrThrow({ where: { orgId: org.id, externalId: issue.id } });
    expect(history[0]).toEqual(['2015-11-21T07:14:01.643-0500', 'Dev Active']);
    expect(ticket).toMatchObject({ key: issue.key, statusName: issue.fields.status.name, startedAt: new Date('2015-11-21T12:14:01.643Z') });

    const done = recorded.issues.find((i: { fields: { status: { statusCategory: { key: string } } } }) => i.fields.status.statusCategory.key === 'done');
    const lastMove = done.changelog.histories.filter((h: { items: { field: string }[] }) => h.items.some((i) => i.field === 'status')).at(-1).created;
    expect(await db().ticket.findFirstOrThrow({ where: { orgId: org.id, externalId: done.id } })).toMatchObject({ statusCategory: 'done', doneAt: new Date(lastMove) });

    // A second run stores nothing new (same issue, same update time).
    await backfillJira({ orgId: org.id, site, jql: 'project = ABC', email: 'me@acme.test', token: 'tok' });
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(25);
  });
});
