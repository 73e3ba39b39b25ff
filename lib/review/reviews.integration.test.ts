import { describe, expect, test } from 'vitest';
import { DELETE, PATCH } from '../../app/api/orgs/[org]/teams/[team]/action-items/[actionItemId]/route.ts';
import { POST as postItem } from '../../app/api/orgs/[org]/teams/[team]/reviews/[week]/action-items/route.ts';
import { PUT as putNotes } from '../../app/api/orgs/[org]/teams/[team]/reviews/[week]/notes/route.ts';
import { GET as getReview } from '../../app/api/orgs/[org]/teams/[team]/reviews/[week]/route.ts';
import { POST as postSnapshot } from '../../app/api/orgs/[org]/teams/[team]/reviews/[week]/snapshot/route.ts';
import { GET as getWeekly } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { randomSlug } from '../../test/factories.ts';
import { createSession } from '../auth/sessions.ts';
import { db } from '../db/client.ts';
import type { ReviewView } from './review-schemas.ts';

// Review mode through its routes, on planted rows. Weeks (UTC): W0 = 2026-03-02, W = 2026-03-09.
const W0 = '2026-03-02';
const W = '2026-03-09';
const T = (iso: string) => new Date(iso);

async function plant() {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Review' } });
  const orgId = org.id;
  const alpha = await db().team.create({ data: { orgId, slug: 'alpha', name: 'Alpha' } });
  await db().team.create({ data: { orgId, slug: 'beta', name: 'Beta' } });
  const ann = await db().person.create({ data: { orgId, displayName: 'Ann' } });
  await db().teamMembership.create({ data: { orgId, personId: ann.id, teamId: alpha.id, validFrom: T('2026-01-01T00:00:00Z') } });
  const repo = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r1', defaultTeamId: alpha.id } });
  let number = 0;
  const pr = (opened: string, merged: string, headSha: string) =>
    db().pullRequest.create({
      data: { orgId, repositoryId: repo.id, number: ++number, title: `PR ${number}`, authorId: ann.id, state: 'merged', headSha, createdAt: T(opened), readyAt: T(opened), mergedAt: T(merged) },
    });
  const run = (prId: string, sha: string, workflow: string, conclusion: 'success' | 'failure', at: string) =>
    db().ciRun.create({
      data: { orgId, repositoryId: repo.id, provider: 'github_actions', externalId: `${sha}-${workflow}`, workflow, headSha: sha, pullRequestId: prId, status: 'completed', conclusion, startedAt: T(at), completedAt: T(at) },
    });
  await pr('2026-03-02T09:00:00Z', '2026-03-03T09:00:00Z', 'a'.repeat(40)); // W0: 24 h
  const p2 = await pr('2026-03-09T09:00:00Z', '2026-03-10T21:00:00Z', 'b'.repeat(40)); // W: 36 h
  // W: one head whose first run failed one of two workflows, one that passed.
  await run(p2.id, 'c'.repeat(40), 'CI', 'success', '2026-03-09T10:00:00Z');
  await run(p2.id, 'c'.repeat(40), 'Lint', 'failure', '2026-03-09T10:00:00Z');
  await run(p2.id, 'b'.repeat(40), 'CI', 'success', '2026-03-10T10:00:00Z');
  const member = async () => {
    const u = await db().user.create({ data: { email: `${randomSlug('u')}@example.com` } });
    await db().membership.create({ data: { orgId, userId: u.id, role: 'member' } });
    const { sessionToken } = await createSession({ userId: u.id, orgId });
    return { id: u.id, headers: { cookie: `next-auth.session-token=${sessionToken}`, 'content-type': 'application/json' } };
  };
  return { org, ann, repo, pr, member: await member(), other: await member() };
}

type Headers = Record<string, string>;
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
const json = async (res: Response) => ({ status: res.status, body: res.status === 204 ? null : await res.json() });
const base = (org: string, team: string) => `http://test/api/orgs/${org}/teams/${team}`;

const open = async (org: string, h: Headers, week = W, team = 'alpha') =>
  json(await getReview(new Request(`${base(org, team)}/reviews/${week}`, { headers: h }), ctx({ org, team, week })));
const refresh = async (org: string, h: Headers, week = W) =>
  json(await postSnapshot(new Request(`${base(org, 'alpha')}/reviews/${week}/snapshot`, { method: 'POST', headers: h }), ctx({ org, team: 'alpha', week })));
const notes = async (org: string, h: Headers, body: unknown, week = W) =>
  json(await putNotes(new Request(`${base(org, 'alpha')}/reviews/${week}/notes`, { method: 'PUT', headers: h, body: JSON.stringify(body) }), ctx({ org, team: 'alpha', week })));
const addItem = async (org: string, h: Headers, text: string, week = W) =>
  json(await postItem(new Request(`${base(org, 'alpha')}/reviews/${week}/action-items`, { method: 'POST', headers: h, body: JSON.stringify({ text }) }), ctx({ org, team: 'alpha', week })));
const tick = async (org: string, h: Headers, id: string, done: boolean, team = 'alpha') =>
  json(await PATCH(new Request(`${base(org, team)}/action-items/${id}`, { method: 'PATCH', headers: h, body: JSON.stringify({ done }) }), ctx({ org, team, actionItemId: id })));
const remove = async (org: string, h: Headers, id: string, team = 'alpha') =>
  json(await DELETE(new Request(`${base(org, team)}/action-items/${id}`, { method: 'DELETE', headers: h }), ctx({ org, team, actionItemId: id })));
const weekly = async (org: string, h: Headers) =>
  json(await getWeekly(new Request(`http://test/api/orgs/${org}/metrics/weekly?team=alpha&from=${W0}&to=${W}`, { headers: h }), ctx({ org })));

describe('weekly review', () => {
  test('the first opening freezes the figures; a later re-sync shows as changes until a member refreshes the snapshot', async () => {
    const { org, member, pr } = await plant();
    const first = await open(org.slug, member.headers);
    expect(first.status).toBe(200);
    const review: ReviewView = first.body.review;
    expect(review).toMatchObject({ team: 'alpha', week: W, previousWeek: W0, nextWeek: '2026-03-16', inProgress: false, changes: [], notes: '', actionItems: [], previousActionItems: [] });
    // The snapshot holds exactly what the weekly API says for both weeks.
    const live = (await weekly(org.slug, member.headers)).body;
    expect(review.snapshot.previous).toEqual(live.weeks[0]);
    expect(review.snapshot.current).toEqual(live.weeks[1]);
    expect(review.snapshot.current).toMatchObject({ prsMerged: 1, prCycleP50Hours: 36, firstRunHeads: 2, firstRunPassed: 1 });
    expect(review.snapshot.previous).toMatchObject({ prsMerged: 1, prCycleP50Hours: 24 });
    expect(review.snapshot.slowestPrs.map((p) => [p.number, p.cycleHours])).toEqual([[2, 36]]);
    // The failed first runs are the heads the pass rate counts as failed.
    expect(review.snapshot.failedFirstRuns).toHaveLength(review.snapshot.current.firstRunHeads - review.snapshot.current.firstRunPassed);
    expect(review.snapshot.failedFirstRuns[0]).toMatchObject({ sha: 'c'.repeat(40), failedWorkflows: ['Lint'], number: 2, author: 'Ann', isAi: false, repository: 'o/r1' });

    // A re-sync brings another PR merged in W (a 96 h one): the snapshot stays, the change is listed.
    await pr('2026-03-06T12:00:00Z', '2026-03-10T12:00:00Z', 'd'.repeat(40));
    const second = (await open(org.slug, member.headers)).body.review as ReviewView;
    expect(second.snapshotAt).toBe(review.snapshotAt);
    expect(second.snapshot).toEqual(review.snapshot);
    expect(second.changes).toEqual(expect.arrayContaining([
      { key: 'prsMerged', label: 'PRs merged', week: 'current', before: 1, after: 2 },
      { key: 'prCycleP50Hours', label: 'PR cycle p50', week: 'current', before: 36, after: 66 },
      { key: 'slowestPrs', label: 'Slowest PRs', week: null, before: 1, after: 2 },
    ]));
    expect(second.changes.some((c) => c.week === 'previous')).toBe(false);

    const refreshed = await refresh(org.slug, member.headers);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.review.changes).toEqual([]);
    expect(refreshed.body.review.snapshot.current.prsMerged).toBe(2);
    expect(refreshed.body.review.snapshot.slowestPrs.map((p: { number: number }) => p.number)).toEqual([3, 2]);
    expect(Date.parse(refreshed.body.review.snapshotAt)).toBeGreaterThan(Date.parse(review.snapshotAt));
    expect((await open(org.slug, member.headers)).body.review.snapshot.current.prsMerged).toBe(2);
    const audit = await db().auditLogEntry.findMany({ where: { orgId: org.id, action: 'review.snapshot_refresh' } });
    expect(audit).toEqual([expect.objectContaining({ actorUserId: member.id, target: `review:alpha/${W}`, detail: { team: 'alpha', week: W } })]);
  });

  test('weeks must be Mondays that have started', async () => {
    const { org, member } = await plant();
    expect(await open(org.slug, member.headers, '2026-03-10')).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(await open(org.slug, member.headers, '2099-03-02')).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('has not started') } } });
    expect(await open(org.slug, member.headers, W, 'nope')).toMatchObject({ status: 404 });
    expect(await addItem(org.slug, member.headers, 'Later', '2099-03-02')).toMatchObject({ status: 400 });
  });

  test('notes are saved per team-week, the last writer wins, and survive a reopening', async () => {
    const { org, member, other } = await plant();
    const saved = await notes(org.slug, member.headers, { notes: 'Review queue grew; pair on reviews.' });
    expect(saved).toMatchObject({ status: 200, body: { notes: 'Review queue grew; pair on reviews.' } });
    expect((await open(org.slug, other.headers)).body.review.notes).toBe('Review queue grew; pair on reviews.');
    await notes(org.slug, other.headers, { notes: 'Second version' });
    expect((await open(org.slug, member.headers)).body.review.notes).toBe('Second version');
    expect((await open(org.slug, member.headers, W0)).body.review.notes).toBe('');
    expect(await notes(org.slug, member.headers, { notes: 'x'.repeat(20_001) })).toMatchObject({ status: 400 });
    expect(await notes(org.slug, member.headers, { text: 'wrong field' })).toMatchObject({ status: 400 });
  });

  test("action items: added per week, ticked and unticked, deleted; the previous week's open items are listed", async () => {
    const { org, member } = await plant();
    const old = (await addItem(org.slug, member.headers, 'Split the flaky suite', W0)).body.actionItem;
    const doneEarly = (await addItem(org.slug, member.headers, 'Already done', W0)).body.actionItem;
    await db().actionItem.update({ where: { orgId_id: { orgId: org.id, id: doneEarly.id } }, data: { doneAt: T('2026-03-05T12:00:00Z') } });
    const created = await addItem(org.slug, member.headers, '  Pair on reviews  ');
    expect(created).toMatchObject({ status: 201, body: { actionItem: { week: W, text: 'Pair on reviews', done: false, createdById: member.id } } });
    expect(await addItem(org.slug, member.headers, '   ')).toMatchObject({ status: 400 });

    let review: ReviewView = (await open(org.slug, member.headers)).body.review;
    expect(review.actionItems.map((i) => i.text)).toEqual(['Pair on reviews']);
    // Ticked off before this week began: no longer listed.
    expect(review.previousActionItems.map((i) => [i.text, i.done])).toEqual([['Split the flaky suite', false]]);

    expect(await tick(org.slug, member.headers, old.id, true)).toMatchObject({ status: 200, body: { actionItem: { done: true } } });
    review = (await open(org.slug, member.headers)).body.review;
    // Ticked during the meeting: still listed, as done.
    expect(review.previousActionItems.map((i) => [i.text, i.done])).toEqual([['Split the flaky suite', true]]);
    expect(await tick(org.slug, member.headers, old.id, false)).toMatchObject({ status: 200, body: { actionItem: { done: false, doneAt: null } } });
    expect(await tick(org.slug, member.headers, old.id, false, 'beta')).toMatchObject({ status: 404 });

    expect(await remove(org.slug, member.headers, created.body.actionItem.id)).toMatchObject({ status: 204 });
    expect(await remove(org.slug, member.headers, created.body.actionItem.id)).toMatchObject({ status: 404 });
    expect((await open(org.slug, member.headers)).body.review.actionItems).toEqual([]);

    const actions = (await db().auditLogEntry.findMany({ where: { orgId: org.id, action: { startsWith: 'action_item.' } }, orderBy: { createdAt: 'asc' } })).map((e) => e.action);
    expect(actions).toEqual(['action_item.create', 'action_item.create', 'action_item.create', 'action_item.complete', 'action_item.reopen', 'action_item.delete']);
  });

  test("another org's members can neither read nor write a team's review, even with a team of the same slug", async () => {
    const a = await plant();
    const b = await plant();
    await notes(a.org.slug, a.member.headers, { notes: 'A only' });
    const item = (await addItem(a.org.slug, a.member.headers, 'A item')).body.actionItem;

    expect(await open(a.org.slug, b.member.headers)).toMatchObject({ status: 404 });
    expect(await refresh(a.org.slug, b.member.headers)).toMatchObject({ status: 404 });
    expect(await notes(a.org.slug, b.member.headers, { notes: 'B was here' })).toMatchObject({ status: 404 });
    expect(await addItem(a.org.slug, b.member.headers, 'B item')).toMatchObject({ status: 404 });
    expect(await tick(a.org.slug, b.member.headers, item.id, true)).toMatchObject({ status: 404 });
    expect(await remove(a.org.slug, b.member.headers, item.id)).toMatchObject({ status: 404 });
    // Through B's own org and its team 'alpha', A's item id looks missing.
    expect(await tick(b.org.slug, b.member.headers, item.id, true)).toMatchObject({ status: 404 });
    expect(await remove(b.org.slug, b.member.headers, item.id)).toMatchObject({ status: 404 });

    const reviewA: ReviewView = (await open(a.org.slug, a.member.headers)).body.review;
    expect(reviewA.notes).toBe('A only');
    expect(reviewA.actionItems.map((i) => [i.text, i.done])).toEqual([['A item', false]]);
    const reviewB: ReviewView = (await open(b.org.slug, b.member.headers)).body.review;
    expect(reviewB.notes).toBe('');
    expect(reviewB.actionItems).toEqual([]);
    // Anonymous callers learn nothing.
    expect(await open(a.org.slug, { 'content-type': 'application/json' })).toMatchObject({ status: 401 });
  });
});
