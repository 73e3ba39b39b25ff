import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/compare/route.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { createSession } from '../auth/sessions.ts';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';

// Planted: team Alpha's PRs in the 2 weeks before an annotation dated Monday 2026-03-16 take
// 10..20 hours from opening to merge, those in the 2 weeks from it 30..40: a shift of +20 hours.
// Expected medians are worked out here in plain TypeScript over the planted values.

const T = (iso: string) => new Date(iso);
const H = 3_600_000;
const BEFORE_CYCLES = [10, 12, 14, 16, 18, 20];
const AFTER_CYCLES = [30, 32, 34, 36, 38, 40];
const PICKUPS = [1, 1, 2, 2, 3, 3]; // the same on both sides
const SIZES_BEFORE = [100, 200, 300, 400, 500, 600];
const SIZES_AFTER = [50, 60, 70, 80, 90, 100];

function referenceMedian(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
}

async function plant() {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Compare', timeZone: 'UTC' } });
  const orgId = org.id;
  const alpha = await db().team.create({ data: { orgId, slug: 'alpha', name: 'Alpha' } });
  const beta = await db().team.create({ data: { orgId, slug: 'beta', name: 'Beta' } });
  const [ann, rita, bot, bea] = await Promise.all(
    [['Ann', false], ['Rita', false], ['bot[bot]', true], ['Bea', false]].map(([displayName, isBot]) => db().person.create({ data: { orgId, displayName: displayName as string, isBot: isBot as boolean } })),
  );
  await db().teamMembership.createMany({
    data: [
      { orgId, teamId: alpha.id, personId: ann!.id, validFrom: T('2026-01-01T00:00:00Z') },
      { orgId, teamId: beta.id, personId: bea!.id, validFrom: T('2026-01-01T00:00:00Z') },
    ],
  });
  const repo = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r', defaultTeamId: alpha.id } });
  let number = 0;
  const pr = async (authorId: string, opened: string, cycleHours: number, pickupHours: number, size: number) => {
    const createdAt = T(opened);
    const p = await db().pullRequest.create({
      data: { orgId, repositoryId: repo.id, number: ++number, title: `PR ${number}`, authorId, state: 'merged', createdAt, mergedAt: new Date(createdAt.getTime() + cycleHours * H), additions: size, deletions: 0 },
    });
    await db().review.create({ data: { orgId, pullRequestId: p.id, externalId: `rv${number}`, reviewerId: rita!.id, state: 'approved', submittedAt: new Date(createdAt.getTime() + pickupHours * H) } });
    return p;
  };
  // Before: opened on days 2026-03-02..07, merged by 2026-03-08 at the latest.
  const before = await Promise.all(BEFORE_CYCLES.map((c, i) => pr(ann!.id, `2026-03-0${2 + i}T08:00:00Z`, c, PICKUPS[i]!, SIZES_BEFORE[i]!)));
  // After: opened 2026-03-16..21.
  await Promise.all(AFTER_CYCLES.map((c, i) => pr(ann!.id, `2026-03-${16 + i}T08:00:00Z`, c, PICKUPS[i]!, SIZES_AFTER[i]!)));
  // Excluded for Alpha: a bot's PR, Beta's PR, and a PR merged outside both windows.
  await pr(bot!.id, '2026-03-17T08:00:00Z', 500, 1, 10);
  await pr(bea!.id, '2026-03-18T08:00:00Z', 1, 0.5, 10);
  await pr(ann!.id, '2026-04-10T08:00:00Z', 90, 1, 10); // merged 2026-04-14 02:00
  // Four tickets before (too few for a difference), each 24 h from start to merge of its PR.
  for (const [i, p] of before.slice(0, 4).entries()) {
    const t = await db().ticket.create({
      data: { orgId, source: 'jira', externalId: String(i), key: `T-${i}`, title: 't', statusCategory: 'done', createdAt: T('2026-02-01T00:00:00Z'), startedAt: new Date(p.mergedAt!.getTime() - 24 * H) },
    });
    await db().ticketPullRequestLink.create({ data: { orgId, ticketId: t.id, pullRequestId: p.id, foundBy: 'branch_name' } });
  }
  const annotation = await db().annotation.create({ data: { orgId, teamId: alpha.id, date: T('2026-03-16T00:00:00Z'), label: 'Agents for everyone' } });
  const orgWide = await db().annotation.create({ data: { orgId, date: T('2026-03-16T00:00:00Z'), label: 'Org-wide' } });
  const { token } = await createIngestToken({ orgId, name: 'reader', scopes: ['metrics:read'] });
  return { org, annotation, orgWide, authorization: `Bearer ${token}` };
}

async function compare(slug: string, query: string, headers: Record<string, string> = {}) {
  const res = await GET(new Request(`http://test/api/orgs/${slug}/metrics/compare?${query}`, { headers }), { params: Promise.resolve({ org: slug }) });
  return { status: res.status, body: await res.json() };
}

type MetricRow = { metric: string; before: { n: number; median: number | null }; after: { n: number; median: number | null }; difference: number | null; ci95: { low: number; high: number } | null };
const byMetric = (body: { metrics: MetricRow[] }) => Object.fromEntries(body.metrics.map((m) => [m.metric, m]));

describe('GET /api/orgs/[org]/metrics/compare', () => {
  test('a planted +20 h shift in PR cycle time: medians, difference and an interval holding it', async () => {
    const { org, annotation, authorization } = await plant();
    const { status, body } = await compare(org.slug, `annotation=${annotation.id}&weeks=2`, { authorization });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      org: org.slug, team: 'alpha', weeks: 2,
      annotation: { id: annotation.id, team: 'alpha', date: '2026-03-16', label: 'Agents for everyone' },
      before: { from: '2026-03-02', to: '2026-03-15' },
      after: { from: '2026-03-16', to: '2026-03-29' },
    });
    const m = byMetric(body);
    // 15 vs 35 hours
    expect(m.prCycleHours).toMatchObject({ before: { n: 6, median: referenceMedian(BEFORE_CYCLES) }, after: { n: 6, median: referenceMedian(AFTER_CYCLES) }, difference: 20 });
    expect(m.prCycleHours!.ci95!.low).toBeGreaterThan(0);
    expect(m.prCycleHours!.ci95!.low).toBeLessThanOrEqual(20);
    expect(m.prCycleHours!.ci95!.high).toBeGreaterThanOrEqual(20);
    // Pickup is the same on both sides: difference 0, interval holding 0.
    expect(m.timeToFirstReviewHours).toMatchObject({ before: { n: 6, median: 2 }, after: { n: 6, median: 2 }, difference: 0 });
    expect(m.timeToFirstReviewHours!.ci95!.low).toBeLessThanOrEqual(0);
    expect(m.timeToFirstReviewHours!.ci95!.high).toBeGreaterThanOrEqual(0);
    // Review time = cycle − pickup per PR.
    const reviewBefore = referenceMedian(BEFORE_CYCLES.map((c, i) => c - PICKUPS[i]!));
    const reviewAfter = referenceMedian(AFTER_CYCLES.map((c, i) => c - PICKUPS[i]!));
    expect(m.reviewTimeHours).toMatchObject({ before: { median: reviewBefore }, after: { median: reviewAfter }, difference: reviewAfter - reviewBefore });
    // Sizes shrink: 350 → 75 lines.
    expect(m.prSizeLines).toMatchObject({ before: { median: 350 }, after: { median: 75 }, difference: -275 });
    expect(m.prSizeLines!.ci95!.high).toBeLessThan(0);
    // Four tickets before, none after: medians where there are items, no difference or interval.
    expect(m.ticketToMergeHours).toEqual({ metric: 'ticketToMergeHours', before: { n: 4, median: 24 }, after: { n: 0, median: null }, difference: null, ci95: null });
  });

  test('the same question gives the same interval (seeded bootstrap)', async () => {
    const { org, annotation, authorization } = await plant();
    const first = await compare(org.slug, `annotation=${annotation.id}&weeks=2`, { authorization });
    const second = await compare(org.slug, `annotation=${annotation.id}&weeks=2`, { authorization });
    expect(second.body).toEqual(first.body);
  });

  test('org-wide annotation compares the whole org; ?team= picks a team', async () => {
    const { org, orgWide, authorization } = await plant();
    const whole = byMetric((await compare(org.slug, `annotation=${orgWide.id}&weeks=2`, { authorization })).body);
    // Beta's PR (1 h) joins the after side; the bot's stays out: 30..40 and 1 → median 33.
    expect(whole.prCycleHours).toMatchObject({ after: { n: 7, median: referenceMedian([...AFTER_CYCLES, 1]) } });
    const beta = await compare(org.slug, `annotation=${orgWide.id}&weeks=2&team=beta`, { authorization });
    expect(beta.body.team).toBe('beta');
    expect(byMetric(beta.body).prCycleHours).toMatchObject({ before: { n: 0, median: null }, after: { n: 1, median: 1 }, difference: null, ci95: null });
  });

  test('weeks widens the windows: 5 weeks take in the PR merged in April', async () => {
    const { org, annotation, authorization } = await plant();
    const { body } = await compare(org.slug, `annotation=${annotation.id}&weeks=5`, { authorization });
    expect(body.after.to).toBe('2026-04-19');
    expect(byMetric(body).prCycleHours).toMatchObject({ after: { n: 7, median: 36 } });
  });

  test.each([
    ['', 'annotation: '],
    ['annotation=x&weeks=0', 'weeks: must be at least 1'],
    ['annotation=x&weeks=27', 'weeks: must be at most 26'],
    ['annotation=x&weeks=two', 'weeks: '],
    ['annotation=x&team=Not_A_Slug', 'team: must be a team slug'],
    ['annotation=x&colour=blue', 'Unrecognized key: "colour"'],
  ])('?%s answers 400', async (query, message) => {
    const { org, authorization } = await plant();
    const { status, body } = await compare(org.slug, query, { authorization });
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain(message);
  });

  test('unknown annotation, another org\'s annotation and unknown team answer 404', async () => {
    const a = await plant();
    const b = await plant();
    expect((await compare(a.org.slug, 'annotation=nope', { authorization: a.authorization })).status).toBe(404);
    const foreign = await compare(a.org.slug, `annotation=${b.annotation.id}`, { authorization: a.authorization });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toEqual({ code: 'not_found', message: `Annotation '${b.annotation.id}' not found` });
    const team = await compare(a.org.slug, `annotation=${a.annotation.id}&team=gamma`, { authorization: a.authorization });
    expect(team.body.error).toEqual({ code: 'not_found', message: "Team 'gamma' not found" });
  });

  test('401 without credentials, 403 for a token without metrics:read; a member may', async () => {
    const { org, annotation } = await plant();
    expect((await compare(org.slug, `annotation=${annotation.id}`)).status).toBe(401);
    const { token } = await createIngestToken({ orgId: org.id, name: 'writer', scopes: ['ingest:write'] });
    expect((await compare(org.slug, `annotation=${annotation.id}`, { authorization: `Bearer ${token}` })).status).toBe(403);
    const user = await db().user.create({ data: { email: `${randomSlug('u')}@example.com` } });
    await db().membership.create({ data: { orgId: org.id, userId: user.id, role: 'member' } });
    const { sessionToken } = await createSession({ userId: user.id, orgId: org.id });
    expect((await compare(org.slug, `annotation=${annotation.id}`, { cookie: `next-auth.session-token=${sessionToken}` })).status).toBe(200);
  });
});
