import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';
import { computeWeeks, ORG_SCOPE } from './compute-weeks.ts';
import { readWeekFigures, refreshRollups } from './rollups.ts';
import { addWeeks, formatIsoDate, parseIsoDate, weekStartOf } from './weeks.ts';

// 4-week trailing medians (docs/metrics.md#4-week-trailing-medians): for week W, the p50 over the
// items of the local weeks W−3..W; stored in rollups, refreshed when any of those weeks changes,
// and what the distortion warning reads instead of scanning rows.

const H = 3_600_000;
const DAY = 24 * H;
const W = ['2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30', '2026-04-06'];
/** Wednesday 12:00 UTC of week `n` (1-based) of W. */
const wed = (n: number) => new Date(Date.parse(`${W[n - 1]}T12:00:00Z`) + 2 * DAY);

function referenceMedian(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
}

async function newOrg(timeZone: string) {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Trailing', timeZone, cycleTimeStart: 'created' } });
  const repo = await db().repository.create({ data: { orgId: org.id, provider: 'github', owner: 'o', name: 'r' } });
  const reviewer = await db().person.create({ data: { orgId: org.id, displayName: 'Rita' } });
  const { token } = await createIngestToken({ orgId: org.id, name: 'reader', scopes: ['metrics:read'] });
  let n = 0;
  const member = async (slug: string, isBot = false) => {
    const team = await db().team.upsert({ where: { orgId_slug: { orgId: org.id, slug } }, create: { orgId: org.id, slug, name: slug }, update: {} });
    const person = await db().person.create({ data: { orgId: org.id, displayName: `${slug}-${++n}`, isBot } });
    await db().teamMembership.create({ data: { orgId: org.id, teamId: team.id, personId: person.id, validFrom: new Date('2025-01-01T00:00:00Z') } });
    return { team, person };
  };
  const pr = async (authorId: string, mergedAt: Date, cycleHours: number, reviewHours: number | null = null) => {
    const p = await db().pullRequest.create({
      data: { orgId: org.id, repositoryId: repo.id, number: ++n, title: `PR ${n}`, authorId, state: 'merged', createdAt: new Date(mergedAt.getTime() - cycleHours * H), mergedAt },
    });
    if (reviewHours !== null) {
      await db().review.create({ data: { orgId: org.id, pullRequestId: p.id, externalId: `rv${n}`, reviewerId: reviewer.id, state: 'approved', submittedAt: new Date(mergedAt.getTime() - reviewHours * H) } });
    }
    return p;
  };
  const aiCommit = async (authorId: string, at: Date, lines: number) =>
    db().commit.create({
      data: { orgId: org.id, repositoryId: repo.id, sha: String(++n).padStart(40, '0'), authorId, message: 'm', authoredAt: at, committedAt: at, additions: lines, aiAdditions: lines, parentCount: 1, onDefaultBranch: true },
    });
  const weekly = async (query: string) => {
    const res = await GET(new Request(`http://test/api/orgs/${org.slug}/metrics/weekly?${query}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ org: org.slug }) });
    expect(res.status).toBe(200);
    return res.json();
  };
  return { org, repo, member, pr, aiCommit, weekly };
}

describe('4-week trailing medians', () => {
  test('p50 over the items of the 4 local weeks ending at each week, per team and org-wide, bots left out', async () => {
    const o = await newOrg('Asia/Tokyo');
    const ann = (await o.member('alpha')).person;
    const bob = (await o.member('beta')).person;
    const bot = (await o.member('alpha', true)).person;
    // [author, merged at, local week (Tokyo, by hand), cycle h, review h]
    const items = [
      ['ann', wed(1), 1, 10, 2],
      ['ann', wed(2), 2, 20, null],
      ['ann', wed(3), 3, 40, 6],
      // Sunday 20:00 UTC of W3 is Monday 05:00 in Tokyo: week 4.
      ['ann', new Date(Date.parse(`${W[3]}T00:00:00Z`) - 4 * H), 4, 70, 4],
      ['bot', wed(4), 4, 1000, 1],
      ['bob', wed(4), 4, 5, 1],
      ['ann', wed(6), 6, 30, null],
    ] as const;
    const ids = { ann: ann.id, bob: bob.id, bot: bot.id };
    const prs = [];
    for (const [who, mergedAt, , cycle, review] of items) prs.push(await o.pr(ids[who], mergedAt, cycle, review));
    // A ticket opened 100 h before W3's PR merged, its only link: ticket-to-merge 100 h, in week 3.
    const ticket = await db().ticket.create({ data: { orgId: o.org.id, source: 'jira', externalId: 't1', key: 'T-1', title: 'T', statusCategory: 'done', createdAt: new Date(wed(3).getTime() - 100 * H) } });
    await db().ticketPullRequestLink.create({ data: { orgId: o.org.id, ticketId: ticket.id, pullRequestId: prs[2]!.id, foundBy: 'branch_name' } });

    // The reference: items of weeks end−3..end, bots excluded.
    const window = (end: number, who: readonly string[], pick: (i: (typeof items)[number]) => number | null) =>
      referenceMedian(items.filter((i) => who.includes(i[0]) && i[2] >= end - 3 && i[2] <= end).flatMap((i) => (pick(i) === null ? [] : [pick(i)!])));
    const cycle = (i: (typeof items)[number]) => i[3];
    const review = (i: (typeof items)[number]) => i[4];
    const weeks = [W[3]!, W[4]!, W[6]!, W[9]!];
    const computed = await computeWeeks({ db: db(), orgId: o.org.id, timeZone: 'Asia/Tokyo', cycleTimeStart: 'created', countWeakAiSignals: false, weeks });
    const alphaTeam = await db().team.findFirstOrThrow({ where: { orgId: o.org.id, slug: 'alpha' } });
    const alpha = computed.get(alphaTeam.id)!;
    const org = computed.get(ORG_SCOPE)!;

    // W4: Ann's 10, 20, 40, 70 → 30; the org adds Bob's 5 (not the bot's 1,000) → 20.
    expect(alpha.get(W[3]!)).toMatchObject({ trailing4PrCycleP50Hours: 30, trailing4ReviewTimeP50Hours: 4, trailing4TicketToMergeP50Hours: 100 });
    expect(alpha.get(W[3]!)!.trailing4PrCycleP50Hours).toBe(window(4, ['ann'], cycle));
    expect(org.get(W[3]!)).toMatchObject({ trailing4PrCycleP50Hours: window(4, ['ann', 'bob'], cycle), trailing4ReviewTimeP50Hours: window(4, ['ann', 'bob'], review) });
    expect(org.get(W[3]!)!.trailing4PrCycleP50Hours).toBe(20);
    // W5: weeks 2–5, 20, 40, 70 → 40; review 6, 4 → 5.
    expect(alpha.get(W[4]!)).toMatchObject({ trailing4PrCycleP50Hours: window(5, ['ann'], cycle), trailing4ReviewTimeP50Hours: window(5, ['ann'], review) });
    expect(alpha.get(W[4]!)!.trailing4PrCycleP50Hours).toBe(40);
    // W7 has no merge of its own: weeks 4–7, 70 (week 4 only in Tokyo time) and 30 → 50; the
    // ticket (week 3) is out of the window → null, never 0.
    expect(alpha.get(W[6]!)).toMatchObject({ trailing4PrCycleP50Hours: 50, trailing4ReviewTimeP50Hours: 4, trailing4TicketToMergeP50Hours: null, prsMerged: 0 });
    // W10: nothing in weeks 7–10.
    expect(alpha.get(W[9]!)?.trailing4PrCycleP50Hours ?? null).toBeNull();

    // It reaches the API's weeks.
    const body = await o.weekly(`team=alpha&from=${W[6]}&to=${W[6]}`);
    expect(body.weeks[0]).toMatchObject({ weekStart: W[6], trailing4PrCycleP50Hours: 50, prsMerged: 0 });
  });

  test("a change three weeks earlier updates the current week's rolled-up figure after refreshRollups", async () => {
    const o = await newOrg('UTC');
    const { team, person } = await o.member('alpha');
    const current = weekStartOf(new Date(), 'UTC');
    const weekAgo = (n: number) => formatIsoDate(addWeeks(parseIsoDate(current)!, -n));
    const at = (n: number) => new Date(Date.parse(`${weekAgo(n)}T12:00:00Z`) + 2 * DAY);
    const row = (week: string) => db().weeklyRollup.findUniqueOrThrow({ where: { orgId_scope_weekStart: { orgId: o.org.id, scope: team.id, weekStart: new Date(`${week}T00:00:00Z`) } } });
    await o.pr(person.id, at(5), 10);
    await o.pr(person.id, at(1), 30);
    await refreshRollups();
    // The current week's window (weeks −3..0) holds the 30 h PR only.
    expect((await row(current)).figures).toMatchObject({ trailing4PrCycleP50Hours: 30, prsMerged: 0 });
    const untouched = await row(weekAgo(4)); // window −7..−4: the 10 h PR

    await o.pr(person.id, at(3), 50);
    // Marked but not refreshed: the read computes the current week live (30, 50 → 40), the row is stale.
    expect((await readWeekFigures(o.org, team.id, [current])).get(current)).toMatchObject({ trailing4PrCycleP50Hours: 40 });
    expect((await row(current)).figures).toMatchObject({ trailing4PrCycleP50Hours: 30 });

    await refreshRollups();
    expect((await row(current)).figures).toMatchObject({ trailing4PrCycleP50Hours: 40 });
    // Week −3 and the 3 after it were recomputed; week −4 (whose window ends before) was not.
    expect((await row(weekAgo(4))).computedAt).toEqual(untouched.computedAt);
    expect(await db().rollupDirtyDay.count({ where: { orgId: o.org.id } })).toBe(0);

    // A new week starts with no write: rollups current through two weeks ago (rows of the last
    // two weeks never computed) still read right, and the next refresh brings them current.
    await db().weeklyRollup.deleteMany({ where: { orgId: o.org.id, weekStart: { gte: new Date(`${weekAgo(1)}T00:00:00Z`) } } });
    await db().rollupState.update({ where: { orgId: o.org.id }, data: { builtAt: at(2) } });
    expect((await readWeekFigures(o.org, team.id, [current])).get(current)).toMatchObject({ trailing4PrCycleP50Hours: 40 });
    await refreshRollups();
    expect((await row(current)).figures).toMatchObject({ trailing4PrCycleP50Hours: 40 });
    expect(weekStartOf((await db().rollupState.findUniqueOrThrow({ where: { orgId: o.org.id } })).builtAt, 'UTC')).toBe(current);
  });

  test('the distortion flags of a rolled-up org come from the rollups, equal to the flags computed from the rows', async () => {
    // W1–W4 before, W5–W8 after (as in distortion.integration.test.ts): AI lines 4 × 25 → 4 × 50,
    // PR cycle [10, 20, 30] → [20, 30, 40, 50], review [2, 4, 6] → [4, 4, 6, 8].
    const o = await newOrg('UTC');
    const { person } = await o.member('alpha');
    const prs = { before: [[2, 10, 2], [3, 20, 4], [4, 30, 6]], after: [[5, 20, 4], [5, 30, 4], [5, 40, 6], [8, 50, 8]] } as const;
    for (const [week, cycle, review] of [...prs.before, ...prs.after]) await o.pr(person.id, wed(week), cycle, review);
    for (let week = 1; week <= 8; week++) await o.aiCommit(person.id, new Date(Date.parse(`${W[week - 1]}T12:00:00Z`)), week <= 4 ? 25 : 50);
    const query = `team=alpha&from=${W[7]}&to=${W[7]}`;

    const live = (await o.weekly(query)).flags;
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({
      weekStart: W[7], generationGrowth: 2, aiLinesAdded: { before: 100, after: 200 }, cycleTimeFigure: 'prCycle',
      cycleTimeP50Hours: { before: referenceMedian(prs.before.map((p) => p[1])), after: referenceMedian(prs.after.map((p) => p[1])) },
      reviewTimeP50Hours: { before: referenceMedian(prs.before.map((p) => p[2])), after: referenceMedian(prs.after.map((p) => p[2])) },
    });
    expect(live[0].cycleTimeP50Hours).toEqual({ before: 20, after: 35 });

    await refreshRollups();
    expect((await o.weekly(query)).flags).toEqual(live);
    // Served from the rows under the rollup: one changed by hand shows (never do this outside a test).
    const team = await db().team.findFirstOrThrow({ where: { orgId: o.org.id, slug: 'alpha' } });
    const key = { orgId_scope_weekStart: { orgId: o.org.id, scope: team.id, weekStart: new Date(`${W[7]}T00:00:00Z`) } };
    const stored = await db().weeklyRollup.findUniqueOrThrow({ where: key });
    await db().weeklyRollup.update({ where: key, data: { figures: { ...(stored.figures as object), trailing4PrCycleP50Hours: 99 } } });
    expect((await o.weekly(query)).flags[0]).toMatchObject({ cycleTimeP50Hours: { before: 20, after: 99 } });
  });
});
