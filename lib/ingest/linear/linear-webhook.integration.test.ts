import examples from '@octokit/webhooks-examples/api.github.com/index.json' with { type: 'json' };
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { POST } from '../../../app/api/orgs/[org]/webhooks/linear/route.ts';
import { rotateWebhookSecret } from '../../auth/webhook-secrets.ts';
import { db } from '../../db/client.ts';
import { randomSlug } from '../../../test/factories.ts';
import { storeRawEvent } from '../raw-events.ts';
import { processPendingEvents } from '../worker.ts';

// Real Linear deliveries (test/fixtures/linear), their webhookTimestamp set to now and signed as Linear signs.

/* eslint-disable @typescript-eslint/no-explicit-any -- editing recorded payloads */
const fixture = (name: string): any => ({ ...JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/linear', `${name}.json`), 'utf8')), webhookTimestamp: Date.now() });

async function orgWithSecret() {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Linear' } });
  return { org, secret: await rotateWebhookSecret({ orgId: org.id, source: 'linear' }) };
}

let delivery = 0;
async function deliver(slug: string, payload: unknown, o: { secret?: string; signature?: string; id?: string | null; body?: string } = {}) {
  const body = o.body ?? JSON.stringify(payload);
  const signature = o.signature ?? (o.secret ? createHmac('sha256', o.secret).update(body).digest('hex') : undefined);
  const id = o.id === undefined ? `ld-${Date.now()}-${++delivery}` : o.id;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'linear-event': 'Issue', ...(signature ? { 'linear-signature': signature } : {}), ...(id ? { 'linear-delivery': id } : {}) };
  const res = await POST(new Request(`http://test/api/orgs/${slug}/webhooks/linear`, { method: 'POST', headers, body }), { params: Promise.resolve({ org: slug }) });
  return { status: res.status, body: await res.json() };
}

const rawCount = (orgId: string) => db().rawEvent.count({ where: { orgId } });
const ticket = (orgId: string) => db().ticket.findFirstOrThrow({ where: { orgId, source: 'linear' } });

describe('POST /api/orgs/[org]/webhooks/linear', () => {
  test('stores a signed, fresh delivery (202) under Linear-Delivery; a redelivery answers 200 and stores nothing', async () => {
    const { org, secret } = await orgWithSecret();
    const payload = fixture('issue_create');
    expect(await deliver(org.slug, payload, { secret, id: 'd-1' })).toEqual({ status: 202, body: { deliveryId: 'd-1', stored: true } });
    expect(await deliver(org.slug, payload, { secret, id: 'd-1' })).toEqual({ status: 200, body: { deliveryId: 'd-1', stored: false } });
    const raw = await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } });
    expect(raw).toMatchObject({ source: 'linear', eventType: 'Issue', deliveryId: 'd-1', status: 'pending' });
    expect(raw.headers).not.toHaveProperty('linear-signature');
  });

  test.each([
    ['a wrong signature', (body: string) => createHmac('sha256', 'not-the-secret').update(body).digest('hex')],
    ['no signature', () => undefined],
    ['a malformed signature', () => 'zz'],
  ])('%s answers 401 and stores nothing', async (_name, make) => {
    const { org } = await orgWithSecret();
    const body = JSON.stringify(fixture('issue_create'));
    const signature = make(body);
    expect(await deliver(org.slug, null, { body, ...(signature ? { signature } : {}) })).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'Missing or invalid Linear-Signature' } } });
    expect(await rawCount(org.id)).toBe(0);
  });

  test.each([
    ['the recorded 2023 timestamp', () => 1681207816078],
    ['61 s ago', () => Date.now() - 61_000],
    ['61 s ahead', () => Date.now() + 61_000],
    ['none', () => undefined],
  ])('a correctly signed delivery with webhookTimestamp %s answers 401 and stores nothing', async (_name, at) => {
    const { org, secret } = await orgWithSecret();
    const res = await deliver(org.slug, { ...fixture('issue_create'), webhookTimestamp: at() }, { secret });
    expect(res).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'webhookTimestamp missing or more than 60 s from now' } } });
    expect(await rawCount(org.id)).toBe(0);
  });

  test('a signed body that is not JSON, without type, or without Linear-Delivery answers 400 and stores nothing', async () => {
    const { org, secret } = await orgWithSecret();
    expect(await deliver(org.slug, null, { secret, body: '{"type":' })).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'Body is not a JSON webhook payload' } } });
    const { type: _omitted, ...untyped } = fixture('issue_create');
    expect(await deliver(org.slug, untyped, { secret })).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'Payload has no type' } } });
    expect(await deliver(org.slug, fixture('issue_create'), { secret, id: null })).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'Linear-Delivery header is required' } } });
    expect(await rawCount(org.id)).toBe(0);
  });

  test('a 26 MB body answers 413 and stores nothing', async () => {
    const { org, secret } = await orgWithSecret();
    const res = await deliver(org.slug, null, { secret, body: `{"type":"Issue","x":"${'x'.repeat(26 * 1024 * 1024)}"}` });
    expect(res.status).toBe(413);
    expect(await rawCount(org.id)).toBe(0);
  });
});

describe('processing Linear deliveries', () => {
  test('create then update gives the ticket WEB-44 in progress with Linear\'s own start time', async () => {
    const { org, secret } = await orgWithSecret();
    await deliver(org.slug, fixture('issue_update'), { secret });
    await deliver(org.slug, fixture('issue_create'), { secret });
    await processPendingEvents();
    expect(await ticket(org.id)).toMatchObject({
      externalId: '3443a709-f2b5-46f2-a136-a0445fd432be', key: 'WEB-44', statusName: 'In Progress', statusCategory: 'in_progress',
      title: 'This is regarding the outage that we faced on 11/12/22 from 2000 to 2200 and also on 25/12/22 from 0000 to 0230',
      createdAt: new Date('2023-04-11T10:10:15.037Z'), startedAt: new Date('2023-04-11T10:10:15.093Z'), doneAt: null, sourceUpdatedAt: new Date('2023-04-11T10:16:53.022Z'),
    });
  });

  test('completed gives doneAt = completedAt; moved back to started clears it', async () => {
    const { org, secret } = await orgWithSecret();
    const completed = fixture('issue_update');
    completed.data = { ...completed.data, updatedAt: '2023-04-12T09:00:00.000Z', completedAt: '2023-04-12T09:00:00.000Z', state: { ...completed.data.state, name: 'Done', type: 'completed' } };
    await deliver(org.slug, completed, { secret });
    await processPendingEvents();
    expect(await ticket(org.id)).toMatchObject({ statusCategory: 'done', doneAt: new Date('2023-04-12T09:00:00.000Z') });
    const reopened = fixture('issue_update');
    reopened.data = { ...reopened.data, updatedAt: '2023-04-13T09:00:00.000Z' };
    await deliver(org.slug, reopened, { secret });
    await processPendingEvents();
    expect(await ticket(org.id)).toMatchObject({ statusCategory: 'in_progress', doneAt: null });
  });

  test('an Attachment delivery naming a pull request is stored under its type and links the issue\'s ticket to it', async () => {
    const { org, secret } = await orgWithSecret();
    const opened = (examples as unknown as { name: string; examples: any[] }[]).find((e) => e.name === 'pull_request')!.examples.find((e) => e.action === 'opened');
    await storeRawEvent({ orgId: org.id, source: 'github', eventType: 'pull_request', deliveryId: 'pr-2', headers: {}, payload: opened });
    await deliver(org.slug, fixture('issue_create'), { secret });
    expect(await deliver(org.slug, fixture('attachment_create'), { secret, id: 'att-1' })).toEqual({ status: 202, body: { deliveryId: 'att-1', stored: true } });
    await processPendingEvents();
    expect(await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id, deliveryId: 'att-1' } })).toMatchObject({ eventType: 'Attachment', status: 'processed' });
    const [link] = await db().ticketPullRequestLink.findMany({ where: { orgId: org.id }, include: { ticket: true, pullRequest: true } });
    expect(link).toMatchObject({ foundBy: 'tracker_attachment', ticket: { key: 'WEB-44' }, pullRequest: { number: 2, url: 'https://github.com/Codertocat/Hello-World/pull/2' } });
  });

  test('unknown fields are accepted', async () => {
    const { org, secret } = await orgWithSecret();
    const payload = { ...fixture('issue_create'), webhookId: 'new-field', actor: { id: 'u1', type: 'user' } };
    expect((await deliver(org.slug, payload, { secret })).status).toBe(202);
    await processPendingEvents();
    expect(await ticket(org.id)).toMatchObject({ key: 'WEB-44' });
  });

  test('a payload missing a required field is stored, and the worker marks it failed naming the field', async () => {
    const { org, secret } = await orgWithSecret();
    const payload = fixture('issue_create');
    delete payload.data.state;
    expect((await deliver(org.slug, payload, { secret })).status).toBe(202);
    await processPendingEvents();
    const raw = await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } });
    expect(raw.status).toBe('failed');
    expect(raw.error).toContain('data.state');
  });

  test('remove deletes the ticket; an older update delivered after it does not bring it back', async () => {
    const { org, secret } = await orgWithSecret();
    await deliver(org.slug, fixture('issue_create'), { secret });
    await processPendingEvents();
    await deliver(org.slug, { ...fixture('issue_update'), action: 'remove' }, { secret });
    await deliver(org.slug, fixture('issue_update'), { secret });
    await processPendingEvents();
    expect(await db().ticket.count({ where: { orgId: org.id } })).toBe(0);
  });
});
