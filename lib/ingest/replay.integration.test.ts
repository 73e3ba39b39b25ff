import { sign } from '@octokit/webhooks-methods';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { describe, expect, test } from 'vitest';
import { POST } from '../../app/api/orgs/[org]/webhooks/github/route.ts';
import { rotateWebhookSecret } from '../auth/webhook-secrets.ts';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';
import { replayOrg } from './replay.ts';
import { processPendingEvents } from './worker.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- payloads are mutated copies of GitHub's examples */
type Example = { name: string; examples: Record<string, any>[] };
const byName = (name: string) => structuredClone((examples as unknown as Example[]).find((e) => e.name === name)!.examples);

function deliveries(): [string, unknown][] {
  const opened = byName('pull_request').find((e) => e.action === 'opened')!;
  const merged = byName('pull_request').find((e) => e.action === 'closed')!;
  Object.assign(merged.pull_request, { merged: true, merged_at: merged.pull_request.closed_at });
  const approve = byName('pull_request_review').find((e) => e.action === 'submitted')!;
  Object.assign(approve.review, { id: 9, state: 'approved', submitted_at: '2019-05-15T15:21:00Z', user: { login: 'rev', id: 77, type: 'User' } });
  const toBranch = byName('push').find((e) => e.ref === 'refs/heads/master')!;
  toBranch.ref = 'refs/heads/changes';
  const toMaster = byName('push').find((e) => e.ref === 'refs/heads/master')!;
  const comment = byName('pull_request_review_comment').find((e) => e.action === 'created')!;
  // A CI run of the pull request's head, reported before the pull request: linked by its sha.
  const run = byName('workflow_run').find((e) => e.action === 'completed')!;
  Object.assign(run.workflow_run, { head_sha: opened.pull_request.head.sha, pull_requests: [] });
  return [['workflow_run', run], ['push', toBranch], ['pull_request', opened], ['pull_request_review', approve], ['pull_request_review_comment', comment], ['pull_request', merged], ['push', toMaster], ['star', byName('star')[0]]];
}

/** The org's derived rows as text, by natural keys (ids differ between runs by design). */
async function snapshot(orgId: string): Promise<string> {
  const prs = await db().pullRequest.findMany({ where: { orgId }, include: { author: true, commits: { include: { commit: true } } }, orderBy: { number: 'asc' } });
  const commits = await db().commit.findMany({ where: { orgId }, include: { author: true }, orderBy: { sha: 'asc' } });
  const reviews = await db().review.findMany({ where: { orgId }, include: { reviewer: true }, orderBy: { externalId: 'asc' } });
  const comments = await db().reviewComment.findMany({ where: { orgId }, orderBy: { externalId: 'asc' } });
  const runs = await db().ciRun.findMany({ where: { orgId }, include: { pullRequest: true }, orderBy: { externalId: 'asc' } });
  const strip = ({ id, orgId: _o, repositoryId, authorId, pullRequestId, reviewerId, reviewId, commitId, ...rest }: Record<string, any>) => rest; // eslint-disable-line @typescript-eslint/no-unused-vars
  return JSON.stringify({
    prs: prs.map((p) => ({ ...strip(p), author: p.author?.displayName, commits: p.commits.map((c) => c.commit.sha) })),
    commits: commits.map((c) => ({ ...strip(c), author: c.author?.email })),
    reviews: reviews.map((r) => ({ ...strip(r), reviewer: r.reviewer?.displayName })),
    comments: comments.map(strip),
    runs: runs.map((r) => ({ ...strip(r), pullRequest: r.pullRequest?.number })),
  });
}

describe('replay', () => {
  test('rebuilding from the raw log gives the same rows, every time, and --since too', async () => {
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Replayed' } });
    const secret = await rotateWebhookSecret({ orgId: org.id, source: 'github' });
    let n = 0;
    for (const [event, payload] of deliveries()) {
      const body = JSON.stringify(payload);
      const headers = { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': `replay-${++n}`, 'x-hub-signature-256': await sign(secret, body) };
      const res = await POST(new Request('http://test', { method: 'POST', headers, body }), { params: Promise.resolve({ org: org.slug }) });
      expect(res.status).toBe(202);
    }
    await processPendingEvents();
    const before = await snapshot(org.id);
    expect(JSON.parse(before).runs).toEqual([expect.objectContaining({ pullRequest: 2 })]);
    expect(JSON.parse(before).prs[0]).toMatchObject({ state: 'merged', commits: ['6113728f27ae82c7b1a177c8d03f9e96e0adf246'], approvedAt: '2019-05-15T15:21:00.000Z' });

    expect(await replayOrg({ orgId: org.id })).toEqual({ events: 8 });
    expect(await snapshot(org.id)).toBe(before);
    await replayOrg({ orgId: org.id });
    expect(await snapshot(org.id)).toBe(before);
    await replayOrg({ orgId: org.id, since: new Date(Date.now() - 3600_000) });
    expect(await snapshot(org.id)).toBe(before);
    expect(await db().rawEvent.groupBy({ by: ['status'], where: { orgId: org.id }, _count: true, orderBy: { status: 'asc' } })).toEqual([
      { status: 'processed', _count: 7 },
      { status: 'ignored', _count: 1 },
    ]);
  });

  test('refuses a demo org, which has no log to rebuild from', async () => {
    const demo = await db().organization.create({ data: { slug: randomSlug(), name: 'Demo', isDemo: true } });
    await expect(replayOrg({ orgId: demo.id })).rejects.toMatchObject({ code: 'bad_request' });
  });
});
