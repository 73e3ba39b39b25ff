import { describe, expect, test } from 'vitest';
import { db } from '../db/client.ts';
import { plantDataset } from '../../test/planted-metrics.ts';
import { computeWeeks, ORG_SCOPE } from './compute-weeks.ts';
import { readWeekFigures, rebuildOrgRollups, refreshRollups, weeksOfUtcDays } from './rollups.ts';
import { METRICS_VERSION } from './schemas.ts';

// Rollups must give exactly what computing from the tables gives, stay current through writes
// (marked by the database's triggers), and never serve a stale week in between.

const WEEKS = ['2026-03-02', '2026-03-09', '2026-03-16'];

async function planted() {
  const org = await plantDataset();
  const teams = await db().team.findMany({ where: { orgId: org.id }, orderBy: { slug: 'asc' } });
  return { org, alpha: teams[0]!, beta: teams[1]! };
}

/** Every scope's figures for WEEKS as read (rollups, or live where not current). */
async function readAll(org: Awaited<ReturnType<typeof plantDataset>>, scopes: string[]) {
  return Object.fromEntries(await Promise.all(scopes.map(async (s) => [s, Object.fromEntries(await readWeekFigures(org, s, WEEKS))])));
}

describe('weekly rollups', () => {
  test('built rollups hold exactly what is computed from the tables, and reads come from them', async () => {
    const { org, alpha, beta } = await planted();
    const scopes = [ORG_SCOPE, alpha.id, beta.id];
    const live = await readAll(org, scopes);
    // Hand-checked in weekly.integration.test.ts; spot-check that the live figures are those.
    expect(live[alpha.id]['2026-03-02']).toMatchObject({ prsMerged: 2, linesAdded: 150, ticketToMergeP50Hours: 15 });

    const result = await refreshRollups();
    expect(result.orgs).toBeGreaterThanOrEqual(1);
    const state = await db().rollupState.findUniqueOrThrow({ where: { orgId: org.id } });
    expect(state.metricsVersion).toBe(METRICS_VERSION);
    // Only weeks with something in them have a row: the PRs were opened in the week of 2026-02-16;
    // the 3 weeks after the last merge (2026-03-09) hold its 4-week trailing medians.
    const rows = await db().weeklyRollup.findMany({ where: { orgId: org.id, scope: alpha.id }, orderBy: { weekStart: 'asc' } });
    expect(rows.map((r) => r.weekStart.toISOString().slice(0, 10))).toEqual(['2026-02-16', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30']);
    expect(await db().rollupDirtyDay.count({ where: { orgId: org.id } })).toBe(0);
    expect(await readAll(org, scopes)).toEqual(live);
    // Reads come from the rows: a row changed by hand shows (never do this outside a test).
    await db().weeklyRollup.update({ where: { orgId_scope_weekStart: { orgId: org.id, scope: alpha.id, weekStart: new Date('2026-03-02T00:00:00Z') } }, data: { figures: { ...live[alpha.id]['2026-03-02'], prsMerged: 99 } } });
    expect((await readWeekFigures(org, alpha.id, WEEKS)).get('2026-03-02')).toMatchObject({ prsMerged: 99 });
  });

  test('a write marks its days; reads compute marked weeks live until the refresh recomputes only those', async () => {
    const { org, alpha } = await planted();
    await refreshRollups();
    const repo = await db().repository.findFirstOrThrow({ where: { orgId: org.id, name: 'r1' } });
    const ann = await db().person.findFirstOrThrow({ where: { orgId: org.id, displayName: 'Ann' } });
    // Ann merges another PR on Thursday of W2.
    await db().pullRequest.create({
      data: { orgId: org.id, repositoryId: repo.id, number: 100, title: 'late', authorId: ann.id, state: 'merged', createdAt: new Date('2026-03-11T09:00:00Z'), mergedAt: new Date('2026-03-12T09:00:00Z') },
    });
    const marked = (await db().rollupDirtyDay.findMany({ where: { orgId: org.id }, orderBy: { day: 'asc' } })).map((d) => d.day.toISOString().slice(0, 10));
    expect(marked).toEqual(['2026-03-11', '2026-03-12']);
    // Not refreshed yet: the read is current anyway.
    expect((await readWeekFigures(org, alpha.id, WEEKS)).get('2026-03-09')).toMatchObject({ prsMerged: 2 });
    const before = await db().weeklyRollup.findFirstOrThrow({ where: { orgId: org.id, scope: alpha.id, weekStart: new Date('2026-03-02T00:00:00Z') } });

    // W2 and the 3 weeks after it (their 4-week trailing medians hold W2's merges).
    expect((await refreshRollups()).weeks).toBe(4);
    const w2 = await db().weeklyRollup.findFirstOrThrow({ where: { orgId: org.id, scope: alpha.id, weekStart: new Date('2026-03-09T00:00:00Z') } });
    expect(w2.figures).toMatchObject({ prsMerged: 2 });
    // Week 1 was not recomputed.
    const after = await db().weeklyRollup.findFirstOrThrow({ where: { orgId: org.id, scope: alpha.id, weekStart: new Date('2026-03-02T00:00:00Z') } });
    expect(after.computedAt).toEqual(before.computedAt);
  });

  test("a ticket's start moving marks the week of its last linked merge, where its cycle time counts", async () => {
    const { org, alpha } = await planted();
    await refreshRollups();
    // T3 runs to P8's merge in W2 (207 h from its start, 2026-03-02 00:00); start it 7 h later.
    const t3 = await db().ticket.findFirstOrThrow({ where: { orgId: org.id, key: 'T-3' } });
    await db().ticket.update({ where: { orgId_id: { orgId: org.id, id: t3.id } }, data: { startedAt: new Date('2026-03-02T07:00:00Z') } });
    await refreshRollups();
    const w2 = await db().weeklyRollup.findFirstOrThrow({ where: { orgId: org.id, scope: alpha.id, weekStart: new Date('2026-03-09T00:00:00Z') } });
    expect(w2.figures).toMatchObject({ ticketsMerged: 1, ticketToMergeP50Hours: 200 });
  });

  test('moving the org to another time zone rebuilds it whole, in the new weeks', async () => {
    const { org, beta } = await planted();
    await refreshRollups();
    await db().organization.update({ where: { id: org.id }, data: { timeZone: 'Asia/Tokyo' } });
    expect(await db().rollupState.findUnique({ where: { orgId: org.id } })).toBeNull();
    const moved = { ...org, timeZone: 'Asia/Tokyo' };
    // P5 merged Sunday 23:30 UTC, Monday in Tokyo: beta's W1 loses it to W2 (as computed live).
    // W3 holds only beta's 4-week trailing medians.
    expect([...(await readWeekFigures(moved, beta.id, WEEKS)).values()].map((f) => f.prsMerged)).toEqual([1, 1, 0]);
    await refreshRollups();
    expect(await db().rollupState.findUnique({ where: { orgId: org.id } })).not.toBeNull();
    expect([...(await readWeekFigures(moved, beta.id, WEEKS)).values()].map((f) => f.prsMerged)).toEqual([1, 1, 0]);
  });

  test('a rebuild equals computing every week afresh, and deleting an org with marks works', async () => {
    const { org } = await planted();
    const built = await rebuildOrgRollups(org, new Date('2026-03-20T00:00:00Z'));
    expect(built).toEqual({ weeks: 5 }); // 2026-02-16 … 2026-03-16
    const stored = await db().weeklyRollup.findMany({ where: { orgId: org.id } });
    const fresh = await computeWeeks({ db: db(), orgId: org.id, timeZone: 'UTC', cycleTimeStart: 'in_progress', countWeakAiSignals: false, weeks: ['2026-02-16', '2026-02-23', ...WEEKS] });
    // jsonb orders keys its own way: compare as objects, by scope and week.
    const expected = Object.fromEntries([...fresh].flatMap(([scope, byWeek]) => [...byWeek].map(([week, figures]) => [`${scope} ${week}`, figures])));
    expect(Object.fromEntries(stored.map((r) => [`${r.scope} ${r.weekStart.toISOString().slice(0, 10)}`, r.figures]))).toEqual(expected);
    await db().pullRequest.updateMany({ where: { orgId: org.id }, data: { title: 'touched' } });
    expect(await db().rollupDirtyDay.count({ where: { orgId: org.id } })).toBeGreaterThan(0);
    await db().organization.delete({ where: { id: org.id } });
    expect(await db().rollupDirtyDay.count({ where: { orgId: org.id } })).toBe(0);
  });
});

describe('a rebuild in progress', () => {
  test('reads use the weeks it has written and compute the later ones live', async () => {
    const { org, alpha } = await planted();
    await rebuildOrgRollups(org, new Date('2026-03-20T00:00:00Z'));
    const live = Object.fromEntries(await readWeekFigures(org, alpha.id, WEEKS));
    // Rows changed by hand (never do this outside a test) show where the read comes from.
    for (const week of WEEKS) {
      await db().weeklyRollup.update({ where: { orgId_scope_weekStart: { orgId: org.id, scope: alpha.id, weekStart: new Date(`${week}T00:00:00Z`) } }, data: { figures: { ...live[week], prsMerged: 99 } } });
    }
    // As if a rebuild had written through W1 only.
    await db().rollupState.update({ where: { orgId: org.id }, data: { rebuiltThrough: new Date('2026-03-02T00:00:00Z'), leaseUntil: new Date(Date.now() + 60_000) } });
    const read = await readWeekFigures(org, alpha.id, WEEKS);
    expect(WEEKS.map((w) => read.get(w)?.prsMerged)).toEqual([99, live['2026-03-09']!.prsMerged, live['2026-03-16']?.prsMerged]);
  });

  test('holds the org while its lease lasts; a rebuild whose lease ran out is started again', async () => {
    const { org } = await planted();
    await rebuildOrgRollups(org, new Date('2026-03-20T00:00:00Z'));
    const held = { rebuiltThrough: new Date('2026-03-02T00:00:00Z'), leaseUntil: new Date(Date.now() + 60_000) };
    await db().rollupState.update({ where: { orgId: org.id }, data: held });
    expect(await rebuildOrgRollups(org)).toBeNull();
    await refreshRollups();
    expect(await db().rollupState.findUniqueOrThrow({ where: { orgId: org.id } })).toMatchObject(held);
    // The lease ran out: the rebuild died. The next round rebuilds the org whole.
    await db().rollupState.update({ where: { orgId: org.id }, data: { leaseUntil: new Date(Date.now() - 1_000) } });
    await refreshRollups();
    const state = await db().rollupState.findUniqueOrThrow({ where: { orgId: org.id } });
    expect(state).toMatchObject({ metricsVersion: METRICS_VERSION, rebuiltThrough: null, leaseUntil: null });
    expect(await db().weeklyRollup.count({ where: { orgId: org.id, scope: ORG_SCOPE } })).toBeGreaterThan(5);
  });

  test('a rebuild works in the settings the org has when it starts, not those it was handed', async () => {
    const { org, beta } = await planted();
    await db().organization.update({ where: { id: org.id }, data: { timeZone: 'Asia/Tokyo' } });
    await rebuildOrgRollups(org, new Date('2026-03-20T00:00:00Z'));
    // P5 merged Sunday 23:30 UTC, Monday in Tokyo: beta's W1 loses it to W2.
    const rows = await db().weeklyRollup.findMany({ where: { orgId: org.id, scope: beta.id, weekStart: { in: WEEKS.map((w) => new Date(`${w}T00:00:00Z`)) } }, orderBy: { weekStart: 'asc' } });
    expect(rows.map((r) => (r.figures as { prsMerged: number }).prsMerged)).toEqual([1, 1, 0]);
  });
});

describe('weeksOfUtcDays', () => {
  test('a UTC day falls in one week in UTC, and can reach into the next week east of UTC', () => {
    expect(weeksOfUtcDays([new Date('2026-03-08T00:00:00Z')], 'UTC')).toEqual(['2026-03-02']);
    // Sunday 2026-03-08 UTC runs into Monday 2026-03-09 in Tokyo.
    expect(weeksOfUtcDays([new Date('2026-03-08T00:00:00Z')], 'Asia/Tokyo')).toEqual(['2026-03-02', '2026-03-09']);
    // Monday 2026-03-09 UTC starts on Sunday evening in New York.
    expect(weeksOfUtcDays([new Date('2026-03-09T00:00:00Z')], 'America/New_York')).toEqual(['2026-03-02', '2026-03-09']);
  });
});
