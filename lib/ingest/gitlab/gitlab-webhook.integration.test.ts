import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { POST } from '../../../app/api/orgs/[org]/webhooks/gitlab/route.ts';
import { rotateWebhookSecret } from '../../auth/webhook-secrets.ts';
import { db } from '../../db/client.ts';
import { randomSlug } from '../../../test/factories.ts';
import { processPendingEvents } from '../worker.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- fixtures are mutated copies of real payloads */
const fixture = (name: string): Record<string, any> => JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/gitlab', name), 'utf8'));

async function orgWithSecret() {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'GitLab org' } });
  return { org, secret: await rotateWebhookSecret({ orgId: org.id, source: 'gitlab' }) };
}

let n = 0;
async function deliver(slug: string, payload: unknown, o: { token?: string; key?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-gitlab-event-uuid': `uuid-${++n}` };
  if (o.token) headers['x-gitlab-token'] = o.token;
  if (o.key) headers['idempotency-key'] = o.key;
  const res = await POST(new Request('http://test', { method: 'POST', headers, body: JSON.stringify(payload) }), { params: Promise.resolve({ org: slug }) });
  return { status: res.status, body: await res.json() };
}

describe('POST /api/orgs/[org]/webhooks/gitlab', () => {
  test('stores a delivery with the right token (202); a retry with the same Idempotency-Key answers 200', async () => {
    const { org, secret } = await orgWithSecret();
    expect((await deliver(org.slug, fixture('push.json'), { token: secret, key: 'k-1' })).status).toBe(202);
    expect((await deliver(org.slug, fixture('push.json'), { token: secret, key: 'k-1' })).status).toBe(200);
    expect(await db().rawEvent.findMany({ where: { orgId: org.id }, select: { deliveryId: true, eventType: true } })).toEqual([{ deliveryId: 'k-1', eventType: 'push' }]);
  });

  test('a wrong or missing token answers 401 and stores nothing', async () => {
    const { org, secret } = await orgWithSecret();
    expect((await deliver(org.slug, fixture('push.json'), { token: `${secret}x` })).status).toBe(401);
    expect((await deliver(org.slug, fixture('push.json'))).status).toBe(401);
    expect(await db().rawEvent.count({ where: { orgId: org.id } })).toBe(0);
  });

  test('a payload without object_kind answers 400', async () => {
    const { org, secret } = await orgWithSecret();
    expect(await deliver(org.slug, { hello: 'world' }, { token: secret })).toMatchObject({ status: 400, body: { error: { message: 'Payload has no object_kind' } } });
  });
});

describe('processing GitLab deliveries', () => {
  test('a merge request opened then merged (real deliveries): times from the payloads, author, repository', async () => {
    const { org, secret } = await orgWithSecret();
    const merged = fixture('merge_request_merge.json');
    await deliver(org.slug, merged, { token: secret });
    await processPendingEvents();
    const pr = await db().pullRequest.findFirstOrThrow({ where: { orgId: org.id }, include: { author: true, repository: true } });
    expect(pr).toMatchObject({
      number: 4,
      state: 'merged',
      headBranch: 'patch-1',
      baseBranch: 'main',
      createdAt: new Date('2023-12-05T18:40:22Z'),
      mergedAt: new Date('2023-12-05T18:43:00Z'),
      closedAt: new Date('2023-12-05T18:43:00Z'),
    });
    expect(pr.repository).toMatchObject({ provider: 'gitlab', owner: 'anbraten', name: 'woodpecker-test' });
    expect(pr.author?.displayName).toBe('Anbraten');
  });

  test('an approval by another user sets first review and approval; withdrawing it removes the approval', async () => {
    const { org, secret } = await orgWithSecret();
    const open = fixture('merge_request_open.json');
    const approved = fixture('merge_request_open.json');
    approved.object_attributes.action = 'approved';
    approved.object_attributes.updated_at = '2025-08-05 22:10:00 UTC';
    approved.user = { id: 999, username: 'reviewer', name: 'Re Viewer' };
    await deliver(org.slug, open, { token: secret });
    await deliver(org.slug, approved, { token: secret });
    await processPendingEvents();
    expect(await db().pullRequest.findFirstOrThrow({ where: { orgId: org.id } })).toMatchObject({
      firstReviewAt: new Date('2025-08-05T22:10:00Z'),
      approvedAt: new Date('2025-08-05T22:10:00Z'),
    });
    const unapproved = structuredClone(approved);
    unapproved.object_attributes.action = 'unapproved';
    unapproved.object_attributes.updated_at = '2025-08-05 22:20:00 UTC';
    await deliver(org.slug, unapproved, { token: secret });
    await processPendingEvents();
    expect(await db().pullRequest.findFirstOrThrow({ where: { orgId: org.id } })).toMatchObject({ approvedAt: null });
  });

  test('a note on a merge request is a comment and, from another user, review activity', async () => {
    const { org, secret } = await orgWithSecret();
    await deliver(org.slug, fixture('note_merge_request.json'), { token: secret });
    await processPendingEvents();
    const pr = await db().pullRequest.findFirstOrThrow({ where: { orgId: org.id }, include: { comments: true } });
    expect(pr.comments).toEqual([expect.objectContaining({ externalId: '1244', body: 'This MR needs work.', createdAt: new Date('2015-05-17T18:21:36Z') })]);
    expect(pr.number).toBe(1);
  });

  test('a push lands its commits with their times and authors', async () => {
    const { org, secret } = await orgWithSecret();
    await deliver(org.slug, fixture('push.json'), { token: secret });
    await processPendingEvents();
    const commits = await db().commit.findMany({ where: { orgId: org.id }, orderBy: { committedAt: 'asc' } });
    // Times carry +02:00 offsets in the payload.
    expect(commits.map((c) => [c.sha.slice(0, 8), c.committedAt.toISOString(), c.authorEmail, c.onDefaultBranch])).toEqual([
      ['b6568db1', '2011-12-12T12:27:31.000Z', 'jordi@softcatala.org', true],
      ['da156088', '2012-01-03T21:36:29.000Z', 'gitlabdev@dv6700.(none)', true],
    ]);
  });
});
