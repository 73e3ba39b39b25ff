import { sign } from '@octokit/webhooks-methods';
import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { describe, expect, test } from 'vitest';
import { POST } from '../../../app/api/orgs/[org]/webhooks/github/route.ts';
import { rotateWebhookSecret } from '../../auth/webhook-secrets.ts';
import { db } from '../../db/client.ts';
import { randomSlug } from '../../../test/factories.ts';
import { processPendingEvents } from '../worker.ts';

// GitHub's own webhook examples (@octokit/webhooks-examples), signed as GitHub signs them.

type Example = { name: string; examples: Record<string, unknown>[] };
const byName = (name: string) => (examples as unknown as Example[]).find((e) => e.name === name)!.examples;
const prExample = (action: string) => structuredClone(byName('pull_request').find((e) => e.action === action)!) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function orgWithSecret() {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Hooked' } });
  const secret = await rotateWebhookSecret({ orgId: org.id, source: 'github' });
  return { org, secret };
}

let delivery = 0;
async function deliver(slug: string, event: string, payload: unknown, o: { secret?: string; signature?: string; deliveryId?: string; body?: string; headers?: Record<string, string> } = {}) {
  const body = o.body ?? JSON.stringify(payload);
  const deliveryId = o.deliveryId ?? `d-${Date.now()}-${++delivery}`;
  const signature = o.signature ?? (o.secret ? await sign(o.secret, body) : undefined);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': deliveryId, ...(signature ? { 'x-hub-signature-256': signature } : {}), ...o.headers };
  const res = await POST(new Request(`http://test/api/orgs/${slug}/webhooks/github`, { method: 'POST', headers, body }), { params: Promise.resolve({ org: slug }) });
  return { status: res.status, body: await res.json(), deliveryId };
}

const rawCount = (orgId: string) => db().rawEvent.count({ where: { orgId } });

describe('POST /api/orgs/[org]/webhooks/github', () => {
  test('stores a signed delivery and answers 202; a redelivery answers 200 and stores nothing', async () => {
    const { org, secret } = await orgWithSecret();
    const ping = byName('ping')[0];
    const first = await deliver(org.slug, 'ping', ping, { secret });
    expect(first).toMatchObject({ status: 202, body: { deliveryId: first.deliveryId, stored: true } });
    const again = await deliver(org.slug, 'ping', ping, { secret, deliveryId: first.deliveryId });
    expect(again).toMatchObject({ status: 200, body: { stored: false } });
    expect(await rawCount(org.id)).toBe(1);
    const raw = await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } });
    expect(raw).toMatchObject({ source: 'github', eventType: 'ping', deliveryId: first.deliveryId, status: 'pending' });
    expect(raw.headers).not.toHaveProperty('x-hub-signature-256');
  });

  test.each([
    ['a wrong signature', async (s: string) => ({ signature: await sign('not-the-secret', s) })],
    ['no signature', async () => ({})],
    ['a malformed signature', async () => ({ signature: 'sha256=zz' })],
  ])('%s answers 401 and stores nothing', async (_name, make) => {
    const { org } = await orgWithSecret();
    const body = JSON.stringify(byName('ping')[0]);
    const res = await deliver(org.slug, 'ping', null, { body, ...(await make(body)) });
    expect(res).toMatchObject({ status: 401, body: { error: { code: 'unauthorized', message: 'Missing or invalid X-Hub-Signature-256' } } });
    expect(await rawCount(org.id)).toBe(0);
  });

  test('an unknown org, or one without a GitHub secret, answers the same 401', async () => {
    const bare = await db().organization.create({ data: { slug: randomSlug(), name: 'No secret' } });
    expect((await deliver(bare.slug, 'ping', {}, { secret: 'x' })).status).toBe(401);
    expect((await deliver('no-such-org', 'ping', {}, { secret: 'x' })).status).toBe(401);
  });

  test('a 26 MB body answers 413 and stores nothing', async () => {
    const { org, secret } = await orgWithSecret();
    const big = `{"zen":"${'x'.repeat(26 * 1024 * 1024)}"}`;
    const res = await deliver(org.slug, 'ping', null, { secret, body: big });
    expect(res.status).toBe(413);
    expect(await rawCount(org.id)).toBe(0);
  });

  test('a signed body that is not JSON answers 400; missing delivery headers answer 400', async () => {
    const { org, secret } = await orgWithSecret();
    expect((await deliver(org.slug, 'ping', null, { secret, body: 'not json' })).status).toBe(400);
    expect((await deliver(org.slug, 'ping', {}, { secret, headers: { 'x-github-delivery': '' } })).body.error.message).toBe('X-GitHub-Delivery and X-GitHub-Event headers are required');
    expect(await rawCount(org.id)).toBe(0);
  });

  test('another content type answers 415 and stores nothing', async () => {
    const { org, secret } = await orgWithSecret();
    const res = await deliver(org.slug, 'ping', byName('ping')[0], { secret, headers: { 'content-type': 'text/plain' } });
    expect(res).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type', message: 'Content-Type must be application/json or application/x-www-form-urlencoded' } } });
    expect(await rawCount(org.id)).toBe(0);
  });

  test('takes the form-encoded content type too', async () => {
    const { org, secret } = await orgWithSecret();
    const body = new URLSearchParams({ payload: JSON.stringify(byName('ping')[0]) }).toString();
    const res = await deliver(org.slug, 'ping', null, { secret, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(202);
  });
});

describe('processing GitHub deliveries', () => {
  function merged() {
    const e = prExample('closed');
    e.pull_request.merged = true;
    e.pull_request.merged_at = e.pull_request.closed_at;
    return e;
  }

  async function prRow(orgId: string) {
    return db().pullRequest.findFirstOrThrow({ where: { orgId }, include: { author: true, repository: true } });
  }

  test('pull_request opened then merged gives one merged PR with the payloads\' times, author and repository', async () => {
    const { org, secret } = await orgWithSecret();
    await deliver(org.slug, 'pull_request', prExample('opened'), { secret });
    await deliver(org.slug, 'pull_request', merged(), { secret });
    await processPendingEvents();
    const pr = await prRow(org.id);
    expect(pr).toMatchObject({
      number: 2,
      state: 'merged',
      title: 'Update the README with new information.',
      headBranch: 'changes',
      baseBranch: 'master',
      createdAt: new Date('2019-05-15T15:20:33Z'),
      readyAt: new Date('2019-05-15T15:20:33Z'),
      mergedAt: new Date('2019-05-15T15:21:18Z'),
      closedAt: new Date('2019-05-15T15:21:18Z'),
      additions: 1,
      deletions: 1,
    });
    expect(pr.author).toMatchObject({ displayName: 'Codertocat', isBot: false });
    expect(pr.repository).toMatchObject({ owner: 'Codertocat', name: 'Hello-World', provider: 'github', externalId: '186853002' });
    expect(await db().rawEvent.count({ where: { orgId: org.id, status: 'processed' } })).toBe(2);
  });

  test('out of order (the merge first) ends the same, and replaying the log changes nothing', async () => {
    const { org, secret } = await orgWithSecret();
    await deliver(org.slug, 'pull_request', merged(), { secret });
    await deliver(org.slug, 'pull_request', prExample('opened'), { secret });
    await processPendingEvents();
    const first = await prRow(org.id);
    expect(first).toMatchObject({ state: 'merged', mergedAt: new Date('2019-05-15T15:21:18Z') });

    await db().rawEvent.updateMany({ where: { orgId: org.id }, data: { status: 'pending', attempts: 0 } });
    await processPendingEvents();
    const replayed = await prRow(org.id);
    expect(replayed).toEqual(first);
    expect(await db().pullRequest.count({ where: { orgId: org.id } })).toBe(1);
    expect(await db().person.count({ where: { orgId: org.id } })).toBe(1);
  });

  test('an event type without a handler is kept and marked ignored', async () => {
    const { org, secret } = await orgWithSecret();
    await deliver(org.slug, 'star', byName('star')[0], { secret });
    await processPendingEvents();
    expect(await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } })).toMatchObject({ status: 'ignored', error: null });
  });

  test('a payload the handler cannot read is marked failed with the error and retried later, not lost', async () => {
    const { org, secret } = await orgWithSecret();
    const broken = prExample('opened');
    delete broken.pull_request.head;
    await deliver(org.slug, 'pull_request', broken, { secret });
    await processPendingEvents();
    const raw = await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } });
    expect(raw).toMatchObject({ status: 'failed', attempts: 1 });
    expect(raw.error).toBe('payload not understood: pull_request.head: Invalid input: expected object, received undefined');
    expect(raw.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 20_000);
    // Not due yet: another pass leaves it alone.
    await processPendingEvents();
    expect(await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } })).toMatchObject({ status: 'failed', attempts: 1 });
  });

  const reviewer = { login: 'octo-reviewer', id: 4242, type: 'User' };
  function review(state: string, submittedAt: string, id: number, user: unknown = reviewer) {
    const e = structuredClone(byName('pull_request_review').find((x) => x.action === 'submitted')!) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    Object.assign(e.review, { id, state, submitted_at: submittedAt, user });
    return e;
  }

  test('reviews set first-review and approval times from another person\'s reviews, in any delivery order', async () => {
    const { org, secret } = await orgWithSecret();
    // The approval arrives first, before the pull request itself was ever seen.
    await deliver(org.slug, 'pull_request_review', review('approved', '2019-05-15T16:00:00Z', 2), { secret });
    await deliver(org.slug, 'pull_request_review', review('commented', '2019-05-15T15:30:00Z', 1), { secret });
    await deliver(org.slug, 'pull_request', prExample('opened'), { secret });
    await processPendingEvents();
    const pr = await prRow(org.id);
    expect(pr).toMatchObject({ firstReviewAt: new Date('2019-05-15T15:30:00Z'), approvedAt: new Date('2019-05-15T16:00:00Z'), title: 'Update the README with new information.' });
    expect(await db().review.count({ where: { orgId: org.id } })).toBe(2);
    expect(await db().person.count({ where: { orgId: org.id } })).toBe(2);
  });

  test("the author's own review comments are not a first review; a dismissed approval no longer approves", async () => {
    const { org, secret } = await orgWithSecret();
    const author = byName('pull_request').find((e) => e.action === 'opened')!.pull_request as { user: unknown };
    await deliver(org.slug, 'pull_request_review', review('commented', '2019-05-15T15:25:00Z', 1, author.user), { secret });
    await deliver(org.slug, 'pull_request_review', review('approved', '2019-05-15T16:00:00Z', 2), { secret });
    await processPendingEvents();
    expect(await prRow(org.id)).toMatchObject({ firstReviewAt: new Date('2019-05-15T16:00:00Z'), approvedAt: new Date('2019-05-15T16:00:00Z') });
    await deliver(org.slug, 'pull_request_review', review('dismissed', '2019-05-15T16:00:00Z', 2), { secret });
    await processPendingEvents();
    expect(await prRow(org.id)).toMatchObject({ firstReviewAt: new Date('2019-05-15T16:00:00Z'), approvedAt: null });
  });

  test('review comments are stored, edited in place and removed when deleted', async () => {
    const { org, secret } = await orgWithSecret();
    const created = byName('pull_request_review_comment').find((e) => e.action === 'created')!;
    await deliver(org.slug, 'pull_request_review_comment', created, { secret });
    await processPendingEvents();
    expect(await db().reviewComment.findFirstOrThrow({ where: { orgId: org.id } })).toMatchObject({ externalId: '284312630', path: 'README.md', createdAt: new Date('2019-05-15T15:20:37Z') });
    const deleted = structuredClone(created) as Record<string, unknown>;
    deleted.action = 'deleted';
    await deliver(org.slug, 'pull_request_review_comment', deleted, { secret });
    await processPendingEvents();
    expect(await db().reviewComment.count({ where: { orgId: org.id } })).toBe(0);
  });

  function pushTo(ref: string) {
    const e = structuredClone(byName('push').find((x) => x.ref === 'refs/heads/master')!) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    e.ref = ref;
    return e;
  }

  test.each([
    ['push, then the pull request opens', ['push', 'pull_request']],
    ['the pull request opens, then the push', ['pull_request', 'push']],
  ])("%s: the head branch's commits become the PR's, with its first-commit time", async (_name, order) => {
    const { org, secret } = await orgWithSecret();
    for (const event of order) {
      await deliver(org.slug, event!, event === 'push' ? pushTo('refs/heads/changes') : prExample('opened'), { secret });
      await processPendingEvents();
    }
    const pr = await db().pullRequest.findFirstOrThrow({ where: { orgId: org.id }, include: { commits: { include: { commit: true } } } });
    expect(pr.firstCommitAt).toEqual(new Date('2019-05-15T15:19:25Z'));
    // The commit's GitHub no-reply address names the PR author's account: one person, in either order.
    expect(await db().person.count({ where: { orgId: org.id } })).toBe(1);
    expect(pr.commits[0]!.commit.authorId).toBe(pr.authorId);
    expect(pr.commits.map((c) => c.commit)).toEqual([
      expect.objectContaining({ sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246', message: 'Initial commit', onDefaultBranch: false, branches: ['changes'], authorEmail: '21031067+codertocat@users.noreply.github.com' }),
    ]);
  });

  test('a push to the default branch lands commits there; a tag push adds nothing', async () => {
    const { org, secret } = await orgWithSecret();
    await deliver(org.slug, 'push', pushTo('refs/heads/master'), { secret });
    await deliver(org.slug, 'push', pushTo('refs/tags/v1'), { secret });
    await processPendingEvents();
    const commits = await db().commit.findMany({ where: { orgId: org.id } });
    expect(commits).toEqual([expect.objectContaining({ onDefaultBranch: true, branches: ['master'], committedAt: new Date('2019-05-15T15:19:25Z') })]);
  });

  test("a pushed commit's AI trailer marks it AI, with its evidence, and the pull request carries it", async () => {
    const { org, secret } = await orgWithSecret();
    const push = pushTo('refs/heads/changes');
    push.commits[0].message = 'Add README section\n\nCo-Authored-By: Claude <noreply@anthropic.com>';
    await deliver(org.slug, 'pull_request', prExample('opened'), { secret });
    await deliver(org.slug, 'push', push, { secret });
    await processPendingEvents();
    const commit = await db().commit.findFirstOrThrow({ where: { orgId: org.id } });
    expect(commit).toMatchObject({ isAi: true, aiEvidence: [{ kind: 'co_author', tool: 'Claude Code', aiTool: 'claude_code', strength: 'strong', evidence: 'Co-Authored-By: Claude <noreply@anthropic.com>' }] });
    const pr = await prRow(org.id);
    expect(pr.aiEvidence).toEqual([expect.objectContaining({ tool: 'Claude Code', commitSha: commit.sha })]);
    expect(pr.aiShare).toBeNull(); // no line counts from pushes yet
  });

  test('a PR conversation comment before its pull request fails, is retried, and lands once the PR is known; plain issue comments are skipped', async () => {
    const { org, secret } = await orgWithSecret();
    const onPr = structuredClone(byName('issue_comment')[0]) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    Object.assign(onPr.issue, { number: 2, pull_request: { url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/2' } });
    await deliver(org.slug, 'issue_comment', onPr, { secret });
    await deliver(org.slug, 'issue_comment', byName('issue_comment')[0], { secret, deliveryId: 'plain-issue' });
    await processPendingEvents();
    expect(await db().rawEvent.findMany({ where: { orgId: org.id }, select: { status: true, error: true }, orderBy: { receivedAt: 'asc' } })).toEqual([
      { status: 'failed', error: 'pull request #2 of Codertocat/Hello-World not seen yet' },
      { status: 'processed', error: null },
    ]);
    await deliver(org.slug, 'pull_request', prExample('opened'), { secret });
    await processPendingEvents();
    await db().rawEvent.updateMany({ where: { orgId: org.id, status: 'failed' }, data: { nextAttemptAt: new Date(0) } }); // its retry falls due
    await processPendingEvents();
    expect(await db().reviewComment.findMany({ where: { orgId: org.id }, select: { externalId: true, createdAt: true } })).toEqual([
      { externalId: 'issue-comment-492700400', createdAt: new Date('2019-05-15T15:20:21Z') },
    ]);
  });
});
