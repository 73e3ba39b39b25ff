import { describe, expect, test } from 'vitest';
import { DELETE } from '../../app/api/orgs/[org]/annotations/[annotationId]/route.ts';
import { GET, POST } from '../../app/api/orgs/[org]/annotations/route.ts';
import { createSession } from '../auth/sessions.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';

async function setup() {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Annotations' } });
  await db().team.create({ data: { orgId: org.id, slug: 'alpha', name: 'Alpha' } });
  await db().team.create({ data: { orgId: org.id, slug: 'beta', name: 'Beta' } });
  const user = async (role: 'member' | 'admin') => {
    const u = await db().user.create({ data: { email: `${randomSlug('u')}@example.com` } });
    await db().membership.create({ data: { orgId: org.id, userId: u.id, role } });
    const { sessionToken } = await createSession({ userId: u.id, orgId: org.id });
    return { id: u.id, headers: { cookie: `next-auth.session-token=${sessionToken}` } };
  };
  return { org, ann: await user('member'), bob: await user('member'), admin: await user('admin') };
}

const ctx = (org: string, extra: Record<string, string> = {}) => ({ params: Promise.resolve({ org, ...extra }) });

async function post(slug: string, headers: Record<string, string>, body: unknown) {
  const res = await POST(new Request(`http://test/api/orgs/${slug}/annotations`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }), ctx(slug));
  return { status: res.status, body: await res.json() };
}
async function list(slug: string, headers: Record<string, string>, query = '') {
  const res = await GET(new Request(`http://test/api/orgs/${slug}/annotations?${query}`, { headers }), ctx(slug));
  return { status: res.status, body: await res.json() };
}
async function remove(slug: string, headers: Record<string, string>, id: string) {
  const res = await DELETE(new Request(`http://test/api/orgs/${slug}/annotations/${id}`, { method: 'DELETE', headers }), ctx(slug, { annotationId: id }));
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

describe('/api/orgs/[org]/annotations', () => {
  test('a member creates team and org-wide annotations; the list filters by team and dates; creation is audited', async () => {
    const { org, ann } = await setup();
    const created = await post(org.slug, ann.headers, { teamSlug: 'alpha', date: '2026-03-16', label: 'Agents for everyone', description: 'Claude Code seats' });
    expect(created.status).toBe(201);
    expect(created.body.annotation).toMatchObject({ team: 'alpha', date: '2026-03-16', label: 'Agents for everyone', description: 'Claude Code seats', createdById: ann.id });
    await post(org.slug, ann.headers, { date: '2026-02-01', label: 'Trunk-based' });
    await post(org.slug, ann.headers, { teamSlug: 'beta', date: '2026-03-20', label: 'Beta reorg' });

    const labels = async (query: string) => (await list(org.slug, ann.headers, query)).body.annotations.map((a: { label: string }) => a.label);
    expect(await labels('')).toEqual(['Trunk-based', 'Agents for everyone', 'Beta reorg']);
    expect(await labels('team=alpha')).toEqual(['Trunk-based', 'Agents for everyone']);
    expect(await labels('from=2026-03-01&to=2026-03-16')).toEqual(['Agents for everyone']);

    const audit = await db().auditLogEntry.findMany({ where: { orgId: org.id, action: 'annotation.create' } });
    expect(audit).toHaveLength(3);
    expect(audit.find((e) => e.target === `annotation:${created.body.annotation.id}`)).toMatchObject({ actorUserId: ann.id, detail: { team: 'alpha', date: '2026-03-16', label: 'Agents for everyone' } });
  });

  test('its author or an admin deletes an annotation, another member may not; deletion is audited', async () => {
    const { org, ann, bob, admin } = await setup();
    const a = (await post(org.slug, ann.headers, { date: '2026-03-16', label: 'A' })).body.annotation;
    const b = (await post(org.slug, ann.headers, { date: '2026-03-17', label: 'B' })).body.annotation;
    expect(await remove(org.slug, bob.headers, a.id)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await remove(org.slug, ann.headers, a.id)).status).toBe(204);
    expect((await remove(org.slug, admin.headers, b.id)).status).toBe(204);
    expect((await list(org.slug, ann.headers)).body.annotations).toEqual([]);
    expect(await remove(org.slug, ann.headers, a.id)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const deletions = await db().auditLogEntry.findMany({ where: { orgId: org.id, action: 'annotation.delete' }, orderBy: { createdAt: 'asc' } });
    expect(deletions.map((e) => [e.actorUserId, e.target])).toEqual([[ann.id, `annotation:${a.id}`], [admin.id, `annotation:${b.id}`]]);
  });

  test.each([
    [{ date: '2026-02-30', label: 'x' }, 'date: not a valid calendar date'],
    [{ date: 'yesterday', label: 'x' }, 'date: must be a date as YYYY-MM-DD'],
    [{ date: '2026-03-01', label: '  ' }, 'label: must not be empty'],
    [{ date: '2026-03-01' }, 'label'],
    [{ date: '2026-03-01', label: 'x', colour: 'blue' }, 'Unrecognized key: "colour"'],
  ])('POST %j answers 400 naming the field, storing nothing', async (body, message) => {
    const { org, ann } = await setup();
    const res = await post(org.slug, ann.headers, body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(message);
    expect(await db().annotation.count({ where: { orgId: org.id } })).toBe(0);
  });

  test('an unknown team answers 404; bad list parameters 400', async () => {
    const { org, ann } = await setup();
    expect(await post(org.slug, ann.headers, { teamSlug: 'gamma', date: '2026-03-01', label: 'x' })).toMatchObject({ status: 404, body: { error: { message: "Team 'gamma' not found" } } });
    expect((await list(org.slug, ann.headers, 'team=gamma')).status).toBe(404);
    expect((await list(org.slug, ann.headers, 'from=2026-03-10&to=2026-03-01')).body.error.message).toBe('from must not be after to');
  });

  test("401 without credentials; a token reads but does not write; another org's annotation looks missing", async () => {
    const { org, ann } = await setup();
    const other = await setup();
    const foreign = (await post(other.org.slug, other.ann.headers, { date: '2026-03-01', label: 'theirs' })).body.annotation;
    expect((await list(org.slug, {})).status).toBe(401);
    expect((await post(org.slug, {}, { date: '2026-03-01', label: 'x' })).status).toBe(401);
    const { token } = await createIngestToken({ orgId: org.id, name: 'reader', scopes: ['metrics:read'] });
    const bearer = { authorization: `Bearer ${token}` };
    expect((await list(org.slug, bearer)).status).toBe(200);
    expect((await post(org.slug, bearer, { date: '2026-03-01', label: 'x' })).status).toBe(403);
    expect((await remove(org.slug, ann.headers, foreign.id)).status).toBe(404);
    expect(await db().annotation.count({ where: { orgId: other.org.id } })).toBe(1);
  });
});
