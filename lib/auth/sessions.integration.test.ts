import { afterEach, describe, expect, test } from 'vitest';
import { POST as demoSignIn } from '../../app/api/orgs/[org]/demo-sign-in/route.ts';
import { GET as getWeekly } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { POST as signOut } from '../../app/api/sign-out/route.ts';
import { db } from '../db/client.ts';
import { resetEnvCache } from '../env.ts';
import { randomSlug } from '../../test/factories.ts';
import { ABSOLUTE_LIFETIME_MS, createSession, getSessionUser, IDLE_TIMEOUT_MS } from './sessions.ts';

const HOUR = 3600_000;

async function member(role: 'owner' | 'admin' | 'member' = 'member', isDemo = false) {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Sessions org', isDemo } });
  const user = await db().user.create({ data: { email: `${randomSlug('u')}@example.com` } });
  await db().membership.create({ data: { orgId: org.id, userId: user.id, role } });
  const { sessionToken } = await createSession({ userId: user.id, orgId: org.id });
  return { org, user, cookie: `next-auth.session-token=${sessionToken}`, sessionToken };
}

async function weeklyStatus(slug: string, cookie?: string) {
  const res = await getWeekly(new Request(`http://test/api/orgs/${slug}/metrics/weekly`, { headers: cookie ? { cookie } : {} }), { params: Promise.resolve({ org: slug }) });
  return res.status;
}

describe('sessions', () => {
  test('a member reads their org; a member of another org gets 404', async () => {
    const [a, b] = await Promise.all([member(), member()]);
    expect(await weeklyStatus(a.org.slug, a.cookie)).toBe(200);
    expect(await weeklyStatus(a.org.slug, b.cookie)).toBe(404);
  });

  test('a session opens only the org it was signed in for, even for a member of both', async () => {
    const a = await member();
    const b = await db().organization.create({ data: { slug: randomSlug(), name: 'Second org' } });
    await db().membership.create({ data: { orgId: b.id, userId: a.user.id, role: 'admin' } });
    expect(await weeklyStatus(a.org.slug, a.cookie)).toBe(200);
    expect(await weeklyStatus(b.slug, a.cookie)).toBe(404);
    const { sessionToken } = await createSession({ userId: a.user.id, orgId: b.id });
    expect(await weeklyStatus(b.slug, `next-auth.session-token=${sessionToken}`)).toBe(200);
    expect(await weeklyStatus(a.org.slug, `next-auth.session-token=${sessionToken}`)).toBe(404);
  });

  test('an idle session ends after 8 hours and its row is deleted', async () => {
    const { user, org } = await member();
    const start = new Date('2026-03-02T09:00:00Z');
    const { sessionToken } = await createSession({ userId: user.id, orgId: org.id, now: start });
    expect(await getSessionUser(sessionToken, new Date(start.getTime() + 7 * HOUR))).toMatchObject({ userId: user.id });
    // Seen at +7 h, so idle only from then on.
    expect(await getSessionUser(sessionToken, new Date(start.getTime() + 14 * HOUR))).toMatchObject({ userId: user.id });
    expect(await getSessionUser(sessionToken, new Date(start.getTime() + 14 * HOUR + IDLE_TIMEOUT_MS))).toBeNull();
    expect(await db().session.count({ where: { sessionToken } })).toBe(0);
  });

  test('a session in constant use still ends after 7 days', async () => {
    const { user, org } = await member();
    const start = new Date('2026-03-02T09:00:00Z');
    const { sessionToken } = await createSession({ userId: user.id, orgId: org.id, now: start });
    let t = start.getTime();
    for (; t < start.getTime() + ABSOLUTE_LIFETIME_MS - 6 * HOUR; t += 6 * HOUR) {
      expect(await getSessionUser(sessionToken, new Date(t))).not.toBeNull();
    }
    expect(await getSessionUser(sessionToken, new Date(start.getTime() + ABSOLUTE_LIFETIME_MS))).toBeNull();
  });

  test('removing a member ends their access on the next request', async () => {
    const a = await member();
    expect(await weeklyStatus(a.org.slug, a.cookie)).toBe(200);
    await db().membership.delete({ where: { orgId_userId: { orgId: a.org.id, userId: a.user.id } } });
    expect(await weeklyStatus(a.org.slug, a.cookie)).toBe(404);
  });

  test('sign-out deletes the session and clears the cookie', async () => {
    const a = await member();
    const res = await signOut(new Request('http://test/api/sign-out', { method: 'POST', headers: { cookie: a.cookie } }));
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toContain('next-auth.session-token=;');
    expect(await db().session.count({ where: { sessionToken: a.sessionToken } })).toBe(0);
    expect(await weeklyStatus(a.org.slug, a.cookie)).toBe(401);
  });
});

describe('demo sign-in', () => {
  afterEach(() => {
    delete process.env.THROUGHLINE_DEMO;
    resetEnvCache();
  });

  async function signIn(slug: string, url = `http://test/api/orgs/${slug}/demo-sign-in`) {
    return demoSignIn(new Request(url, { method: 'POST' }), { params: Promise.resolve({ org: slug }) });
  }

  test('where enabled, signs into a demo org with an HttpOnly, SameSite=Lax session cookie', async () => {
    process.env.THROUGHLINE_DEMO = '1';
    resetEnvCache();
    const { org } = await member('member', true);
    const res = await signIn(org.slug);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/${org.slug}`);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^next-auth\.session-token=[0-9a-f]{64}; Path=\/; Expires=.*; HttpOnly; SameSite=Lax$/);
    expect(await weeklyStatus(org.slug, cookie.split(';')[0])).toBe(200);
  });

  test('over https the cookie is Secure, under the __Secure- name', async () => {
    process.env.THROUGHLINE_DEMO = '1';
    resetEnvCache();
    const { org } = await member('member', true);
    const cookie = (await signIn(org.slug, `https://example.com/api/orgs/${org.slug}/demo-sign-in`)).headers.get('set-cookie')!;
    expect(cookie).toMatch(/^__Secure-next-auth\.session-token=.*; Secure$/);
  });

  test('each sign-in makes a new session', async () => {
    process.env.THROUGHLINE_DEMO = '1';
    resetEnvCache();
    const { org } = await member('member', true);
    const first = (await signIn(org.slug)).headers.get('set-cookie')!.split(';')[0];
    const second = (await signIn(org.slug)).headers.get('set-cookie')!.split(';')[0];
    expect(first).not.toBe(second);
  });

  test('does not exist where disabled, nor for an org that is not a demo', async () => {
    const demo = await member('member', true);
    expect((await signIn(demo.org.slug)).status).toBe(404);
    process.env.THROUGHLINE_DEMO = '1';
    resetEnvCache();
    const real = await member();
    expect((await signIn(real.org.slug)).status).toBe(404);
  });
});
