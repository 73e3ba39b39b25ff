import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';

// Planted over 8 UTC weeks, W1 = 2026-02-02 … W8 = 2026-03-23. The window ending W8 is W5–W8
// ("after") against W1–W4 ("before"). Threshold 1.5 (the default). No tickets and no CI, so the
// cycle figure is PR cycle time and the first-run pass rate is unknown.
// - alpha: AI lines 4 × 25 = 100 → 4 × 50 = 200 (growth 2); PR cycle [10, 20, 30] → [20, 30, 40, 50]
//   (p50 20 → 35 over the items; a mean of weekly p50s would give (30 + 50) / 2 = 40), review time
//   [2, 4, 6] → [4, 4, 6, 8] (p50 4 → 5): nothing improved → flagged.
// - beta: AI lines 10 → 20 (growth 2) but PR cycle 40 → 10: improved → not flagged.
// - gamma: AI lines 100 → 120 (growth 1.2 < 1.5), cycle 10 → 20: flagged only at threshold 1.1.
// - delta: no AI lines; tokens 1,000 → 2,000 (growth 2), cycle 5 → 6, no review → flagged on tokens.

const WEEKS = ['2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23'];
const H = 3_600_000;
const at = (week: number, dayOffset: number, hour = 12) => new Date(new Date(`${WEEKS[week - 1]}T00:00:00Z`).getTime() + (dayOffset * 24 + hour) * H);

function referenceMedian(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = (s.length - 1) / 2;
  return (s[Math.floor(mid)]! + s[Math.ceil(mid)]!) / 2;
}

// [merge week, cycle hours, review hours | null] per team and side
const PRS = {
  alpha: { before: [[2, 10, 2], [3, 20, 4], [4, 30, 6]], after: [[5, 20, 4], [5, 30, 4], [5, 40, 6], [8, 50, 8]] },
  beta: { before: [[3, 40, 3]], after: [[6, 10, 3]] },
  gamma: { before: [[3, 10, 3]], after: [[6, 20, 3]] },
  delta: { before: [[3, 5, null]], after: [[6, 6, null]] },
} as const;
const AI_LINES = { alpha: [25, 25, 25, 25, 50, 50, 50, 50], beta: [10, 0, 0, 0, 20, 0, 0, 0], gamma: [100, 0, 0, 0, 120, 0, 0, 0] } as const;

async function plant() {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Distortion', timeZone: 'UTC' } });
  const orgId = org.id;
  const rita = await db().person.create({ data: { orgId, displayName: 'Rita' } });
  const repo = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r' } });
  let n = 0;
  for (const slug of ['alpha', 'beta', 'gamma', 'delta'] as const) {
    const team = await db().team.create({ data: { orgId, slug, name: slug } });
    const person = await db().person.create({ data: { orgId, displayName: `${slug}-dev` } });
    await db().teamMembership.create({ data: { orgId, teamId: team.id, personId: person.id, validFrom: new Date('2026-01-01T00:00:00Z') } });
    for (const [week, cycle, review] of [...PRS[slug].before, ...PRS[slug].after]) {
      const mergedAt = at(week, 3);
      const pr = await db().pullRequest.create({
        data: { orgId, repositoryId: repo.id, number: ++n, title: `PR ${n}`, authorId: person.id, state: 'merged', createdAt: new Date(mergedAt.getTime() - cycle * H), mergedAt },
      });
      if (review !== null) {
        await db().review.create({ data: { orgId, pullRequestId: pr.id, externalId: `rv${n}`, reviewerId: rita.id, state: 'approved', submittedAt: new Date(mergedAt.getTime() - review * H) } });
      }
    }
    const lines = slug === 'delta' ? [] : AI_LINES[slug];
    for (const [i, ai] of lines.entries()) {
      if (ai === 0) continue;
      await db().commit.create({
        data: { orgId, repositoryId: repo.id, sha: String(++n).padStart(40, '0'), authorId: person.id, message: 'm', authoredAt: at(i + 1, 0), committedAt: at(i + 1, 0), additions: ai, aiAdditions: ai, parentCount: 1, onDefaultBranch: true },
      });
    }
    if (slug === 'delta') {
      for (const [day, tokens] of [['2026-02-04', 1000], ['2026-03-11', 2000]] as const) {
        await db().aiUsageDaily.create({ data: { orgId, day: new Date(`${day}T00:00:00Z`), tool: 'claude_code', identityKey: 'delta', personId: person.id, tokensIn: BigInt(tokens) } });
      }
    }
  }
  const { token } = await createIngestToken({ orgId, name: 'reader', scopes: ['metrics:read'] });
  return { org, authorization: `Bearer ${token}` };
}

async function flags(slug: string, authorization: string, query: string) {
  const res = await GET(new Request(`http://test/api/orgs/${slug}/metrics/weekly?${query}`, { headers: { authorization } }), { params: Promise.resolve({ org: slug }) });
  expect(res.status).toBe(200);
  return (await res.json()).flags as Record<string, unknown>[];
}

const LAST_WEEK = 'from=2026-03-23&to=2026-03-29';
const cycles = (side: 'before' | 'after', teams = Object.keys(PRS) as (keyof typeof PRS)[]) => teams.flatMap((t) => PRS[t][side].map((p) => p[1]));
const reviews = (side: 'before' | 'after') => (Object.keys(PRS) as (keyof typeof PRS)[]).flatMap((t) => PRS[t][side].flatMap((p) => (p[2] === null ? [] : [p[2]])));

describe('distortion warning', () => {
  test('alpha: generation doubled, PR cycle and review time p50s (over the items of 4 weeks) got worse', async () => {
    const { org, authorization } = await plant();
    const alpha = await flags(org.slug, authorization, `team=alpha&${LAST_WEEK}`);
    expect(alpha).toEqual([
      {
        kind: 'distortion', team: 'alpha', weekStart: '2026-03-23', windowStart: '2026-03-02', previousWindowStart: '2026-02-02', threshold: 1.5,
        generationBasis: 'aiLinesAdded', generationGrowth: 2, aiLinesAdded: { before: 100, after: 200 }, tokens: { before: 0, after: 0 },
        cycleTimeFigure: 'prCycle', cycleTimeP50Hours: { before: 20, after: 35 }, cycleTimeChange: 1.75,
        reviewTimeP50Hours: { before: 4, after: 5 }, reviewTimeChange: 1.25,
        firstRunPassRate: { before: null, after: null }, firstRunPassRateChange: null,
        message: 'Team alpha: AI-attributed lines grew 2× over the 4 weeks to 2026-03-23 while PR cycle p50 20 → 35 h, review time p50 4 → 5 h did not improve.',
      },
    ]);
  });

  test('a team whose cycle time improved, or whose generation grew less than the threshold, is not flagged', async () => {
    const { org, authorization } = await plant();
    expect(await flags(org.slug, authorization, `team=beta&${LAST_WEEK}`)).toEqual([]);
    expect(await flags(org.slug, authorization, `team=gamma&${LAST_WEEK}`)).toEqual([]);
  });

  test("the org's threshold decides: at 1.1, gamma's 1.2× growth is flagged", async () => {
    const { org, authorization } = await plant();
    await db().organization.update({ where: { id: org.id }, data: { distortionThreshold: 1.1 } });
    const [gamma] = await flags(org.slug, authorization, `team=gamma&${LAST_WEEK}`);
    expect(gamma).toMatchObject({ team: 'gamma', threshold: 1.1, generationGrowth: 1.2, cycleTimeP50Hours: { before: 10, after: 20 }, reviewTimeP50Hours: { before: 3, after: 3 }, reviewTimeChange: 1 });
  });

  test('without AI lines, tokens are the generation', async () => {
    const { org, authorization } = await plant();
    const [delta] = await flags(org.slug, authorization, `team=delta&${LAST_WEEK}`);
    expect(delta).toMatchObject({ generationBasis: 'tokens', generationGrowth: 2, tokens: { before: 1000, after: 2000 }, cycleTimeP50Hours: { before: 5, after: 6 }, reviewTimeP50Hours: { before: null, after: null }, reviewTimeChange: null });
  });

  test('without a team: the org (medians over every team\'s items) and each flagged team', async () => {
    const { org, authorization } = await plant();
    const all = await flags(org.slug, authorization, LAST_WEEK);
    expect(all.map((f) => f.team)).toEqual([null, 'alpha', 'delta']);
    // AI lines 100 + 10 + 100 = 210 → 200 + 20 + 120 = 340
    expect(all[0]).toMatchObject({
      team: null, aiLinesAdded: { before: 210, after: 340 },
      cycleTimeP50Hours: { before: referenceMedian(cycles('before')), after: referenceMedian(cycles('after')) },
      reviewTimeP50Hours: { before: referenceMedian(reviews('before')), after: referenceMedian(reviews('after')) },
    });
    expect(all[0]!.generationGrowth).toBeCloseTo(340 / 210, 12);
  });

  test('every week of the range whose trailing window triggers is flagged', async () => {
    const { org, authorization } = await plant();
    const alpha = await flags(org.slug, authorization, 'team=alpha&from=2026-02-02&to=2026-03-29');
    const weeks = alpha.map((f) => f.weekStart);
    expect(weeks).toContain('2026-03-23');
    // Up to W5 the earlier window has no merged PR: nothing to compare, so no flag.
    expect(weeks.every((w) => (w as string) > '2026-03-02')).toBe(true);
    // W6's window (W3–W6 vs W-1–W2): AI 25 + 25 = 50 → 25 + 25 + 50 + 50 = 150 (growth 3);
    // cycle [10] → [20, 30, 20, 30, 40] p50 30: flagged.
    expect(alpha.find((f) => f.weekStart === '2026-03-09')).toMatchObject({ generationGrowth: 3, aiLinesAdded: { before: 50, after: 150 }, cycleTimeP50Hours: { before: 10, after: 30 } });
  });
});
