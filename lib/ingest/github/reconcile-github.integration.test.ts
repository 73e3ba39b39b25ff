import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { db } from '../../db/client.ts';
import { randomSlug } from '../../../test/factories.ts';
import { reconcileGithubPullRequests } from './reconcile-github.ts';

// GitHub's pulls list served on loopback, its items built from GitHub's own pull_request objects
// (@octokit/webhooks-examples: the REST resource and the webhook's `pull_request` share a shape),
// with ETags and 304s the way GitHub answers conditional requests.

/* eslint-disable @typescript-eslint/no-explicit-any -- building API answers from recorded objects */
type Example = { name: string; examples: Record<string, any>[] };
const closed = (examples as unknown as Example[]).find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === 'closed')!.pull_request;
const older = { ...structuredClone(closed), id: closed.id + 1, number: 1, title: 'An older one', updated_at: '2019-05-10T10:00:00Z', created_at: '2019-05-09T10:00:00Z', closed_at: null, merged_at: null, state: 'open' };

let list: any[] = [closed, older];
let etag = '"v1"';
const requests: { url: string; ifNoneMatch: string | undefined }[] = [];
let server: http.Server;
let apiUrl = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push({ url: req.url ?? '', ifNoneMatch: req.headers['if-none-match'] as string | undefined });
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', etag }).end(JSON.stringify(list));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

test('stores what is new, then costs one 304 while nothing changes, then takes only the updated pull request', async () => {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Reconciled' } });
  const run = () => reconcileGithubPullRequests({ orgId: org.id, owner: 'Codertocat', name: 'Hello-World', token: 't', apiUrl });

  expect(await run()).toEqual({ apiCalls: 1, notModified: false, checked: 2, stored: 2 });
  expect(requests.at(-1)!.url).toContain('/repos/Codertocat/Hello-World/pulls?');
  expect(requests.at(-1)!.url).toContain('sort=updated');
  const prs = await db().pullRequest.findMany({ where: { orgId: org.id }, orderBy: { number: 'asc' } });
  expect(prs.map((p) => [p.number, p.state, p.title])).toEqual([[1, 'open', 'An older one'], [2, 'closed', closed.title]]);

  expect(await run()).toEqual({ apiCalls: 1, notModified: true, checked: 0, stored: 0 });
  expect(requests.at(-1)!.ifNoneMatch).toBe('"v1"');
  expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(2);

  list = [{ ...closed, title: 'Renamed after the hook stopped', updated_at: '2019-05-20T09:00:00Z' }, older];
  etag = '"v2"';
  expect(await run()).toEqual({ apiCalls: 1, notModified: false, checked: 2, stored: 1 });
  expect((await db().pullRequest.findFirstOrThrow({ where: { orgId: org.id, number: 2 } })).title).toBe('Renamed after the hook stopped');
  expect(await db().rawEvent.count({ where: { orgId: org.id, status: 'processed' } })).toBe(3);
});
