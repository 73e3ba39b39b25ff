import { describe, expect, test } from 'vitest';
import * as sourcesRoute from '../../app/api/orgs/[org]/settings/sources/route.ts';
import * as deliveriesRoute from '../../app/api/orgs/[org]/settings/sources/[source]/deliveries/route.ts';
import * as credentialsRoute from '../../app/api/orgs/[org]/settings/source-credentials/route.ts';
import * as credentialRoute from '../../app/api/orgs/[org]/settings/source-credentials/[credentialId]/route.ts';
import * as retryRoute from '../../app/api/orgs/[org]/settings/events/retry/route.ts';
import * as auditRoute from '../../app/api/orgs/[org]/settings/audit-log/route.ts';
import { randomSlug } from '../../test/factories.ts';
import { createSession } from '../auth/sessions.ts';
import { decryptSecret } from '../auth/secrets.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { rotateWebhookSecret } from '../auth/webhook-secrets.ts';
import { db } from '../db/client.ts';
import type { EventSource, RawEventStatus } from '../db/generated/enums.ts';
import type { SourceSummary } from './sources.ts';

type Route = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function orgWith(...roles: ('owner' | 'admin' | 'member')[]) {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Sources org' } });
  const people = [];
  for (const role of roles) {
    const user = await db().user.create({ data: { email: `${randomSlug(role)}@example.com` } });
    await db().membership.create({ data: { orgId: org.id, userId: user.id, role } });
    const { sessionToken } = await createSession({ userId: user.id, orgId: org.id });
    people.push({ userId: user.id, cookie: `next-auth.session-token=${sessionToken}` });
  }
  return { org, people };
}

async function call(route: Route, o: { slug: string; cookie?: string; method?: string; body?: unknown; params?: Record<string, string>; query?: string }) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.cookie) headers.cookie = o.cookie;
  const req = new Request(`http://test/api/orgs/${o.slug}/x${o.query ? `?${o.query}` : ''}`, { method: o.method ?? 'GET', headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
  const res = await route(req, { params: Promise.resolve({ org: o.slug, ...o.params }) });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

const DAY = 86_400_000;

async function event(orgId: string, source: EventSource, o: { status?: RawEventStatus; daysAgo?: number; receivedAt?: Date; error?: string; eventType?: string; attempts?: number } = {}) {
  return db().rawEvent.create({
    data: {
      orgId,
      source,
      deliveryId: randomSlug('delivery'),
      eventType: o.eventType ?? 'pull_request',
      headers: { 'x-github-event': 'pull_request' },
      payload: { secretish: 'payload-body-not-listed' },
      status: o.status ?? 'processed',
      attempts: o.attempts ?? 1,
      error: o.error ?? null,
      receivedAt: o.receivedAt ?? new Date(Date.now() - (o.daysAgo ?? 0) * DAY),
      nextAttemptAt: new Date(Date.now() + 3600_000),
    },
  });
}

describe('settings API for data sources: who may call it', () => {
  // Every route of this API, each with a request that would succeed for an admin of the org.
  const routes: [string, Route, { method?: string; body?: unknown; params?: Record<string, string> }][] = [
    ['GET sources', sourcesRoute.GET, {}],
    ['GET sources/github/deliveries', deliveriesRoute.GET, { params: { source: 'github' } }],
    ['GET source-credentials', credentialsRoute.GET, {}],
    ['POST source-credentials', credentialsRoute.POST, { method: 'POST', body: { source: 'copilot', target: 'acme', token: 'ghp_x' } }],
    ['DELETE source-credentials/[id]', credentialRoute.DELETE, { method: 'DELETE', params: { credentialId: 'CREDENTIAL' } }],
    ['POST events/retry', retryRoute.POST, { method: 'POST', body: { source: 'github' } }],
  ];

  test.each(routes)('%s: a member gets 403, no session 401, another org\'s admin 404, its admin 2xx', async (_name, route, request) => {
    const [{ org, people }, other] = await Promise.all([orgWith('admin', 'member'), orgWith('admin')]);
    const credential = await db().sourceCredential.create({ data: { orgId: org.id, source: 'copilot', target: 'acme', tokenEnc: 'x' } });
    const params = Object.fromEntries(Object.entries(request.params ?? {}).map(([k, v]) => [k, v === 'CREDENTIAL' ? credential.id : v]));
    const base = { slug: org.slug, method: request.method, body: request.body, params };
    expect((await call(route, { ...base, cookie: people[1]!.cookie })).status).toBe(403);
    expect((await call(route, base)).status).toBe(401);
    expect((await call(route, { ...base, cookie: other.people[0]!.cookie })).status).toBe(404);
    expect([200, 201, 204]).toContain((await call(route, { ...base, cookie: people[0]!.cookie })).status);
  });
});

describe('GET settings/sources', () => {
  test('answers each source of the catalogue with its URL, credential, latest delivery and last 7 days by status, counting only this org', async () => {
    const { org, people } = await orgWith('admin');
    const other = await orgWith('admin');
    await rotateWebhookSecret({ orgId: org.id, source: 'github' });
    await createIngestToken({ orgId: org.id, name: 'CI', scopes: ['ingest:write'] });
    await createIngestToken({ orgId: org.id, name: 'Reader', scopes: ['metrics:read'] });
    await createIngestToken({ orgId: org.id, name: 'Claude Code', scopes: ['otlp:write'] });
    await db().sourceCredential.create({ data: { orgId: org.id, source: 'copilot', target: 'acme', tokenEnc: 'x', lastError: 'GitHub answered 401' } });
    const newest = await event(org.id, 'github', { status: 'failed', error: 'boom', daysAgo: 1 });
    await event(org.id, 'github', { status: 'processed', daysAgo: 2 });
    await event(org.id, 'github', { status: 'processed', daysAgo: 10 });
    await event(org.id, 'jira', { status: 'processed', daysAgo: 9 });
    await event(org.id, 'ci', { status: 'pending', eventType: 'ci.run', daysAgo: 0.5 });
    await event(other.org.id, 'github', { status: 'failed', daysAgo: 0 });
    await event(other.org.id, 'gitlab', { status: 'processed', daysAgo: 0 });

    const res = await call(sourcesRoute.GET, { slug: org.slug, cookie: people[0]!.cookie });
    expect(res.status).toBe(200);
    const byId = Object.fromEntries((res.body.sources as SourceSummary[]).map((s) => [s.id, s]));
    expect(Object.keys(byId)).toEqual(['github', 'gitlab', 'jira', 'linear', 'ci', 'otlp', 'ai_usage', 'copilot', 'cursor', 'anthropic', 'openai']);
    const none = { pending: 0, processed: 0, failed: 0, ignored: 0 };
    expect(byId.github).toMatchObject({
      kind: 'webhook',
      url: `http://test/api/orgs/${org.slug}/webhooks/github`,
      credential: { kind: 'webhook_secret', setAt: expect.any(String) },
      lastReceivedAt: newest.receivedAt.toISOString(),
      recent: { ...none, processed: 1, failed: 1 },
      state: 'receiving',
    });
    expect(byId.gitlab).toMatchObject({ credential: { kind: 'webhook_secret', setAt: null }, lastReceivedAt: null, recent: none, state: 'not_connected' });
    expect(byId.jira).toMatchObject({ recent: none, state: 'idle' });
    expect(byId.ci).toMatchObject({ url: `http://test/api/orgs/${org.slug}/ingest/ci`, credential: { kind: 'ingest_token', scope: 'ingest:write', liveTokens: 1 }, recent: { ...none, pending: 1 }, state: 'receiving' });
    expect(byId.otlp).toMatchObject({ url: `http://test/api/orgs/${org.slug}/otlp/v1/metrics`, credential: { scope: 'otlp:write', liveTokens: 1 }, state: 'awaiting_first_delivery' });
    expect(byId.ai_usage).toMatchObject({ url: `http://test/api/orgs/${org.slug}/ingest/ai-usage`, credential: { scope: 'ingest:write', liveTokens: 1 } });
    expect(byId.copilot).toMatchObject({ url: null, credential: { kind: 'api_token', stored: 1, lastFetchAt: null, lastError: 'GitHub answered 401' }, state: 'awaiting_first_delivery' });
    expect(byId.cursor).toMatchObject({ kind: 'cli', url: null, credential: null, state: 'not_connected' });
  });

  test('URLs use the host and protocol the browser asked for, not the address the server listens on', async () => {
    const { org, people } = await orgWith('admin');
    const req = new Request(`http://localhost:3000/api/orgs/${org.slug}/settings/sources`, { headers: { cookie: people[0]!.cookie, host: 'tl.example.com:8443', 'x-forwarded-proto': 'https' } });
    const res = await sourcesRoute.GET(req, { params: Promise.resolve({ org: org.slug }) });
    const { sources } = (await res.json()) as { sources: SourceSummary[] };
    expect(sources.find((s) => s.id === 'linear')!.url).toBe(`https://tl.example.com:8443/api/orgs/${org.slug}/webhooks/linear`);
  });

  test('a revoked or expired token, or one without the source\'s scope, does not count as a credential', async () => {
    const { org, people } = await orgWith('admin');
    const { record } = await createIngestToken({ orgId: org.id, name: 'Old', scopes: ['otlp:write'] });
    await db().ingestToken.updateMany({ where: { orgId: org.id, id: record.id }, data: { revokedAt: new Date() } });
    await createIngestToken({ orgId: org.id, name: 'Expired', scopes: ['otlp:write'], expiresAt: new Date(Date.now() - 1000) });
    await createIngestToken({ orgId: org.id, name: 'CI', scopes: ['ingest:write', 'metrics:read'] });
    const res = await call(sourcesRoute.GET, { slug: org.slug, cookie: people[0]!.cookie });
    expect((res.body.sources as SourceSummary[]).find((s) => s.id === 'otlp')).toMatchObject({ credential: { liveTokens: 0 }, state: 'not_connected' });
  });
});

describe('GET settings/sources/[source]/deliveries', () => {
  test('lists only this org\'s deliveries of the source, newest first, without payloads or headers', async () => {
    const { org, people } = await orgWith('admin');
    const other = await orgWith('admin');
    const older = await event(org.id, 'github', { status: 'processed', daysAgo: 3 });
    const failed = await event(org.id, 'github', { status: 'failed', error: 'payload not understood: pull_request.number: expected number', attempts: 8, daysAgo: 1 });
    await event(org.id, 'gitlab', { status: 'processed', daysAgo: 0 });
    await event(other.org.id, 'github', { status: 'failed', error: 'other org', daysAgo: 0 });

    const res = await call(deliveriesRoute.GET, { slug: org.slug, cookie: people[0]!.cookie, params: { source: 'github' } });
    expect(res).toEqual({
      status: 200,
      body: {
        deliveries: [
          { id: failed.id, eventType: 'pull_request', deliveryId: failed.deliveryId, status: 'failed', receivedAt: failed.receivedAt.toISOString(), processedAt: null, attempts: 8, error: 'payload not understood: pull_request.number: expected number' },
          { id: older.id, eventType: 'pull_request', deliveryId: older.deliveryId, status: 'processed', receivedAt: older.receivedAt.toISOString(), processedAt: null, attempts: 1, error: null },
        ],
        nextCursor: null,
      },
    });
    const failedOnly = await call(deliveriesRoute.GET, { slug: org.slug, cookie: people[0]!.cookie, params: { source: 'github' }, query: 'status=failed' });
    expect(failedOnly.body.deliveries.map((d: { id: string }) => d.id)).toEqual([failed.id]);
  });

  test('pages by cursor without gaps or repeats, also among deliveries received at the same instant', async () => {
    const { org, people } = await orgWith('admin');
    const at = new Date('2026-03-02T10:00:00.000Z');
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await event(org.id, 'ci', { receivedAt: i < 3 ? at : new Date(at.getTime() - i * 1000), eventType: 'ci.run' }));
    const seen: string[] = [];
    let cursor: string | null = null;
    const pages: number[] = [];
    do {
      const res: { status: number; body: { deliveries: { id: string }[]; nextCursor: string | null } } = await call(deliveriesRoute.GET, {
        slug: org.slug, cookie: people[0]!.cookie, params: { source: 'ci' }, query: `limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(res.status).toBe(200);
      pages.push(res.body.deliveries.length);
      seen.push(...res.body.deliveries.map((d) => d.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual([2, 2, 1]);
    const expected = [...created].sort((a, b) => b.receivedAt.getTime() - a.receivedAt.getTime() || (a.id < b.id ? 1 : -1)).map((e) => e.id);
    expect(seen).toEqual(expected);
  });

  test('an unknown source is a 404, a bad status or cursor a 400 naming it', async () => {
    const { org, people } = await orgWith('admin');
    const base = { slug: org.slug, cookie: people[0]!.cookie };
    expect(await call(deliveriesRoute.GET, { ...base, params: { source: 'svn' } })).toEqual({ status: 404, body: { error: { code: 'not_found', message: "No data source 'svn'" } } });
    const badStatus = await call(deliveriesRoute.GET, { ...base, params: { source: 'github' }, query: 'status=lost' });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.message).toMatch(/^status: /);
    expect(await call(deliveriesRoute.GET, { ...base, params: { source: 'github' }, query: 'cursor=bm9wZQ' })).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'cursor: is not a nextCursor this API answered' } } });
  });
});

describe('POST settings/events/retry with a source or an event', () => {
  test('retrying one failed delivery makes only it due now with fresh attempts', async () => {
    const { org, people } = await orgWith('admin');
    const target = await event(org.id, 'github', { status: 'failed', error: 'boom', attempts: 8 });
    const sibling = await event(org.id, 'github', { status: 'failed', error: 'boom', attempts: 3 });
    const res = await call(retryRoute.POST, { slug: org.slug, cookie: people[0]!.cookie, method: 'POST', body: { eventId: target.id } });
    expect(res).toEqual({ status: 200, body: { retried: 1 } });
    const after = await db().rawEvent.findMany({ where: { orgId: org.id }, select: { id: true, status: true, attempts: true, nextAttemptAt: true } });
    const byId = new Map(after.map((e) => [e.id, e]));
    expect(byId.get(target.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(byId.get(target.id)!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(byId.get(sibling.id)).toMatchObject({ status: 'failed', attempts: 3 });
  });

  test('retrying a source leaves other sources\' failed deliveries alone', async () => {
    const { org, people } = await orgWith('admin');
    await event(org.id, 'github', { status: 'failed' });
    await event(org.id, 'github', { status: 'processed' });
    const jira = await event(org.id, 'jira', { status: 'failed' });
    expect(await call(retryRoute.POST, { slug: org.slug, cookie: people[0]!.cookie, method: 'POST', body: { source: 'github' } })).toEqual({ status: 200, body: { retried: 1 } });
    expect(await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id, id: jira.id } })).toMatchObject({ status: 'failed' });
  });

  test('another org\'s failed delivery, or one that did not fail, is a 404 and stays as it was', async () => {
    const { org, people } = await orgWith('admin');
    const other = await orgWith('admin');
    const foreign = await event(other.org.id, 'github', { status: 'failed', attempts: 8 });
    const processed = await event(org.id, 'github', { status: 'processed' });
    for (const e of [foreign, processed]) {
      const res = await call(retryRoute.POST, { slug: org.slug, cookie: people[0]!.cookie, method: 'POST', body: { eventId: e.id } });
      expect(res).toEqual({ status: 404, body: { error: { code: 'not_found', message: `No failed delivery '${e.id}'` } } });
    }
    expect(await db().rawEvent.findFirstOrThrow({ where: { id: foreign.id } })).toMatchObject({ status: 'failed', attempts: 8 });
    expect(await db().rawEvent.findFirstOrThrow({ where: { id: processed.id } })).toMatchObject({ status: 'processed' });
  });

  test('an unknown source in the body is a 400 naming the field', async () => {
    const { org, people } = await orgWith('admin');
    const res = await call(retryRoute.POST, { slug: org.slug, cookie: people[0]!.cookie, method: 'POST', body: { source: 'svn' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^source: /);
  });
});

describe('settings/source-credentials', () => {
  test('a token is stored encrypted, never answered, replaced for the same target, deleted, and every change is audited without it', async () => {
    const { org, people } = await orgWith('admin');
    const admin = { slug: org.slug, cookie: people[0]!.cookie };
    const token = 'ghp_first0000000000000000000000000000000';
    const created = await call(credentialsRoute.POST, { ...admin, method: 'POST', body: { source: 'copilot', target: 'acme/platform', token } });
    expect(created).toEqual({ status: 201, body: { credential: { id: expect.any(String), source: 'copilot', target: 'acme/platform', createdAt: expect.any(String), lastFetchAt: null, lastError: null } } });
    const id: string = created.body.credential.id;
    const row = await db().sourceCredential.findFirstOrThrow({ where: { orgId: org.id, id } });
    expect(row.tokenEnc).not.toContain(token);
    expect(decryptSecret(row.tokenEnc)).toBe(token);

    // A fetch failed with the first token; a new one for the same target replaces it and clears that.
    await db().sourceCredential.updateMany({ where: { orgId: org.id, id }, data: { lastError: 'GitHub answered 401' } });
    const second = 'ghp_second000000000000000000000000000000';
    const replaced = await call(credentialsRoute.POST, { ...admin, method: 'POST', body: { source: 'copilot', target: 'acme/platform', token: second } });
    expect(replaced).toMatchObject({ status: 200, body: { credential: { id, lastError: null } } });
    expect(decryptSecret((await db().sourceCredential.findFirstOrThrow({ where: { orgId: org.id, id } })).tokenEnc)).toBe(second);

    const listed = await call(credentialsRoute.GET, { ...admin, query: 'source=copilot' });
    expect(listed.body.credentials.map((c: { id: string; target: string }) => [c.id, c.target])).toEqual([[id, 'acme/platform']]);
    for (const answer of [created, replaced, listed]) {
      expect(JSON.stringify(answer.body)).not.toMatch(/ghp_|tokenEnc|v1\./);
    }

    expect(await call(credentialRoute.DELETE, { ...admin, method: 'DELETE', params: { credentialId: id } })).toEqual({ status: 204, body: null });
    expect((await call(credentialRoute.DELETE, { ...admin, method: 'DELETE', params: { credentialId: id } })).status).toBe(404);
    expect((await call(credentialsRoute.GET, admin)).body).toEqual({ credentials: [] });

    const log = await call(auditRoute.GET, admin);
    expect(log.body.entries.map((e: { action: string; detail: unknown }) => [e.action, e.detail])).toEqual([
      ['source_credential.delete', { source: 'copilot', target: 'acme/platform' }],
      ['source_credential.set', { source: 'copilot', target: 'acme/platform', replaced: true }],
      ['source_credential.set', { source: 'copilot', target: 'acme/platform', replaced: false }],
    ]);
    expect(JSON.stringify(log.body)).not.toContain('ghp_');
  });

  test('another org\'s credential cannot be deleted (404) and is not listed', async () => {
    const { org, people } = await orgWith('admin');
    const other = await orgWith('admin');
    const foreign = await db().sourceCredential.create({ data: { orgId: other.org.id, source: 'copilot', target: 'theirs', tokenEnc: 'x' } });
    const res = await call(credentialRoute.DELETE, { slug: org.slug, cookie: people[0]!.cookie, method: 'DELETE', params: { credentialId: foreign.id } });
    expect(res).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'Credential not found' } } });
    expect(await db().sourceCredential.count({ where: { id: foreign.id } })).toBe(1);
    expect((await call(credentialsRoute.GET, { slug: org.slug, cookie: people[0]!.cookie })).body).toEqual({ credentials: [] });
  });

  test.each([
    [{ source: 'copilot', target: 'acme/platform/extra', token: 't' }, /^target: must be a GitHub organization/],
    [{ source: 'copilot', target: '-acme', token: 't' }, /^target: /],
    [{ source: 'cursor', target: 'acme', token: 't' }, /^source: /],
    [{ source: 'copilot', target: 'acme', token: 'two words' }, /^token: must be one token/],
    [{ source: 'copilot', target: 'acme' }, /^token: /],
  ])('POST %j is a 400 naming the field, and stores nothing', async (body, message) => {
    const { org, people } = await orgWith('admin');
    const res = await call(credentialsRoute.POST, { slug: org.slug, cookie: people[0]!.cookie, method: 'POST', body });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    expect(await db().sourceCredential.count({ where: { orgId: org.id } })).toBe(0);
  });
});
