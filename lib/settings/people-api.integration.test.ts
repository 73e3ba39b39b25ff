import { describe, expect, test } from 'vitest';
import * as people from '../../app/api/orgs/[org]/settings/people/route.ts';
import * as merge from '../../app/api/orgs/[org]/settings/people/merge/route.ts';
import * as person from '../../app/api/orgs/[org]/settings/people/[personId]/route.ts';
import * as rules from '../../app/api/orgs/[org]/settings/attribution-rules/route.ts';
import * as rule from '../../app/api/orgs/[org]/settings/attribution-rules/[ruleId]/route.ts';
import { createSession } from '../auth/sessions.ts';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';

// The people and attribution-rules routes of the settings API, through their handlers.

type Route = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function orgWith(role: 'admin' | 'member') {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'People org' } });
  const user = await db().user.create({ data: { email: `${randomSlug(role)}@example.com` } });
  await db().membership.create({ data: { orgId: org.id, userId: user.id, role } });
  const { sessionToken } = await createSession({ userId: user.id, orgId: org.id });
  const [ann, annMail] = await Promise.all([
    db().person.create({ data: { orgId: org.id, displayName: 'Ann Lee' } }),
    db().person.create({ data: { orgId: org.id, displayName: 'ann@laptop.local' } }),
  ]);
  await db().identity.create({ data: { orgId: org.id, personId: annMail.id, provider: 'git_email', externalId: 'ann@laptop.local', email: 'ann@laptop.local' } });
  return { org, userId: user.id, cookie: `next-auth.session-token=${sessionToken}`, ann, annMail };
}

async function call(route: Route, o: { slug: string; cookie: string; method?: string; body?: unknown; search?: string; params?: Record<string, string> }) {
  const req = new Request(`http://test/api/orgs/${o.slug}/x${o.search ?? ''}`, {
    method: o.method ?? 'GET',
    headers: { 'content-type': 'application/json', cookie: o.cookie },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const res = await route(req, { params: Promise.resolve({ org: o.slug, ...o.params }) });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

describe('people API', () => {
  test('a member gets 403 on every people and rules route', async () => {
    const { org, cookie, ann, annMail } = await orgWith('member');
    const slug = org.slug;
    expect((await call(people.GET, { slug, cookie })).status).toBe(403);
    expect((await call(merge.POST, { slug, cookie, method: 'POST', body: { into: ann.id, from: annMail.id } })).status).toBe(403);
    expect((await call(person.PATCH, { slug, cookie, method: 'PATCH', body: { isBot: true }, params: { personId: ann.id } })).status).toBe(403);
    expect((await call(rules.GET, { slug, cookie })).status).toBe(403);
    expect((await call(rules.POST, { slug, cookie, method: 'POST', body: { kind: 'pr_label', pattern: 'ai' } })).status).toBe(403);
    expect(await db().person.count({ where: { orgId: org.id } })).toBe(2);
  });

  test('an admin searches people by login or address and gets their identities', async () => {
    const { org, cookie, annMail } = await orgWith('admin');
    const res = await call(people.GET, { slug: org.slug, cookie, search: '?q=LAPTOP&kind=engineers' });
    expect(res).toEqual({
      status: 200,
      body: {
        total: 1,
        people: [{ id: annMail.id, displayName: 'ann@laptop.local', email: null, isBot: false, identities: [{ id: expect.any(String), provider: 'git_email', externalId: 'ann@laptop.local', login: null, email: 'ann@laptop.local' }], activity: { pullRequests: 0, commits: 0, reviews: 0 } }],
      },
    });
    const bad = await call(people.GET, { slug: org.slug, cookie, search: '?kind=robots' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^kind: /);
  });

  test('an admin merges a stray identity into an engineer: 204, one person left, audited with the actor', async () => {
    const { org, cookie, userId, ann, annMail } = await orgWith('admin');
    expect(await call(merge.POST, { slug: org.slug, cookie, method: 'POST', body: { into: ann.id, from: annMail.id } })).toEqual({ status: 204, body: null });
    const left = await call(people.GET, { slug: org.slug, cookie });
    expect(left.body.people.map((p: { id: string; identities: unknown[] }) => [p.id, p.identities.length])).toEqual([[ann.id, 1]]);
    expect(await db().auditLogEntry.findFirstOrThrow({ where: { orgId: org.id } })).toMatchObject({ action: 'person.merge', actorUserId: userId, target: `person:${ann.id}` });
  });

  test("merging another org's person, an unknown id or a person into itself: 404, 404, 400", async () => {
    const a = await orgWith('admin');
    const b = await orgWith('admin');
    const merging = (body: unknown) => call(merge.POST, { slug: a.org.slug, cookie: a.cookie, method: 'POST', body });
    expect(await merging({ into: a.ann.id, from: b.annMail.id })).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'Person not found' } } });
    expect((await merging({ into: 'nobody', from: a.annMail.id })).status).toBe(404);
    expect(await merging({ into: a.ann.id, from: a.ann.id })).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'Cannot merge a person into itself' } } });
    expect((await merging({ into: a.ann.id })).body.error.message).toMatch(/^from: /);
    expect(await db().person.count({ where: { orgId: b.org.id } })).toBe(2);
  });

  test("an admin marks a person as a bot and back; another org's person is 404; isBot must be a boolean", async () => {
    const a = await orgWith('admin');
    const b = await orgWith('admin');
    const patch = (personId: string, body: unknown) => call(person.PATCH, { slug: a.org.slug, cookie: a.cookie, method: 'PATCH', body, params: { personId } });
    const marked = await patch(a.annMail.id, { isBot: true });
    expect({ status: marked.status, isBot: marked.body.person.isBot }).toEqual({ status: 200, isBot: true });
    expect((await call(people.GET, { slug: a.org.slug, cookie: a.cookie, search: '?kind=bots' })).body.people.map((p: { id: string }) => p.id)).toEqual([a.annMail.id]);
    expect((await patch(a.annMail.id, { isBot: false })).body.person.isBot).toBe(false);
    expect((await patch(b.ann.id, { isBot: true })).status).toBe(404);
    expect((await patch(a.ann.id, { isBot: 'yes' })).body.error.message).toMatch(/^isBot: /);
  });
});

describe('attribution rules API', () => {
  test('an admin adds a rule (201), lists it and deletes it (204)', async () => {
    const { org, cookie } = await orgWith('admin');
    const created = await call(rules.POST, { slug: org.slug, cookie, method: 'POST', body: { kind: 'commit_trailer', pattern: '^AI-Agent:', tool: 'claude_code' } });
    expect(created).toEqual({ status: 201, body: { rule: { id: expect.any(String), kind: 'commit_trailer', pattern: '^AI-Agent:', tool: 'claude_code', enabled: true, createdAt: expect.any(String) } } });
    expect((await call(rules.GET, { slug: org.slug, cookie })).body.rules).toEqual([created.body.rule]);
    expect(await call(rule.DELETE, { slug: org.slug, cookie, method: 'DELETE', params: { ruleId: created.body.rule.id } })).toEqual({ status: 204, body: null });
    expect((await call(rules.GET, { slug: org.slug, cookie })).body.rules).toEqual([]);
  });

  test.each([
    [{ kind: 'commit_message', pattern: '(unclosed' }, /^pattern: is not a valid regular expression \(/],
    [{ kind: 'commit_message', pattern: 'a'.repeat(5000) }, /^pattern: must be at most 200 characters$/],
    [{ kind: 'commit_message', pattern: '.*' }, /^pattern: matches empty text, so it would match every commit/],
    [{ kind: 'pr_title', pattern: 'ai' }, /^kind: /],
  ])('%j is a 400 naming the field', async (body, message) => {
    const { org, cookie } = await orgWith('admin');
    const res = await call(rules.POST, { slug: org.slug, cookie, method: 'POST', body });
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 400, code: 'bad_request' });
    expect(res.body.error.message).toMatch(message);
    expect(await db().aiAttributionRule.count({ where: { orgId: org.id } })).toBe(0);
  });

  test("deleting another org's rule or an unknown one is 404, and it stays", async () => {
    const a = await orgWith('admin');
    const b = await orgWith('admin');
    const other = await db().aiAttributionRule.create({ data: { orgId: b.org.id, kind: 'pr_label', pattern: 'ai' } });
    expect(await call(rule.DELETE, { slug: a.org.slug, cookie: a.cookie, method: 'DELETE', params: { ruleId: other.id } })).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'Rule not found' } } });
    expect((await call(rule.DELETE, { slug: a.org.slug, cookie: a.cookie, method: 'DELETE', params: { ruleId: 'nope' } })).status).toBe(404);
    expect(await db().aiAttributionRule.count({ where: { id: other.id } })).toBe(1);
  });
});
