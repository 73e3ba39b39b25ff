import { describe, expect, test } from 'vitest';
import * as teams from '../../app/api/orgs/[org]/settings/teams/route.ts';
import * as team from '../../app/api/orgs/[org]/settings/teams/[teamId]/route.ts';
import * as memberships from '../../app/api/orgs/[org]/settings/teams/[teamId]/memberships/route.ts';
import * as membership from '../../app/api/orgs/[org]/settings/teams/[teamId]/memberships/[membershipId]/route.ts';
import * as history from '../../app/api/orgs/[org]/settings/people/[personId]/memberships/route.ts';
import * as repositories from '../../app/api/orgs/[org]/settings/repositories/route.ts';
import * as repository from '../../app/api/orgs/[org]/settings/repositories/[repositoryId]/route.ts';
import * as metricOptions from '../../app/api/orgs/[org]/settings/metric-options/route.ts';
import { listAudit } from '../audit/audit-log.ts';
import { createSession } from '../auth/sessions.ts';
import { db } from '../db/client.ts';
import { rebuildOrgRollups, readWeekFigures } from '../metrics/rollups.ts';
import { METRICS_VERSION } from '../metrics/schemas.ts';
import { randomSlug } from '../../test/factories.ts';

// The teams, memberships, repositories and metric-options routes of the settings API, through
// their handlers: validation, roles, tenancy, audit, and that metrics follow each change.

type Route = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function orgWith(role: 'admin' | 'member', timeZone = 'UTC') {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Teams org', timeZone } });
  const user = await db().user.create({ data: { email: `${randomSlug(role)}@example.com` } });
  await db().membership.create({ data: { orgId: org.id, userId: user.id, role } });
  const { sessionToken } = await createSession({ userId: user.id, orgId: org.id });
  const [platform, mobile] = await Promise.all(['Platform', 'Mobile'].map((name) => db().team.create({ data: { orgId: org.id, name, slug: name.toLowerCase() } })));
  const ann = await db().person.create({ data: { orgId: org.id, displayName: 'Ann Lee' } });
  const repo = await db().repository.create({ data: { orgId: org.id, provider: 'github', owner: 'acme', name: 'api' } });
  return { org, userId: user.id, cookie: `next-auth.session-token=${sessionToken}`, platform: platform!, mobile: mobile!, ann, repo };
}

async function call(route: Route, o: { slug: string; cookie: string; method?: string; body?: unknown; params?: Record<string, string> }) {
  const req = new Request(`http://test/api/orgs/${o.slug}/x`, {
    method: o.method ?? 'GET',
    headers: { 'content-type': 'application/json', cookie: o.cookie },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  });
  const res = await route(req, { params: Promise.resolve({ org: o.slug, ...o.params }) });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

const actions = async (orgId: string) => (await listAudit({ orgId })).map((e) => e.action);

describe('teams settings API', () => {
  test('a member gets 403 on every teams, repositories and metric-options route', async () => {
    const { org, cookie, platform, ann, repo } = await orgWith('member');
    const c = { slug: org.slug, cookie };
    const calls = [
      call(teams.GET, c),
      call(teams.POST, { ...c, method: 'POST', body: { name: 'Infra' } }),
      call(team.PATCH, { ...c, method: 'PATCH', body: { name: 'X' }, params: { teamId: platform.id } }),
      call(team.DELETE, { ...c, method: 'DELETE', params: { teamId: platform.id } }),
      call(memberships.GET, { ...c, params: { teamId: platform.id } }),
      call(memberships.POST, { ...c, method: 'POST', body: { personId: ann.id, from: '2026-01-05' }, params: { teamId: platform.id } }),
      call(membership.PATCH, { ...c, method: 'PATCH', body: { to: '2026-02-01' }, params: { teamId: platform.id, membershipId: 'x' } }),
      call(membership.DELETE, { ...c, method: 'DELETE', params: { teamId: platform.id, membershipId: 'x' } }),
      call(history.GET, { ...c, params: { personId: ann.id } }),
      call(repositories.GET, c),
      call(repository.PATCH, { ...c, method: 'PATCH', body: { defaultTeamId: platform.id }, params: { repositoryId: repo.id } }),
      call(metricOptions.GET, c),
      call(metricOptions.PUT, { ...c, method: 'PUT', body: { cycleTimeStart: 'created', timeZone: 'UTC', distortionThreshold: 2 } }),
    ];
    expect((await Promise.all(calls)).map((r) => r.status)).toEqual(Array(13).fill(403));
    expect(await db().team.count({ where: { orgId: org.id } })).toBe(2);
    expect(await actions(org.id)).toEqual([]);
  });

  test("another org's admin gets 404, on its slug and with its ids", async () => {
    const a = await orgWith('admin');
    const b = await orgWith('admin');
    // B's admin on A's slug: the org looks missing.
    expect((await call(teams.GET, { slug: a.org.slug, cookie: b.cookie })).status).toBe(404);
    expect((await call(metricOptions.GET, { slug: a.org.slug, cookie: b.cookie })).status).toBe(404);
    // B's admin on B's slug with A's team, person, repository ids: not found either.
    const c = { slug: b.org.slug, cookie: b.cookie };
    const res = await Promise.all([
      call(team.PATCH, { ...c, method: 'PATCH', body: { name: 'Taken over' }, params: { teamId: a.platform.id } }),
      call(team.DELETE, { ...c, method: 'DELETE', params: { teamId: a.platform.id } }),
      call(memberships.POST, { ...c, method: 'POST', body: { personId: b.ann.id, from: '2026-01-05' }, params: { teamId: a.platform.id } }),
      call(memberships.POST, { ...c, method: 'POST', body: { personId: a.ann.id, from: '2026-01-05' }, params: { teamId: b.platform.id } }),
      call(history.GET, { ...c, params: { personId: a.ann.id } }),
      call(repository.PATCH, { ...c, method: 'PATCH', body: { defaultTeamId: b.platform.id }, params: { repositoryId: a.repo.id } }),
      call(repository.PATCH, { ...c, method: 'PATCH', body: { defaultTeamId: a.platform.id }, params: { repositoryId: b.repo.id } }),
    ]);
    expect(res.map((r) => r.status)).toEqual(Array(7).fill(404));
    expect(await db().team.findUniqueOrThrow({ where: { orgId_id: { orgId: a.org.id, id: a.platform.id } } })).toMatchObject({ name: 'Platform' });
    expect(await db().teamMembership.count({ where: { orgId: { in: [a.org.id, b.org.id] } } })).toBe(0);
  });

  test('create, rename and delete a team: validated, slugged, audited', async () => {
    const { org, cookie, platform, repo } = await orgWith('admin');
    const c = { slug: org.slug, cookie };
    const bad = await call(teams.POST, { ...c, method: 'POST', body: { name: '  ' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^name: must not be empty/);
    const badSlug = await call(teams.POST, { ...c, method: 'POST', body: { name: 'Infra', slug: 'Not A Slug' } });
    expect(badSlug.status).toBe(400);
    expect(badSlug.body.error.message).toMatch(/^slug: /);

    const created = await call(teams.POST, { ...c, method: 'POST', body: { name: 'Développeur Expérience' } });
    expect(created).toEqual({ status: 201, body: { team: { id: expect.any(String), slug: 'developpeur-experience', name: 'Développeur Expérience' } } });
    expect((await call(teams.POST, { ...c, method: 'POST', body: { name: 'platform' } })).status).toBe(409);

    const renamed = await call(team.PATCH, { ...c, method: 'PATCH', body: { name: 'DevEx' }, params: { teamId: created.body.team.id } });
    expect(renamed.body.team).toEqual({ id: created.body.team.id, slug: 'developpeur-experience', name: 'DevEx' });
    const list = await call(teams.GET, c);
    expect(list.body.teams.map((t: { name: string }) => t.name)).toEqual(['DevEx', 'Mobile', 'Platform']);

    // Platform has a repository and an annotation: the annotation blocks the delete.
    await db().repository.update({ where: { orgId_id: { orgId: org.id, id: repo.id } }, data: { defaultTeamId: platform.id } });
    await db().annotation.create({ data: { orgId: org.id, teamId: platform.id, date: new Date('2026-01-05'), label: 'Copilot rollout' } });
    const blocked = await call(team.DELETE, { ...c, method: 'DELETE', params: { teamId: platform.id } });
    expect(blocked).toEqual({ status: 409, body: { error: { code: 'conflict', message: 'Platform has 1 annotation that deleting it would lose: rename the team instead' } } });
    await db().annotation.deleteMany({ where: { orgId: org.id } });
    const deleted = await call(team.DELETE, { ...c, method: 'DELETE', params: { teamId: platform.id } });
    expect(deleted).toEqual({ status: 200, body: { deleted: { name: 'Platform', slug: 'platform', memberships: 0, repositories: 1 } } });
    expect(await db().repository.findUniqueOrThrow({ where: { orgId_id: { orgId: org.id, id: repo.id } } })).toMatchObject({ defaultTeamId: null });
    expect(await actions(org.id)).toEqual(['team.delete', 'team.rename', 'team.create']);
  });

  test('memberships: added from a local day, a move ends the old team the day before, ended on a last day, in the history', async () => {
    const { org, cookie, platform, mobile, ann } = await orgWith('admin', 'Europe/Berlin');
    const c = { slug: org.slug, cookie };
    const badDate = await call(memberships.POST, { ...c, method: 'POST', body: { personId: ann.id, from: '2026-02-30' }, params: { teamId: platform.id } });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.message).toBe('from: must be a date as YYYY-MM-DD');
    const noPerson = await call(memberships.POST, { ...c, method: 'POST', body: { from: '2026-01-05' }, params: { teamId: platform.id } });
    expect(noPerson.status).toBe(400);
    expect(noPerson.body.error.message).toMatch(/^personId: /);

    const joined = await call(memberships.POST, { ...c, method: 'POST', body: { personId: ann.id, from: '2025-09-01' }, params: { teamId: platform.id } });
    expect(joined.status).toBe(201);
    expect(joined.body.membership).toMatchObject({ teamName: 'Platform', personName: 'Ann Lee', from: '2025-09-01', to: null, current: true });
    // The first day starts at local midnight: 2025-09-01 00:00 in Berlin is 22:00 UTC the day before.
    const stored = await db().teamMembership.findFirstOrThrow({ where: { orgId: org.id, teamId: platform.id } });
    expect(stored.validFrom.toISOString()).toBe('2025-08-31T22:00:00.000Z');

    const again = await call(memberships.POST, { ...c, method: 'POST', body: { personId: ann.id, from: '2025-10-01' }, params: { teamId: platform.id } });
    expect(again).toEqual({ status: 409, body: { error: { code: 'conflict', message: 'Ann Lee is already in Platform from 2025-09-01: edit or end that membership instead' } } });

    const moved = await call(memberships.POST, { ...c, method: 'POST', body: { personId: ann.id, from: '2026-01-05' }, params: { teamId: mobile.id } });
    expect(moved.status).toBe(201);
    expect(moved.body.endedIn).toEqual(['Platform']);

    const mobileRows = await call(memberships.GET, { ...c, params: { teamId: mobile.id } });
    const id = mobileRows.body.memberships[0].id;
    const backwards = await call(membership.PATCH, { ...c, method: 'PATCH', body: { to: '2026-01-01' }, params: { teamId: mobile.id, membershipId: id } });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toBe('to: must be on or after the first day (2026-01-05)');
    const ended = await call(membership.PATCH, { ...c, method: 'PATCH', body: { to: '2026-03-31' }, params: { teamId: mobile.id, membershipId: id } });
    expect(ended.body.membership).toMatchObject({ from: '2026-01-05', to: '2026-03-31' });
    // The last day ends at the next local midnight (summer time by then: UTC+2).
    expect((await db().teamMembership.findUniqueOrThrow({ where: { orgId_id: { orgId: org.id, id } } })).validTo!.toISOString()).toBe('2026-03-31T22:00:00.000Z');

    const personHistory = await call(history.GET, { ...c, params: { personId: ann.id } });
    expect(personHistory.body.memberships.map((m: { teamName: string; from: string; to: string | null }) => [m.teamName, m.from, m.to])).toEqual([
      ['Mobile', '2026-01-05', '2026-03-31'],
      ['Platform', '2025-09-01', '2026-01-04'],
    ]);

    expect((await call(membership.DELETE, { ...c, method: 'DELETE', params: { teamId: platform.id, membershipId: id } })).status).toBe(404);
    expect((await call(membership.DELETE, { ...c, method: 'DELETE', params: { teamId: mobile.id, membershipId: id } })).status).toBe(204);
    expect(await actions(org.id)).toEqual(['team.membership_delete', 'team.membership_update', 'team.membership_add', 'team.membership_add']);
  });

  test("a membership change moves a person's merged pull requests between teams in the rollups", async () => {
    const { org, cookie, platform, mobile, ann, repo } = await orgWith('admin');
    const c = { slug: org.slug, cookie };
    await db().pullRequest.create({
      data: { orgId: org.id, repositoryId: repo.id, number: 1, title: 'Add cache', authorId: ann.id, state: 'merged', createdAt: new Date('2026-01-06T09:00:00Z'), mergedAt: new Date('2026-01-07T15:00:00Z') },
    });
    await call(memberships.POST, { ...c, method: 'POST', body: { personId: ann.id, from: '2025-12-01' }, params: { teamId: platform.id } });
    await rebuildOrgRollups(org, new Date('2026-01-20T12:00:00Z'));
    const merged = async (teamId: string) => (await readWeekFigures(org, teamId, ['2026-01-05'])).get('2026-01-05')?.prsMerged ?? 0;
    expect([await merged(platform.id), await merged(mobile.id)]).toEqual([1, 0]);

    // Moving Ann to Mobile before the merge marks the days since: the week is recomputed.
    await call(memberships.POST, { ...c, method: 'POST', body: { personId: ann.id, from: '2026-01-01' }, params: { teamId: mobile.id } });
    const marked = async (day: string) => (await db().rollupDirtyDay.count({ where: { orgId: org.id, day: new Date(day) } })) === 1;
    // Only the days whose team changed: from the move on, not the Platform weeks before it.
    expect([await marked('2025-12-31'), await marked('2026-01-01'), await marked('2026-01-07')]).toEqual([false, true, true]);
    expect([await merged(platform.id), await merged(mobile.id)]).toEqual([0, 1]);

    // Ending the Mobile membership marks the days after its last day; moving its first day, the days between.
    const [mobileRow] = (await call(memberships.GET, { ...c, params: { teamId: mobile.id } })).body.memberships;
    await db().rollupDirtyDay.deleteMany({ where: { orgId: org.id } });
    await call(membership.PATCH, { ...c, method: 'PATCH', body: { to: '2026-03-31' }, params: { teamId: mobile.id, membershipId: mobileRow.id } });
    expect([await marked('2026-03-31'), await marked('2026-04-01'), await marked('2026-06-01')]).toEqual([false, true, true]);
    await db().rollupDirtyDay.deleteMany({ where: { orgId: org.id } });
    await call(membership.PATCH, { ...c, method: 'PATCH', body: { from: '2026-01-10' }, params: { teamId: mobile.id, membershipId: mobileRow.id } });
    expect([await marked('2025-12-31'), await marked('2026-01-01'), await marked('2026-01-10'), await marked('2026-01-11'), await marked('2026-04-01')]).toEqual([false, true, true, false, false]);
    // Ann is in no team from Jan 1 to 9 now: the PR of Jan 7 counts for neither.
    expect([await merged(platform.id), await merged(mobile.id)]).toEqual([0, 0]);
  });
});

describe('repositories settings API', () => {
  test('a repository default team is set and cleared; the rollups are rebuilt; bad input is a 400 naming the field', async () => {
    const { org, cookie, platform, repo } = await orgWith('admin');
    const c = { slug: org.slug, cookie, params: { repositoryId: repo.id } };
    await db().rollupState.create({ data: { orgId: org.id, metricsVersion: METRICS_VERSION, builtAt: new Date() } });
    const bad = await call(repository.PATCH, { ...c, method: 'PATCH', body: { defaultTeamId: 42 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^defaultTeamId: /);
    expect((await call(repository.PATCH, { ...c, method: 'PATCH', body: { defaultTeamId: 'no-such-team' } })).status).toBe(404);
    expect((await call(repository.PATCH, { ...c, method: 'PATCH', body: { defaultTeamId: platform.id }, params: { repositoryId: 'no-such-repo' } })).status).toBe(404);
    expect(await db().rollupState.count({ where: { orgId: org.id } })).toBe(1);

    const set = await call(repository.PATCH, { ...c, method: 'PATCH', body: { defaultTeamId: platform.id } });
    expect(set).toEqual({ status: 200, body: { repository: { id: repo.id, provider: 'github', fullName: 'acme/api', url: null, defaultTeamId: platform.id } } });
    expect(await db().rollupState.count({ where: { orgId: org.id } })).toBe(0);
    expect((await call(repositories.GET, { slug: org.slug, cookie })).body.repositories).toEqual([set.body.repository]);
    expect((await call(repository.PATCH, { ...c, method: 'PATCH', body: { defaultTeamId: null } })).body.repository.defaultTeamId).toBeNull();
    const entries = await listAudit({ orgId: org.id });
    expect(entries.map((e) => [e.action, e.detail])).toEqual([
      ['repository.team_set', { repository: 'acme/api', from: 'Platform', to: null }],
      ['repository.team_set', { repository: 'acme/api', from: null, to: 'Platform' }],
    ]);
  });
});

describe('metric options settings API', () => {
  test('saved with validation; a new time zone or cycle-time start rebuilds the rollups, a threshold alone does not', async () => {
    const { org, cookie } = await orgWith('admin');
    const c = { slug: org.slug, cookie, method: 'PUT' };
    const initial = await call(metricOptions.GET, { slug: org.slug, cookie });
    expect(initial.body).toEqual({ options: { cycleTimeStart: 'in_progress', timeZone: 'UTC', distortionThreshold: 1.5 }, rollupsCurrent: false, rollupsBuiltAt: null });

    for (const [body, field] of [
      [{ cycleTimeStart: 'merged', timeZone: 'UTC', distortionThreshold: 1.5 }, 'cycleTimeStart'],
      [{ cycleTimeStart: 'created', timeZone: 'EST', distortionThreshold: 1.5 }, 'timeZone'],
      [{ cycleTimeStart: 'created', timeZone: 'Mars/Olympus_Mons', distortionThreshold: 1.5 }, 'timeZone'],
      [{ cycleTimeStart: 'created', timeZone: 'UTC', distortionThreshold: 0.5 }, 'distortionThreshold'],
      [{ cycleTimeStart: 'created', timeZone: 'UTC', distortionThreshold: '1.5' }, 'distortionThreshold'],
      [{ cycleTimeStart: 'created', timeZone: 'UTC' }, 'distortionThreshold'],
    ] as const) {
      const res = await call(metricOptions.PUT, { ...c, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
    }

    await db().rollupState.create({ data: { orgId: org.id, metricsVersion: METRICS_VERSION, builtAt: new Date() } });
    const threshold = await call(metricOptions.PUT, { ...c, body: { cycleTimeStart: 'in_progress', timeZone: 'UTC', distortionThreshold: 2 } });
    expect(threshold.body).toMatchObject({ options: { distortionThreshold: 2 }, rollupsCurrent: true });

    const saved = await call(metricOptions.PUT, { ...c, body: { cycleTimeStart: 'created', timeZone: 'America/New_York', distortionThreshold: 2 } });
    expect(saved.body).toEqual({ options: { cycleTimeStart: 'created', timeZone: 'America/New_York', distortionThreshold: 2 }, rollupsCurrent: false, rollupsBuiltAt: null });
    expect(await db().organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({ cycleTimeStart: 'created', timeZone: 'America/New_York', distortionThreshold: 2 });
    const entries = await listAudit({ orgId: org.id });
    expect(entries.map((e) => [e.action, e.detail])).toEqual([
      ['org.metric_options_set', { cycleTimeStart: { from: 'in_progress', to: 'created' }, timeZone: { from: 'UTC', to: 'America/New_York' } }],
      ['org.metric_options_set', { distortionThreshold: { from: 1.5, to: 2 } }],
    ]);
  });
});
