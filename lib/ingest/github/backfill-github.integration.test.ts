import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { db } from '../../db/client.ts';
import { randomSlug } from '../../../test/factories.ts';
import { backfillGithub } from './backfill-github.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- building API pages from a recorded response */
const recorded = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/github/graphql_pull_request_reviews_commits_75014.json'), 'utf8')).data.repository.pullRequest;

// PR #75014 with its real values; [filled] marks what the recorded response lacks.
const pr75014 = {
  databaseId: 3700000001, // [filled]
  number: recorded.number, title: recorded.title, body: null, url: 'https://github.com/DefinitelyTyped/DefinitelyTyped/pull/75014',
  state: 'MERGED', isDraft: recorded.isDraft, createdAt: recorded.createdAt, updatedAt: '2026-06-09T16:00:00Z', // [filled: merged]
  mergedAt: '2026-06-09T16:00:00Z', closedAt: '2026-06-09T16:00:00Z', additions: recorded.additions, deletions: recorded.deletions,
  changedFiles: recorded.changedFiles, headRefName: 'safie-sdk', baseRefName: recorded.baseRef.name, headRefOid: recorded.headRefOid, mergeCommit: { oid: 'f'.repeat(40) },
  author: { ...recorded.author, databaseId: 9001 }, // [filled: id]
  reviews: { nodes: recorded.reviews.nodes.map((r: any, i: number) => ({ databaseId: 500 + i, state: r.state, submittedAt: r.submittedAt, body: null, author: { ...r.author, databaseId: 700 + i } })) },
  commits: {
    nodes: recorded.commits.nodes.map((n: any) => ({
      commit: {
        oid: n.commit.oid, authoredDate: n.commit.authoredDate, committedDate: n.commit.committedDate,
        message: 'Add safie-sdk types\n\nCo-authored-by: Claude <noreply@anthropic.com>', additions: 1525, deletions: 0, parents: { totalCount: 1 }, // [filled]
        author: { name: 'Yusuke Oba', email: 'yusuke@example.com' }, // [filled]
      },
    })),
  },
};
const older = (number: number, updatedAt: string) => ({
  ...pr75014, databaseId: 3700000000 + number, number, title: `Older ${number}`, updatedAt, createdAt: '2026-05-01T00:00:00Z', mergedAt: updatedAt, closedAt: updatedAt,
  headRefName: `b-${number}`, reviews: { nodes: [] }, commits: { nodes: [] },
});

const repository = { databaseId: 6093316, nameWithOwner: 'DefinitelyTyped/DefinitelyTyped', url: 'https://github.com/DefinitelyTyped/DefinitelyTyped', defaultBranchRef: { name: 'master' } };
const pages: Record<string, { nodes: any[]; next: string | null }> = {
  start: { nodes: [pr75014, older(74000, '2026-06-01T00:00:00Z')], next: 'c2' },
  c2: { nodes: [older(73000, '2026-05-20T00:00:00Z')], next: null },
};

let server: http.Server;
let apiUrl = '';
const seen: { cursor: string | null; auth: string | undefined }[] = [];
let failNext = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(502).end('bad gateway');
        return;
      }
      const { variables } = JSON.parse(body);
      seen.push({ cursor: variables.cursor ?? null, auth: req.headers.authorization });
      const page = pages[variables.cursor ?? 'start']!;
      const data = { rateLimit: { cost: 1, remaining: 4999, resetAt: '2026-06-10T00:00:00Z' }, repository: { ...repository, pullRequests: { totalCount: 3, pageInfo: { hasNextPage: Boolean(page.next), endCursor: page.next }, nodes: page.nodes } } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('backfillGithub', () => {
  test('pages through pull requests with reviews and commits, then stops at its checkpoint', async () => {
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Backfilled' } });
    seen.length = 0;
    failNext = 1; // one 502 on the way: the retry plugin tries again
    const result = await backfillGithub({ orgId: org.id, owner: 'DefinitelyTyped', name: 'DefinitelyTyped', token: 'test-token', apiUrl });
    expect(result).toEqual({ pullRequests: 3, totalPullRequests: 3, apiCalls: 2, pointsSpent: 2 });
    expect(seen.map((s) => s.cursor)).toEqual([null, 'c2']);
    expect(seen[0]!.auth).toBe('token test-token');

    const pr = await db().pullRequest.findFirstOrThrow({ where: { orgId: org.id, number: 75014 }, include: { author: true, commits: { include: { commit: true } } } });
    expect(pr).toMatchObject({
      state: 'merged', title: '[safie-sdk] Add type definitions', createdAt: new Date('2026-05-18T01:00:25Z'),
      firstReviewAt: new Date('2026-06-05T17:58:45Z'), approvedAt: new Date('2026-06-09T15:32:02Z'), firstCommitAt: new Date('2026-06-08T14:52:54Z'),
      additions: 1525, aiShare: 1,
    });
    expect(pr.author?.displayName).toBe('yusuke-oba1');
    expect(pr.commits.map((c) => [c.commit.sha, c.commit.additions, c.commit.isAi])).toEqual([['ed4473032f08df609bbfd2a0ee8a4a78f74393c2', 1525, true]]);
    expect(await db().review.count({ where: { orgId: org.id } })).toBe(2);

    seen.length = 0;
    expect(await backfillGithub({ orgId: org.id, owner: 'DefinitelyTyped', name: 'DefinitelyTyped', token: 'test-token', apiUrl })).toEqual({ pullRequests: 0, totalPullRequests: 3, apiCalls: 1, pointsSpent: 1 });
    expect(await db().pullRequest.count({ where: { orgId: org.id } })).toBe(3);
  });
});
