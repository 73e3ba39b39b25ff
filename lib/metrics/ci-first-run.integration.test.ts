import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { randomSlug } from '../../test/factories.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { db } from '../db/client.ts';
import type { CiConclusion } from '../db/generated/client.ts';
import { ciFirstRun, type FirstRunFigures } from './ci-first-run.ts';
import { computeWeeks, ORG_SCOPE } from './compute-weeks.ts';
import { T, weekOf } from './pr-cycle-time.planted.ts';

// First-run pass rate on planted CI runs; expected figures come from the small reference
// implementation below (plain TypeScript over the same specs) and, for W1 and W2, by hand.
// Ann is in alpha; Bob is in alpha until Wednesday 2026-03-04 12:00 UTC, then in beta; the
// repository's default team is alpha. Weeks: W1 = 2026-03-02, W2 = 2026-03-09, W3 = 2026-03-16 (empty).

const WEEKS = ['2026-03-02', '2026-03-09', '2026-03-16'];
const [W1, W2, W3] = WEEKS as [string, string, string];
const MOVE = '2026-03-04T12:00:00Z';

type Who = 'ann' | 'bob' | 'bot';
interface PrSpec { author: Who; ai?: 'strong' | 'weak'; headSha: string; commits?: string[] }
interface RunSpec { sha: string; pr?: string; attempt?: number; workflow: string; conclusion: CiConclusion | null; at: string }

const PRS: Record<string, PrSpec> = {
  P1: { author: 'ann', headSha: 's1b' },
  P2: { author: 'ann', ai: 'strong', headSha: 's8' },
  P3: { author: 'bob', headSha: 's3c' },
  P4: { author: 'bot', headSha: 's4' },
  P5: { author: 'ann', headSha: 's5' },
  // only a weak AI mention: human unless the org counts weak evidence
  P6: { author: 'bob', ai: 'weak', headSha: 's6-head', commits: ['s6', 's6-head'] },
};

const RUNS: RunSpec[] = [
  // s1a: the first attempt failed; its re-run (attempt 2) passed → fails
  { sha: 's1a', pr: 'P1', workflow: 'CI', conclusion: 'failure', at: '2026-03-02T10:00:00Z' },
  { sha: 's1a', pr: 'P1', attempt: 2, workflow: 'CI', conclusion: 'success', at: '2026-03-02T11:00:00Z' },
  // s1b: two workflows, both pass → passes
  { sha: 's1b', pr: 'P1', workflow: 'CI', conclusion: 'success', at: '2026-03-03T09:00:00Z' },
  { sha: 's1b', pr: 'P1', workflow: 'Lint', conclusion: 'success', at: '2026-03-03T09:00:00Z' },
  // s2 (AI): one of two workflows fails → fails
  { sha: 's2', pr: 'P2', workflow: 'CI', conclusion: 'success', at: '2026-03-03T12:00:00Z' },
  { sha: 's2', pr: 'P2', workflow: 'Lint', conclusion: 'failure', at: '2026-03-03T12:01:00Z' },
  // s2b (AI): skipped and neutral pass, cancelled is left out → passes
  { sha: 's2b', pr: 'P2', workflow: 'CI', conclusion: 'success', at: '2026-03-04T08:00:00Z' },
  { sha: 's2b', pr: 'P2', workflow: 'Docs', conclusion: 'skipped', at: '2026-03-04T08:00:00Z' },
  { sha: 's2b', pr: 'P2', workflow: 'Label', conclusion: 'neutral', at: '2026-03-04T08:00:00Z' },
  { sha: 's2b', pr: 'P2', workflow: 'Deploy', conclusion: 'cancelled', at: '2026-03-04T08:00:00Z' },
  // s3 (Bob, still alpha): a run in progress is left out, the finished one passed → passes
  { sha: 's3', pr: 'P3', workflow: 'CI', conclusion: null, at: '2026-03-03T10:00:00Z' },
  { sha: 's3', pr: 'P3', workflow: 'Lint', conclusion: 'success', at: '2026-03-03T10:00:00Z' },
  // s3b: only in progress → not counted
  { sha: 's3b', pr: 'P3', workflow: 'CI', conclusion: null, at: '2026-03-05T08:00:00Z' },
  // s3c (Bob, now beta): passes; its failing re-run does not matter
  { sha: 's3c', pr: 'P3', workflow: 'CI', conclusion: 'success', at: '2026-03-05T10:00:00Z' },
  { sha: 's3c', pr: 'P3', attempt: 2, workflow: 'CI', conclusion: 'failure', at: '2026-03-05T11:00:00Z' },
  // s4: a bot's pull request → excluded
  { sha: 's4', pr: 'P4', workflow: 'CI', conclusion: 'success', at: '2026-03-03T10:00:00Z' },
  // s5: run not linked to a PR, but the sha is P5's head; Sunday 20:00 UTC = Monday 05:00 in Tokyo → fails
  { sha: 's5', workflow: 'CI', conclusion: 'failure', at: '2026-03-08T20:00:00Z' },
  // s6: run not linked, the sha is one of P6's commits; timed out → fails (W2, Bob in beta)
  { sha: 's6', workflow: 'CI', conclusion: 'timed_out', at: '2026-03-10T09:00:00Z' },
  // s7: cancelled and waiting for approval only → not counted
  { sha: 's7', pr: 'P1', workflow: 'CI', conclusion: 'cancelled', at: '2026-03-04T09:00:00Z' },
  { sha: 's7', pr: 'P1', workflow: 'Lint', conclusion: 'action_required', at: '2026-03-04T09:00:00Z' },
  // sX: no pull request → not counted
  { sha: 'sX', workflow: 'CI', conclusion: 'success', at: '2026-03-04T09:00:00Z' },
  // s8 (AI): passes in W2
  { sha: 's8', pr: 'P2', workflow: 'CI', conclusion: 'success', at: '2026-03-11T09:00:00Z' },
];

/** Plants an org with the PRs and runs; shas are 40-hex strings derived from the names above. */
async function plant(opts: { timeZone?: string; countWeak?: boolean } = {}) {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'CI', timeZone: opts.timeZone ?? 'UTC', countWeakAiSignals: opts.countWeak ?? false } });
  const orgId = org.id;
  const alpha = await db().team.create({ data: { orgId, slug: 'alpha', name: 'Alpha' } });
  const beta = await db().team.create({ data: { orgId, slug: 'beta', name: 'Beta' } });
  const people: Record<Who, string> = {
    ann: (await db().person.create({ data: { orgId, displayName: 'Ann' } })).id,
    bob: (await db().person.create({ data: { orgId, displayName: 'Bob' } })).id,
    bot: (await db().person.create({ data: { orgId, displayName: 'bot', isBot: true } })).id,
  };
  await db().teamMembership.createMany({
    data: [
      { orgId, personId: people.ann, teamId: alpha.id, validFrom: T('2026-01-01T00:00:00Z') },
      { orgId, personId: people.bob, teamId: alpha.id, validFrom: T('2026-01-01T00:00:00Z'), validTo: T(MOVE) },
      { orgId, personId: people.bob, teamId: beta.id, validFrom: T(MOVE) },
    ],
  });
  const repo = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r1', defaultTeamId: alpha.id } });
  const prIds: Record<string, string> = {};
  let number = 0;
  for (const [name, p] of Object.entries(PRS)) {
    const pr = await db().pullRequest.create({
      data: {
        orgId, repositoryId: repo.id, number: ++number, title: name, authorId: people[p.author], state: 'open', headSha: p.headSha, createdAt: T('2026-03-01T00:00:00Z'),
        aiEvidence: p.ai ? [{ kind: 'co_author', tool: 'Claude Code', aiTool: 'claude_code', strength: p.ai, evidence: 'planted' }] : [],
      },
    });
    prIds[name] = pr.id;
    for (const sha of p.commits ?? []) {
      const c = await db().commit.create({ data: { orgId, repositoryId: repo.id, sha, authorId: people[p.author], authoredAt: T('2026-03-01T00:00:00Z'), committedAt: T('2026-03-01T00:00:00Z'), message: sha } });
      await db().pullRequestCommit.create({ data: { orgId, pullRequestId: pr.id, commitId: c.id } });
    }
  }
  let id = 0;
  for (const r of RUNS) {
    await db().ciRun.create({
      data: {
        orgId, repositoryId: repo.id, provider: 'github_actions', externalId: `${r.sha}-${r.workflow}`, runAttempt: r.attempt ?? 1, workflow: r.workflow, headSha: r.sha,
        pullRequestId: r.pr ? prIds[r.pr]! : null, status: r.conclusion ? 'completed' : 'in_progress', conclusion: r.conclusion,
        startedAt: T(r.at), completedAt: r.conclusion ? new Date(T(r.at).getTime() + 600_000 + ++id) : null,
      },
    });
  }
  return { org, teams: { alpha: alpha.id, beta: beta.id } };
}

// ───────────── reference implementation of docs/metrics.md#first-run-pass-rate ─────────────

const teamAt = (who: Who, iso: string): 'alpha' | 'beta' => (who === 'bob' && T(iso) >= T(MOVE) ? 'beta' : 'alpha');

function referenceHeads(opts: { offsetHours: number; countWeak: boolean }) {
  const judged = RUNS.filter((r) => (r.attempt ?? 1) === 1 && r.conclusion && ['success', 'skipped', 'neutral', 'failure', 'timed_out'].includes(r.conclusion));
  const shas = [...new Set(judged.map((r) => r.sha))];
  return shas.flatMap((sha) => {
    const runs = judged.filter((r) => r.sha === sha);
    const prName = runs.find((r) => r.pr)?.pr ?? Object.keys(PRS).find((n) => PRS[n]!.headSha === sha || PRS[n]!.commits?.includes(sha));
    const pr = prName ? PRS[prName]! : undefined;
    if (!pr || pr.author === 'bot') return [];
    const at = runs.map((r) => r.at).sort()[0]!;
    const ai = pr.ai === 'strong' || (opts.countWeak && pr.ai === 'weak');
    return [{ week: weekOf(at, opts.offsetHours), team: teamAt(pr.author, at), ai, passed: runs.every((r) => ['success', 'skipped', 'neutral'].includes(r.conclusion!)) }];
  });
}

function expected(opts: { offsetHours: number; countWeak: boolean }, scope: 'alpha' | 'beta' | null, week: string): FirstRunFigures {
  const heads = referenceHeads(opts).filter((h) => h.week === week && (scope === null || h.team === scope));
  const part = (keep: (ai: boolean) => boolean) => {
    const hs = heads.filter((h) => keep(h.ai));
    const passed = hs.filter((h) => h.passed).length;
    return { heads: hs.length, passed, rate: hs.length ? passed / hs.length : null };
  };
  const [all, ai, human] = [part(() => true), part((x) => x), part((x) => !x)];
  return {
    firstRunHeads: all.heads, firstRunHeadsAi: ai.heads, firstRunHeadsHuman: human.heads,
    firstRunPassed: all.passed, firstRunPassedAi: ai.passed, firstRunPassedHuman: human.passed,
    firstRunPassRate: all.rate, firstRunPassRateAi: ai.rate, firstRunPassRateHuman: human.rate,
  };
}

async function compute(planted: Awaited<ReturnType<typeof plant>>, opts: { timeZone: string; countWeak: boolean }) {
  const rows = await ciFirstRun.compute({ db: db(), orgId: planted.org.id, timeZone: opts.timeZone, cycleTimeStart: 'in_progress', countWeakAiSignals: opts.countWeak, weeks: WEEKS });
  const name = (teamId: string | null) => (teamId === null ? 'org' : teamId === planted.teams.alpha ? 'alpha' : 'beta');
  return (scope: 'alpha' | 'beta' | null, week: string) => rows.find((r) => name(r.teamId) === (scope ?? 'org') && r.week === week)?.figures ?? ciFirstRun.empty;
}

const SCOPES = [null, 'alpha', 'beta'] as const;

describe('first-run pass rate', () => {
  test('every scope and week matches the reference implementation', async () => {
    const planted = await plant();
    const figures = await compute(planted, { timeZone: 'UTC', countWeak: false });
    for (const scope of SCOPES) for (const week of WEEKS) expect(figures(scope, week), `${scope} ${week}`).toEqual(expected({ offsetHours: 0, countWeak: false }, scope, week));
  });

  test('by hand: re-runs, two workflows, in-progress and cancelled runs, several heads per PR, AI vs human', async () => {
    const planted = await plant();
    const figures = await compute(planted, { timeZone: 'UTC', countWeak: false });
    // W1 heads: s1a ✗, s1b ✓, s3 ✓, s3c ✓, s5 ✗ (human); s2 ✗, s2b ✓ (AI). Not: s3b (in progress),
    // s4 (bot), s7 (cancelled / approval only), sX (no PR). 4 of 7 passed; AI 1 of 2; human 3 of 5.
    expect(figures(null, W1)).toEqual({
      firstRunHeads: 7, firstRunHeadsAi: 2, firstRunHeadsHuman: 5, firstRunPassed: 4, firstRunPassedAi: 1, firstRunPassedHuman: 3,
      firstRunPassRate: 4 / 7, firstRunPassRateAi: 0.5, firstRunPassRateHuman: 0.6,
    });
    // Bob's s3 (Tuesday) stays with alpha, his s3c (Thursday, after his move) is beta's.
    expect(figures('alpha', W1)).toMatchObject({ firstRunHeads: 6, firstRunPassed: 3, firstRunPassRate: 0.5 });
    expect(figures('beta', W1)).toMatchObject({ firstRunHeads: 1, firstRunPassed: 1, firstRunPassRate: 1 });
    // W2: s6 ✗ (P6's commit, human, beta), s8 ✓ (AI, alpha)
    expect(figures(null, W2)).toMatchObject({ firstRunHeads: 2, firstRunPassRate: 0.5, firstRunPassRateAi: 1, firstRunPassRateHuman: 0 });
  });

  test('a week without head commits under CI: counts 0, rates null', async () => {
    const planted = await plant();
    const figures = await compute(planted, { timeZone: 'UTC', countWeak: false });
    expect(figures(null, W3)).toEqual(ciFirstRun.empty);
    expect(ciFirstRun.empty).toMatchObject({ firstRunHeads: 0, firstRunPassRate: null, firstRunPassRateAi: null });
    // beta has no AI head in W2: AI rate null, not 0
    expect(figures('beta', W2)).toMatchObject({ firstRunHeadsAi: 0, firstRunPassRateAi: null, firstRunPassRateHuman: 0 });
  });

  test('weeks follow the org time zone: Sunday evening UTC is Monday in Tokyo', async () => {
    const planted = await plant({ timeZone: 'Asia/Tokyo' });
    const figures = await compute(planted, { timeZone: 'Asia/Tokyo', countWeak: false });
    for (const scope of SCOPES) for (const week of WEEKS) expect(figures(scope, week), `${scope} ${week}`).toEqual(expected({ offsetHours: 9, countWeak: false }, scope, week));
    // s5 moves to W2: W1 4 of 6, W2 s5 ✗, s6 ✗, s8 ✓
    expect(figures(null, W1)).toMatchObject({ firstRunHeads: 6, firstRunPassed: 4 });
    expect(figures(null, W2)).toMatchObject({ firstRunHeads: 3, firstRunPassed: 1 });
  });

  test('counting weak AI signals moves P6 to AI', async () => {
    const planted = await plant({ countWeak: true });
    const figures = await compute(planted, { timeZone: 'UTC', countWeak: true });
    for (const scope of SCOPES) for (const week of WEEKS) expect(figures(scope, week)).toEqual(expected({ offsetHours: 0, countWeak: true }, scope, week));
    expect(figures(null, W2)).toMatchObject({ firstRunHeadsAi: 2, firstRunPassRateAi: 0.5, firstRunPassRateHuman: null });
  });

  test('a run of an earlier week arriving late recomputes the rolled-up week', async () => {
    const planted = await plant();
    const { refreshRollups, readWeekFigures } = await import('./rollups.ts');
    await refreshRollups();
    const repo = await db().repository.findFirstOrThrow({ where: { orgId: planted.org.id } });
    // A failing first run of s8 that started Sunday of W1 (delivered late): s8 moves from W2 to W1 and fails.
    await db().ciRun.create({
      data: { orgId: planted.org.id, repositoryId: repo.id, provider: 'github_actions', externalId: 'late', workflow: 'E2E', headSha: 's8', status: 'completed', conclusion: 'failure', startedAt: T('2026-03-08T10:00:00Z'), completedAt: T('2026-03-08T11:00:00Z') },
    });
    const marked = (await db().rollupDirtyDay.findMany({ where: { orgId: planted.org.id } })).map((d) => d.day.toISOString().slice(0, 10)).sort();
    expect(marked).toEqual(['2026-03-08', '2026-03-11']);
    await refreshRollups();
    const read = await readWeekFigures(planted.org, ORG_SCOPE, WEEKS);
    expect(read.get(W1)).toMatchObject({ firstRunHeads: 8, firstRunPassed: 4, firstRunHeadsAi: 3 });
    expect(read.get(W2)).toMatchObject({ firstRunHeads: 1, firstRunPassed: 0 });
    const rollup = await db().weeklyRollup.findFirstOrThrow({ where: { orgId: planted.org.id, scope: ORG_SCOPE, weekStart: T(`${W2}T00:00:00Z`) } });
    expect(rollup.figures).toMatchObject({ firstRunHeads: 1 });
  });

  test('reaches computeWeeks and GET /metrics/weekly', async () => {
    const planted = await plant();
    const weeks = await computeWeeks({ db: db(), orgId: planted.org.id, timeZone: 'UTC', cycleTimeStart: 'in_progress', countWeakAiSignals: false, weeks: WEEKS });
    expect(weeks.get(ORG_SCOPE)?.get(W1)).toMatchObject({ firstRunHeads: 7, firstRunPassRateAi: 0.5 });
    const { token } = await createIngestToken({ orgId: planted.org.id, name: 'reader', scopes: ['metrics:read'] });
    const slug = planted.org.slug;
    const res = await GET(new Request(`http://test/api/orgs/${slug}/metrics/weekly?team=alpha&from=2026-03-02&to=2026-03-22`, { headers: { authorization: `Bearer ${token}` } }), {
      params: Promise.resolve({ org: slug }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.weeks[0]).toMatchObject({ weekStart: W1, firstRunHeads: 6, firstRunPassRate: 0.5 });
    expect(body.weeks[2]).toMatchObject({ weekStart: W3, firstRunHeads: 0, firstRunPassRate: null });
  });
});
