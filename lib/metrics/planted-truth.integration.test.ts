import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { db } from '../db/client.ts';
import { computeWeeks, EMPTY_WEEK, ORG_SCOPE, type WeekFigures } from './compute-weeks.ts';
import { NOTHING_PLANTED, ORG, type PlantedFigures } from './planted-truth-figures.ts';
import { plantTruth, type PlantedOrg } from './planted-truth.ts';
import { readWeekFigures, rebuildOrgRollups } from './rollups.ts';

// A few hundred PRs over 8 weeks in New York (a DST change on 2026-03-08 inside the period): the
// engine, the weekly API and rebuilt rollups must give exactly the figures the generator planted,
// which it tallied by the definitions in plain TypeScript while writing the rows.

const FIGURES = Object.keys(NOTHING_PLANTED) as (keyof PlantedFigures)[];
const only = (f: WeekFigures | PlantedFigures | Record<string, unknown>) => Object.fromEntries(FIGURES.map((k) => [k, (f as Record<string, unknown>)[k]]));

/** scope → week → planted figures, every week of `weeks` (nothing planted: zeros and nulls). */
function expected(planted: PlantedOrg, scopes: string[], weeks: string[]) {
  return Object.fromEntries(scopes.map((s) => [s, Object.fromEntries(weeks.map((w) => [w, planted.truth!.get(s)?.get(w) ?? NOTHING_PLANTED]))]));
}

function actual(byScope: (scope: string) => Map<string, WeekFigures> | undefined, scopes: string[], weeks: string[]) {
  return Object.fromEntries(scopes.map((s) => [s, Object.fromEntries(weeks.map((w) => [w, only(byScope(s)?.get(w) ?? EMPTY_WEEK)]))]));
}

async function getWeekly(slug: string, query: string, authorization: string) {
  const res = await GET(new Request(`http://test/api/orgs/${slug}/metrics/weekly?${query}`, { headers: { authorization } }), { params: Promise.resolve({ org: slug }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { weeks: (WeekFigures & { weekStart: string })[] };
}

describe('planted truth', () => {
  test('computeWeeks, the weekly API and rebuilt rollups recover every planted figure for every team and week', async () => {
    const planted = await plantTruth({ seed: 7, timeZone: 'America/New_York', start: '2026-02-23', weeks: 8, prs: 400, commits: 1_500 });
    const truth = planted.truth!;
    const weeks = [...new Set([...truth.values()].flatMap((byWeek) => [...byWeek.keys()]))].sort();
    const scopes = [ORG, ...planted.teams.map((t) => t.id)];
    expect(ORG).toBe(ORG_SCOPE);
    expect(planted.written).toMatchObject({ PullRequest: 400, Commit: 1_500 });
    expect(planted.written.CiRun).toBeGreaterThan(400);

    // The plant is not trivial: every team merges, reviews, lands commits and finishes tickets, and
    // some merges fall in another week in New York than in UTC.
    const total = (figure: keyof PlantedFigures, scope: string) => [...(truth.get(scope)?.values() ?? [])].reduce((a, f) => a + (f[figure] as number), 0);
    for (const team of planted.teams) {
      for (const figure of ['prsMerged', 'aiPrsMerged', 'prsMergedWithoutReview', 'commits', 'aiLinesAdded', 'ticketsDone', 'tokens', 'firstRunHeadsAi', 'firstRunPassed'] as const) expect(total(figure, team.id)).toBeGreaterThan(0);
    }
    // CI was planted to pass less often on AI pull requests (70% vs 90% per workflow), with re-runs
    // and cancelled runs the definition leaves out: the planted rates differ, and so must the engine's.
    const rateOf = (passed: 'firstRunPassedAi' | 'firstRunPassed', heads: 'firstRunHeadsAi' | 'firstRunHeads') => total(passed, ORG) / total(heads, ORG);
    const humanRate = (total('firstRunPassed', ORG) - total('firstRunPassedAi', ORG)) / (total('firstRunHeads', ORG) - total('firstRunHeadsAi', ORG));
    expect(rateOf('firstRunPassedAi', 'firstRunHeadsAi')).toBeLessThan(humanRate - 0.1);
    expect(await db().ciRun.count({ where: { orgId: planted.org.id, runAttempt: 2 } })).toBeGreaterThan(0);
    expect(await db().ciRun.count({ where: { orgId: planted.org.id, conclusion: 'cancelled' } })).toBeGreaterThan(0);
    expect(total('prsMerged', ORG)).toBeGreaterThan(300);
    const [shifted] = await db().$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "PullRequest" WHERE "orgId" = ${planted.org.id} AND "mergedAt" IS NOT NULL
        AND date_trunc('week', "mergedAt" AT TIME ZONE 'UTC') <> date_trunc('week', "mergedAt" AT TIME ZONE 'America/New_York')`;
    expect(Number(shifted!.n)).toBeGreaterThan(0);
    // The bulk load deferred rollups: nothing marked, nothing rolled up yet.
    expect(await db().rollupDirtyDay.count({ where: { orgId: planted.org.id } })).toBe(0);

    const want = expected(planted, scopes, weeks);
    const input = { db: db(), orgId: planted.org.id, timeZone: planted.org.timeZone, cycleTimeStart: planted.org.cycleTimeStart, countWeakAiSignals: false, weeks };
    const live = await computeWeeks(input);
    expect(actual((s) => live.get(s), scopes, weeks)).toEqual(want);

    // Through the API, for one team (computed live: the org has no rollups yet).
    const team = planted.teams[1]!;
    const { token } = await createIngestToken({ orgId: planted.org.id, name: 'reader', scopes: ['metrics:read'] });
    const range = `team=${team.slug}&from=${weeks[0]}&to=${weeks.at(-1)}`;
    const before = await getWeekly(planted.org.slug, range, `Bearer ${token}`);
    expect(before.weeks.map((w) => w.weekStart)).toEqual(weeks);
    expect(Object.fromEntries(before.weeks.map((w) => [w.weekStart, only(w)]))).toEqual(want[team.id]);

    // Rebuilt rollups hold the same, and reads (and the API) come from them.
    const rebuilt = await rebuildOrgRollups(planted.org, new Date(`${weeks.at(-1)}T12:00:00Z`));
    expect(rebuilt?.weeks).toBeGreaterThanOrEqual(weeks.length);
    expect(await db().weeklyRollup.count({ where: { orgId: planted.org.id, scope: team.id } })).toBeGreaterThan(0);
    const read = Object.fromEntries(await Promise.all(scopes.map(async (s) => [s, await readWeekFigures(planted.org, s, weeks)] as const)));
    expect(actual((s) => read[s], scopes, weeks)).toEqual(want);
    const after = await getWeekly(planted.org.slug, range, `Bearer ${token}`);
    expect(Object.fromEntries(after.weeks.map((w) => [w.weekStart, only(w)]))).toEqual(want[team.id]);
  });

  test('the same seed plants the same truth', async () => {
    const options = { seed: 11, prs: 60, commits: 200, weeks: 3 };
    const [a, b] = [await plantTruth(options), await plantTruth(options)];
    const byTeamSlug = (p: PlantedOrg) => Object.fromEntries(p.teams.map((t) => [t.slug, Object.fromEntries(p.truth!.get(t.id) ?? [])]));
    expect(byTeamSlug(a)).toEqual(byTeamSlug(b));
    expect(Object.fromEntries(a.truth!.get(ORG)!)).toEqual(Object.fromEntries(b.truth!.get(ORG)!));
  });
});
