import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { POST } from '../../../app/api/orgs/[org]/webhooks/jira/route.ts';
import { rotateWebhookSecret } from '../../auth/webhook-secrets.ts';
import { db } from '../../db/client.ts';
import { randomSlug } from '../../../test/factories.ts';
import { processPendingEvents } from '../worker.ts';

// Real Jira Cloud deliveries (test/fixtures/jira), signed as Jira Cloud signs a webhook with a secret.

/* eslint-disable @typescript-eslint/no-explicit-any -- editing recorded payloads */
const fixture = (name: string): any => JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/jira', `${name}.json`), 'utf8'));
const created = () => fixture('webhook_issue_created');
const started = () => fixture('webhook_issue_updated_status_todo_to_inprogress');
const done = () => fixture('webhook_issue_updated_resolved_status_to_done');
const assigned = () => fixture('webhook_issue_updated_assigned');

async function orgWithSecret() {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Jira' } });
  return { org, secret: await rotateWebhookSecret({ orgId: org.id, source: 'jira' }) };
}

const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

async function deliver(slug: string, payload: unknown, o: { secret?: string; signature?: string; id?: string; body?: string } = {}) {
  const body = o.body ?? JSON.stringify(payload);
  const signature = o.signature ?? (o.secret ? sign(o.secret, body) : undefined);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature': signature } : {}), ...(o.id ? { 'x-atlassian-webhook-identifier': o.id } : {}) };
  const res = await POST(new Request(`http://test/api/orgs/${slug}/webhooks/jira`, { method: 'POST', headers, body }), { params: Promise.resolve({ org: slug }) });
  return { status: res.status, body: await res.json() };
}

const rawCount = (orgId: string) => db().rawEvent.count({ where: { orgId } });
const ticket = (orgId: string) => db().ticket.findFirstOrThrow({ where: { orgId, source: 'jira' } });

describe('POST /api/orgs/[org]/webhooks/jira', () => {
  test('stores a signed delivery (202) under X-Atlassian-Webhook-Identifier; a retry answers 200 and stores nothing', async () => {
    const { org, secret } = await orgWithSecret();
    expect(await deliver(org.slug, created(), { secret, id: 'wh-1' })).toEqual({ status: 202, body: { deliveryId: 'wh-1', stored: true } });
    expect(await deliver(org.slug, created(), { secret, id: 'wh-1' })).toEqual({ status: 200, body: { deliveryId: 'wh-1', stored: false } });
    const raw = await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } });
    expect(raw).toMatchObject({ source: 'jira', eventType: 'jira:issue_created', deliveryId: 'wh-1', status: 'pending' });
    expect(raw.headers).not.toHaveProperty('x-hub-signature');
  });

  test('without an identifier header the same body is one delivery (content hash)', async () => {
    const { org, secret } = await orgWithSecret();
    const first = await deliver(org.slug, created(), { secret });
    expect(first.status).toBe(202);
    expect(first.body.deliveryId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await deliver(org.slug, created(), { secret })).status).toBe(200);
    expect(await rawCount(org.id)).toBe(1);
  });

  test.each([
    ['a wrong signature', (body: string) => sign('not-the-secret', body)],
    ['no signature', () => undefined],
    ['a malformed signature', () => 'sha256=zz'],
    ['an unprefixed hex signature', () => 'ab'.repeat(32)],
  ])('%s answers 401 and stores nothing', async (_name, make) => {
    const { org } = await orgWithSecret();
    const body = JSON.stringify(created());
    const signature = make(body);
    const res = await deliver(org.slug, null, { body, ...(signature ? { signature } : {}) });
    expect(res).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'Missing or invalid X-Hub-Signature' } } });
    expect(await rawCount(org.id)).toBe(0);
  });

  test('an unknown org, or one without a Jira secret, answers the same 401', async () => {
    const bare = await db().organization.create({ data: { slug: randomSlug(), name: 'No secret' } });
    expect((await deliver(bare.slug, created(), { secret: 'x' })).status).toBe(401);
    expect((await deliver('no-such-org', created(), { secret: 'x' })).status).toBe(401);
  });

  test('a signed body that is not JSON, or has no webhookEvent, answers 400 and stores nothing', async () => {
    const { org, secret } = await orgWithSecret();
    expect(await deliver(org.slug, null, { secret, body: '{"webhookEvent":' })).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'Body is not a JSON webhook payload' } } });
    const { webhookEvent: _omitted, ...rest } = created();
    expect(await deliver(org.slug, rest, { secret })).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'Payload has no webhookEvent' } } });
    expect(await rawCount(org.id)).toBe(0);
  });

  test('a 26 MB body answers 413 and stores nothing', async () => {
    const { org, secret } = await orgWithSecret();
    const res = await deliver(org.slug, null, { secret, body: `{"webhookEvent":"jira:issue_created","x":"${'x'.repeat(26 * 1024 * 1024)}"}` });
    expect(res.status).toBe(413);
    expect(await rawCount(org.id)).toBe(0);
  });
});

describe('processing Jira deliveries', () => {
  test('created, moved to In Progress, then Done gives the ticket with its start and done times from the payloads', async () => {
    const { org, secret } = await orgWithSecret();
    await deliver(org.slug, created(), { secret, id: 'c' });
    await processPendingEvents();
    expect(await ticket(org.id)).toMatchObject({
      externalId: '10040', key: 'TES-41', title: 'Unit test summary', type: 'Story', statusName: 'To Do', statusCategory: 'todo',
      url: 'https://some-instance-test.atlassian.net/browse/TES-41', createdAt: new Date('2019-02-16T03:01:52.971Z'), startedAt: null, doneAt: null,
    });
    await deliver(org.slug, started(), { secret, id: 's' });
    await deliver(org.slug, done(), { secret, id: 'd' });
    await processPendingEvents();
    expect(await ticket(org.id)).toMatchObject({
      statusName: 'Done', statusCategory: 'done', startedAt: new Date('2019-02-16T03:14:22.002Z'), doneAt: new Date('2019-02-16T03:15:40.477Z'),
      sourceUpdatedAt: new Date('2019-02-16T03:15:40.477Z'),
    });
    expect(await db().rawEvent.count({ where: { orgId: org.id, status: 'processed' } })).toBe(3);
  });

  test('delivered newest first, the newest state wins and a late older event only moves the start earlier', async () => {
    const { org, secret } = await orgWithSecret();
    await deliver(org.slug, done(), { secret, id: 'd' });
    await deliver(org.slug, assigned(), { secret, id: 'a' });
    await deliver(org.slug, started(), { secret, id: 's' });
    await deliver(org.slug, created(), { secret, id: 'c' });
    await processPendingEvents();
    // The assigned event (19:18, To Do) is the newest: the issue was reopened, so doneAt is cleared.
    expect(await ticket(org.id)).toMatchObject({ statusName: 'To Do', statusCategory: 'todo', startedAt: new Date('2019-02-16T03:14:22.002Z'), doneAt: null, title: 'Unit test summary 1' });
  });

  test('reopening clears doneAt', async () => {
    const { org, secret } = await orgWithSecret();
    await deliver(org.slug, done(), { secret, id: 'd' });
    await deliver(org.slug, assigned(), { secret, id: 'a' });
    await processPendingEvents();
    expect(await ticket(org.id)).toMatchObject({ statusCategory: 'todo', doneAt: null });
  });

  test('statuscategorychangedate, when Jira sends it, gives the done time', async () => {
    const { org, secret } = await orgWithSecret();
    const payload = done();
    payload.issue.fields.statuscategorychangedate = '2019-02-15T19:15:30.000-0800';
    await deliver(org.slug, payload, { secret });
    await processPendingEvents();
    expect(await ticket(org.id)).toMatchObject({ doneAt: new Date('2019-02-16T03:15:30.000Z') });
  });

  test('unknown fields are accepted', async () => {
    const { org, secret } = await orgWithSecret();
    const payload = { ...created(), somethingNew: { nested: true } };
    payload.issue.fields.customfield_99999 = 'new field';
    expect((await deliver(org.slug, payload, { secret })).status).toBe(202);
    await processPendingEvents();
    expect(await ticket(org.id)).toMatchObject({ key: 'TES-41' });
  });

  test('a payload missing a required field is stored, and the worker marks it failed naming the field', async () => {
    const { org, secret } = await orgWithSecret();
    const payload = created();
    delete payload.issue.fields.summary;
    expect((await deliver(org.slug, payload, { secret })).status).toBe(202);
    await processPendingEvents();
    const raw = await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } });
    expect(raw.status).toBe('failed');
    expect(raw.error).toContain('issue.fields.summary');
    expect(await db().ticket.count({ where: { orgId: org.id } })).toBe(0);
  });

  test('jira:issue_deleted deletes the ticket, and a later-delivered update does not bring it back', async () => {
    const { org, secret } = await orgWithSecret();
    await deliver(org.slug, created(), { secret, id: 'c' });
    await processPendingEvents();
    await deliver(org.slug, { ...assigned(), webhookEvent: 'jira:issue_deleted', timestamp: 1550290000000 }, { secret, id: 'del' });
    await processPendingEvents();
    expect(await db().ticket.count({ where: { orgId: org.id } })).toBe(0);
    await deliver(org.slug, started(), { secret, id: 's' });
    await processPendingEvents();
    expect(await db().ticket.count({ where: { orgId: org.id } })).toBe(0);
  });
});
