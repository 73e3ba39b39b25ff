import { describe, expect, test } from 'vitest';
import * as members from '../../app/api/orgs/[org]/settings/members/route.ts';
import * as member from '../../app/api/orgs/[org]/settings/members/[userId]/route.ts';
import * as saml from '../../app/api/orgs/[org]/settings/sso/saml/route.ts';
import { idpMetadata, IDP_ENTITY_ID, makeIdpKey } from '../../test/saml-idp.ts';
import * as oidc from '../../app/api/orgs/[org]/settings/sso/oidc/route.ts';
import * as tokens from '../../app/api/orgs/[org]/settings/tokens/route.ts';
import * as sessions from '../../app/api/orgs/[org]/settings/members/[userId]/sessions/route.ts';
import * as token from '../../app/api/orgs/[org]/settings/tokens/[tokenId]/route.ts';
import * as webhook from '../../app/api/orgs/[org]/settings/webhook-secrets/[source]/route.ts';
import * as retryEvents from '../../app/api/orgs/[org]/settings/events/retry/route.ts';
import * as audit from '../../app/api/orgs/[org]/settings/audit-log/route.ts';
import * as weekly from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { createSession } from '../auth/sessions.ts';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';


type Route = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function orgWith(...roles: ('owner' | 'admin' | 'member')[]) {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Settings org' } });
  const people = [];
  for (const role of roles) {
    const user = await db().user.create({ data: { email: `${randomSlug(role)}@example.com` } });
    await db().membership.create({ data: { orgId: org.id, userId: user.id, role } });
    const { sessionToken } = await createSession({ userId: user.id, orgId: org.id });
    people.push({ userId: user.id, cookie: `next-auth.session-token=${sessionToken}` });
  }
  return { org, people };
}

async function call(route: Route, o: { slug: string; cookie?: string; authorization?: string; method?: string; body?: unknown; params?: Record<string, string> }) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (o.cookie) headers.cookie = o.cookie;
  if (o.authorization) headers.authorization = o.authorization;
  const req = new Request(`http://test/api/orgs/${o.slug}/x`, { method: o.method ?? 'GET', headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
  const res = await route(req, { params: Promise.resolve({ org: o.slug, ...o.params }) });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

describe('settings API', () => {
  test('members need the admin role: a member gets 403, an admin the list', async () => {
    const { org, people } = await orgWith('owner', 'admin', 'member');
    expect((await call(members.GET, { slug: org.slug, cookie: people[2]!.cookie })).status).toBe(403);
    const { status, body } = await call(members.GET, { slug: org.slug, cookie: people[1]!.cookie });
    expect(status).toBe(200);
    expect(body.members.map((m: { role: string }) => m.role)).toEqual(['owner', 'admin', 'member']);
  });

  test('an admin promotes a member to admin, but only an owner makes an owner', async () => {
    const { org, people } = await orgWith('owner', 'admin', 'member');
    const [owner, admin, plain] = people;
    expect((await call(member.PATCH, { slug: org.slug, cookie: admin!.cookie, method: 'PATCH', body: { role: 'admin' }, params: { userId: plain!.userId } })).status).toBe(204);
    const refused = await call(member.PATCH, { slug: org.slug, cookie: admin!.cookie, method: 'PATCH', body: { role: 'owner' }, params: { userId: plain!.userId } });
    expect(refused).toEqual({ status: 403, body: { error: { code: 'forbidden', message: 'Only an owner can change an owner or make one' } } });
    expect((await call(member.PATCH, { slug: org.slug, cookie: owner!.cookie, method: 'PATCH', body: { role: 'owner' }, params: { userId: plain!.userId } })).status).toBe(204);
  });

  test('the last owner cannot be demoted or removed', async () => {
    const { org, people } = await orgWith('owner');
    const self = { slug: org.slug, cookie: people[0]!.cookie, params: { userId: people[0]!.userId } };
    expect((await call(member.PATCH, { ...self, method: 'PATCH', body: { role: 'admin' } })).status).toBe(409);
    expect((await call(member.DELETE, { ...self, method: 'DELETE' })).status).toBe(409);
  });

  test('a removed member is refused on their next request', async () => {
    const { org, people } = await orgWith('owner', 'member');
    expect((await call(weekly.GET, { slug: org.slug, cookie: people[1]!.cookie })).status).toBe(200);
    expect((await call(member.DELETE, { slug: org.slug, cookie: people[0]!.cookie, method: 'DELETE', params: { userId: people[1]!.userId } })).status).toBe(204);
    expect((await call(weekly.GET, { slug: org.slug, cookie: people[1]!.cookie })).status).toBe(404);
  });

  test('removing an admin revokes the tokens they created at once; tokens others created keep working', async () => {
    const { org, people } = await orgWith('owner', 'admin');
    const [owner, admin] = people;
    const create = (cookie: string, name: string) => call(tokens.POST, { slug: org.slug, cookie, method: 'POST', body: { name, scopes: ['metrics:read'] } });
    const theirs = (await create(admin!.cookie, 'Admin script')).body.token as string;
    const ours = (await create(owner!.cookie, 'Owner script')).body.token as string;
    const read = (token: string) => call(weekly.GET, { slug: org.slug, authorization: `Bearer ${token}` });
    expect((await read(theirs)).status).toBe(200);

    expect((await call(member.DELETE, { slug: org.slug, cookie: owner!.cookie, method: 'DELETE', params: { userId: admin!.userId } })).status).toBe(204);
    expect(await read(theirs)).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'Invalid, revoked or expired token' } } });
    expect((await read(ours)).status).toBe(200);
    const entry = await db().auditLogEntry.findFirst({ where: { orgId: org.id, action: 'member.remove' } });
    expect(entry?.detail).toMatchObject({ role: 'admin', tokensRevoked: 1 });
  });

  test('an admin ends a member\'s sessions: their next request is unauthenticated', async () => {
    const { org, people } = await orgWith('admin', 'member');
    expect((await call(weekly.GET, { slug: org.slug, cookie: people[1]!.cookie })).status).toBe(200);
    const res = await call(sessions.DELETE, { slug: org.slug, cookie: people[0]!.cookie, method: 'DELETE', params: { userId: people[1]!.userId } });
    expect(res).toEqual({ status: 200, body: { ended: 1 } });
    expect((await call(weekly.GET, { slug: org.slug, cookie: people[1]!.cookie })).status).toBe(401);
  });

  test('a role outside owner/admin/member is a 400 naming the field', async () => {
    const { org, people } = await orgWith('owner', 'member');
    const res = await call(member.PATCH, { slug: org.slug, cookie: people[0]!.cookie, method: 'PATCH', body: { role: 'root' }, params: { userId: people[1]!.userId } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^role: /);
  });

  test('tokens: created with the value shown once, listed without it, revoked at once', async () => {
    const { org, people } = await orgWith('admin');
    const created = await call(tokens.POST, { slug: org.slug, cookie: people[0]!.cookie, method: 'POST', body: { name: 'CI', scopes: ['metrics:read'] } });
    expect(created.status).toBe(201);
    const value: string = created.body.token;
    expect((await call(weekly.GET, { slug: org.slug, authorization: `Bearer ${value}` })).status).toBe(200);
    const listed = await call(tokens.GET, { slug: org.slug, cookie: people[0]!.cookie });
    expect(JSON.stringify(listed.body)).not.toContain(value);
    expect((await call(token.DELETE, { slug: org.slug, cookie: people[0]!.cookie, method: 'DELETE', params: { tokenId: created.body.record.id } })).status).toBe(204);
    expect((await call(weekly.GET, { slug: org.slug, authorization: `Bearer ${value}` })).status).toBe(401);
  });

  test('a body that is not JSON is a 400', async () => {
    const { org, people } = await orgWith('admin');
    const req = new Request(`http://test/x`, { method: 'POST', headers: { cookie: people[0]!.cookie }, body: '{"name": ' });
    const res = await tokens.POST(req, { params: Promise.resolve({ org: org.slug }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'bad_request', message: 'Body is not valid JSON' } });
  });

  test('webhook secrets: rotate answers the URL to paste and a new secret; unknown source 404', async () => {
    const { org, people } = await orgWith('admin');
    const res = await call(webhook.POST, { slug: org.slug, cookie: people[0]!.cookie, method: 'POST', params: { source: 'gitlab' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ source: 'gitlab', url: `http://test/api/orgs/${org.slug}/webhooks/gitlab`, secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await call(webhook.POST, { slug: org.slug, cookie: people[0]!.cookie, method: 'POST', params: { source: 'svn' } })).status).toBe(404);
  });

  test('OIDC settings: validated, stored, the secret never answered; all in the audit log', async () => {
    const { org, people } = await orgWith('admin');
    const bad = await call(oidc.PUT, { slug: org.slug, cookie: people[0]!.cookie, method: 'PUT', body: { issuer: 'nope', clientId: 'c', clientSecret: 's', allowedDomains: ['acme.com'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^issuer: /);
    const ok = await call(oidc.PUT, { slug: org.slug, cookie: people[0]!.cookie, method: 'PUT', body: { issuer: 'https://idp.acme.com', clientId: 'c', clientSecret: 'top-secret-value', allowedDomains: ['acme.com'] } });
    expect(ok.status).toBe(200);
    expect(JSON.stringify(ok.body)).not.toContain('top-secret-value');
    const log = await call(audit.GET, { slug: org.slug, cookie: people[0]!.cookie });
    expect(log.body.entries.map((e: { action: string }) => e.action)).toEqual(['sso.oidc_set']);
  });

  test('SAML settings: IdP metadata is read and stored; metadata without what sign-in needs is a 400', async () => {
    const { org, people } = await orgWith('admin');
    const key = await makeIdpKey('settings-test-idp');
    const ok = await call(saml.PUT, { slug: org.slug, cookie: people[0]!.cookie, method: 'PUT', body: { metadataXml: idpMetadata(key.cert), allowedDomains: ['acme.com'] } });
    expect(ok).toEqual({ status: 200, body: { connection: { id: expect.any(String), idpEntityId: IDP_ENTITY_ID, allowedDomains: ['acme.com'] } } });
    const bad = await call(saml.PUT, { slug: org.slug, cookie: people[0]!.cookie, method: 'PUT', body: { metadataXml: '<not-metadata/>', allowedDomains: ['acme.com'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^metadataXml: IdP metadata /);
  });

  test('failed deliveries are retried on request: due now, with fresh attempts', async () => {
    const { org, people } = await orgWith('admin');
    await db().rawEvent.create({ data: { orgId: org.id, source: 'github', deliveryId: 'd1', eventType: 'pull_request', headers: {}, payload: {}, status: 'failed', attempts: 3, error: 'boom', nextAttemptAt: new Date(Date.now() + 3600_000) } });
    expect(await call(retryEvents.POST, { slug: org.slug, cookie: people[0]!.cookie, method: 'POST' })).toEqual({ status: 200, body: { retried: 1 } });
    const event = await db().rawEvent.findFirstOrThrow({ where: { orgId: org.id } });
    expect(event).toMatchObject({ status: 'pending', attempts: 0 });
    expect(event.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
