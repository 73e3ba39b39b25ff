import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { randomSlug } from '../../test/factories.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { db } from '../db/client.ts';
import { computeWeeks, ORG_SCOPE } from './compute-weeks.ts';
import { T, weekOf } from './pr-cycle-time.planted.ts';
import { reverts } from './reverts.ts';
import { rework, type ReworkFigures } from './rework.ts';
import { readWeekFigures, refreshRollups } from './rollups.ts';

// Rework and reverts within 14 days on a planted dataset. Rework figures come from the reference
// implementation below and by hand; revert figures by hand. Ann is in alpha; Bob in alpha until
// Wednesday 2026-03-04 12:00 UTC, then beta; Rita reviews. The repository's default team is alpha.
// Weeks: W1 = 2026-03-02 (rework), W2 = 2026-03-09 (reverted PRs), W3 = 2026-03-16, W4 = 2026-03-23.

const WEEKS = ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23'];
const [W1, W2, W3, W4] = WEEKS as [string, string, string, string];
const MOVE = '2026-03-04T12:00:00Z';
const sha = (name: string) => createHash('sha1').update(name).digest('hex');

type Who = 'ann' | 'bob' | 'rita' | 'bot';
interface CommitSpec { name: string; authoredAt: string; committedAt?: string; parents?: number; by?: Who }
interface PrSpec {
  author: Who; ai?: 'strong' | 'weak'; title?: string; mergedAt: string; reviews?: { by: Who; at: string }[]; commits?: CommitSpec[];
  /** Name of the merge (or squash) commit. */
  mergeCommit?: string;
}
interface LooseCommit { name: string; message: string; committedAt: string; onDefaultBranch: boolean }

const PRS: Record<string, PrSpec> = {
  // ── W1: rework (comments: commits authored after the first human review, up to the merge) ──
  // 2: the merge of main and the bot's commit after the review do not count
  R1: { author: 'ann', mergedAt: '2026-03-05T12:00:00Z', reviews: [{ by: 'rita', at: '2026-03-03T10:00:00Z' }], commits: [
    { name: 'r1a', authoredAt: '2026-03-02T09:00:00Z' }, { name: 'r1b', authoredAt: '2026-03-03T11:00:00Z' }, { name: 'r1c', authoredAt: '2026-03-04T09:00:00Z' },
    { name: 'r1m', authoredAt: '2026-03-04T10:00:00Z', parents: 2 }, { name: 'r1bot', authoredAt: '2026-03-04T11:00:00Z', by: 'bot' }] },
  // AI, 0
  R2: { author: 'ann', ai: 'strong', mergedAt: '2026-03-04T12:00:00Z', reviews: [{ by: 'rita', at: '2026-03-03T12:00:00Z' }], commits: [{ name: 'r2a', authoredAt: '2026-03-03T08:00:00Z' }] },
  // AI, Bob (beta at merge), 1: a review app is no human review; a commit after the merge does not count
  R3: { author: 'bob', ai: 'strong', mergedAt: '2026-03-05T15:00:00Z', reviews: [{ by: 'bot', at: '2026-03-04T08:00:00Z' }, { by: 'rita', at: '2026-03-04T10:00:00Z' }], commits: [
    { name: 'r3a', authoredAt: '2026-03-04T09:00:00Z' }, { name: 'r3b', authoredAt: '2026-03-04T11:00:00Z' }, { name: 'r3c', authoredAt: '2026-03-05T16:00:00Z' }] },
  // merged without review: not in rework figures
  R4: { author: 'ann', mergedAt: '2026-03-05T09:00:00Z', commits: [{ name: 'r4a', authoredAt: '2026-03-05T08:00:00Z' }] },
  // a bot's PR: excluded
  R5: { author: 'bot', mergedAt: '2026-03-05T09:00:00Z', reviews: [{ by: 'rita', at: '2026-03-04T09:00:00Z' }], commits: [{ name: 'r5a', authoredAt: '2026-03-04T10:00:00Z', by: 'bot' }] },
  // 1, merged Sunday 20:00 UTC = Monday in Tokyo
  R6: { author: 'ann', mergedAt: '2026-03-08T20:00:00Z', reviews: [{ by: 'rita', at: '2026-03-08T10:00:00Z' }], commits: [{ name: 'r6a', authoredAt: '2026-03-08T12:00:00Z' }] },
  // 0: rebased after the review (new committer date), but authored before it
  R7: { author: 'ann', mergedAt: '2026-03-06T10:00:00Z', reviews: [{ by: 'rita', at: '2026-03-05T10:00:00Z' }], commits: [
    { name: 'r7a', authoredAt: '2026-03-05T09:00:00Z', committedAt: '2026-03-05T18:00:00Z' }] },
  // ── W2: reverts ──
  // reverted by git revert of its merge commit, 3 days later
  V1: { author: 'ann', mergedAt: '2026-03-09T10:00:00Z', mergeCommit: 'm1' },
  // AI, reverted by GitHub's revert button: PR 'Revert "Add cache"' merged 11 days later
  V2: { author: 'ann', ai: 'strong', title: 'Add cache', mergedAt: '2026-03-09T12:00:00Z', mergeCommit: 'm2' },
  // Bob (beta): its commit reverted 15 days later: not counted
  V3: { author: 'bob', mergedAt: '2026-03-10T09:00:00Z', mergeCommit: 'm3', commits: [{ name: 'k3', authoredAt: '2026-03-10T08:00:00Z' }] },
  // a revert only on another branch: not counted
  V4: { author: 'ann', mergedAt: '2026-03-10T10:00:00Z', mergeCommit: 'm4' },
  // a bot's PR, reverted: excluded
  V5: { author: 'bot', mergedAt: '2026-03-10T11:00:00Z', mergeCommit: 'm5' },
  // one of its commits (not the merge) reverted the same day
  V6: { author: 'ann', mergedAt: '2026-03-11T09:00:00Z', mergeCommit: 'm6', commits: [{ name: 'k6', authoredAt: '2026-03-11T08:00:00Z' }] },
  // W3: the revert PR of V2 (itself merged, not reverted)
  RV2: { author: 'ann', title: 'Revert "Add cache"', mergedAt: '2026-03-20T12:00:00Z', mergeCommit: 'mrv2' },
};

const revertMessage = (title: string, name: string) => `Revert "${title}"\n\nThis reverts commit ${sha(name)}.\n`;
const LOOSE: LooseCommit[] = [
  { name: 'rev1', message: revertMessage('V1', 'm1'), committedAt: '2026-03-12T10:00:00Z', onDefaultBranch: true },
  { name: 'rev3', message: revertMessage('k3', 'k3'), committedAt: '2026-03-25T09:01:00Z', onDefaultBranch: true },
  { name: 'rev4', message: revertMessage('V4', 'm4'), committedAt: '2026-03-11T10:00:00Z', onDefaultBranch: false },
  { name: 'rev5', message: revertMessage('V5', 'm5'), committedAt: '2026-03-11T10:00:00Z', onDefaultBranch: true },
  { name: 'rev6', message: `Back out k6\n\nThis reverts commit ${sha('k6')}.`, committedAt: '2026-03-11T15:00:00Z', onDefaultBranch: true },
];

async function plant(opts: { timeZone?: string } = {}) {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Rework', timeZone: opts.timeZone ?? 'UTC' } });
  const orgId = org.id;
  const alpha = await db().team.create({ data: { orgId, slug: 'alpha', name: 'Alpha' } });
  const beta = await db().team.create({ data: { orgId, slug: 'beta', name: 'Beta' } });
  const people = {} as Record<Who, string>;
  for (const who of ['ann', 'bob', 'rita', 'bot'] as Who[]) people[who] = (await db().person.create({ data: { orgId, displayName: who, isBot: who === 'bot' } })).id;
  await db().teamMembership.createMany({
    data: [
      { orgId, personId: people.ann, teamId: alpha.id, validFrom: T('2026-01-01T00:00:00Z') },
      { orgId, personId: people.bob, teamId: alpha.id, validFrom: T('2026-01-01T00:00:00Z'), validTo: T(MOVE) },
      { orgId, personId: people.bob, teamId: beta.id, validFrom: T(MOVE) },
      { orgId, personId: people.rita, teamId: beta.id, validFrom: T('2026-01-01T00:00:00Z') },
    ],
  });
  const repo = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r1', defaultTeamId: alpha.id, defaultBranch: 'main' } });
  const commit = (c: { name: string; by: Who | null; authoredAt: string; committedAt: string; message: string; parents?: number; onDefaultBranch: boolean }) =>
    db().commit.create({
      data: { orgId, repositoryId: repo.id, sha: sha(c.name), authorId: c.by ? people[c.by] : null, authoredAt: T(c.authoredAt), committedAt: T(c.committedAt), message: c.message, parentCount: c.parents ?? 1, onDefaultBranch: c.onDefaultBranch },
    });
  let number = 0;
  let reviewId = 0;
  for (const [name, p] of Object.entries(PRS)) {
    const pr = await db().pullRequest.create({
      data: {
        orgId, repositoryId: repo.id, number: ++number, title: p.title ?? name, authorId: people[p.author], state: 'merged', createdAt: T('2026-03-01T00:00:00Z'),
        mergedAt: T(p.mergedAt), closedAt: T(p.mergedAt), mergeCommitSha: p.mergeCommit ? sha(p.mergeCommit) : null,
        aiEvidence: p.ai ? [{ kind: 'co_author', tool: 'Claude Code', aiTool: 'claude_code', strength: p.ai, evidence: 'planted' }] : [],
      },
    });
    for (const r of p.reviews ?? []) {
      await db().review.create({ data: { orgId, pullRequestId: pr.id, externalId: String(++reviewId), reviewerId: people[r.by], state: 'commented', submittedAt: T(r.at) } });
    }
    for (const c of p.commits ?? []) {
      const row = await commit({ name: c.name, by: c.by ?? p.author, authoredAt: c.authoredAt, committedAt: c.committedAt ?? c.authoredAt, message: c.name, parents: c.parents, onDefaultBranch: false });
      await db().pullRequestCommit.create({ data: { orgId, pullRequestId: pr.id, commitId: row.id } });
    }
    if (p.mergeCommit) await commit({ name: p.mergeCommit, by: p.author, authoredAt: p.mergedAt, committedAt: p.mergedAt, message: `${p.title ?? name} (#${number})`, onDefaultBranch: true });
  }
  for (const c of LOOSE) await commit({ name: c.name, by: 'ann', authoredAt: c.committedAt, committedAt: c.committedAt, message: c.message, onDefaultBranch: c.onDefaultBranch });
  return { org, repo, people, teams: { alpha: alpha.id, beta: beta.id } };
}

// ───────────── reference implementation of docs/metrics.md#rework ─────────────

const teamAt = (who: Who, iso: string): 'alpha' | 'beta' => (who === 'bob' && T(iso) >= T(MOVE) ? 'beta' : who === 'rita' ? 'beta' : 'alpha');

function expectedRework(offsetHours: number, scope: 'alpha' | 'beta' | null, week: string): ReworkFigures {
  const prs = Object.values(PRS).flatMap((p) => {
    const firstReview = (p.reviews ?? []).filter((r) => r.by !== 'bot' && r.by !== p.author && T(r.at) <= T(p.mergedAt)).map((r) => r.at).sort()[0];
    if (p.author === 'bot' || !firstReview) return [];
    const commits = (p.commits ?? []).filter((c) => T(c.authoredAt) > T(firstReview) && T(c.authoredAt) <= T(p.mergedAt) && (c.parents ?? 1) === 1 && (c.by ?? p.author) !== 'bot');
    return [{ week: weekOf(p.mergedAt, offsetHours), team: teamAt(p.author, p.mergedAt), ai: p.ai === 'strong', commits: commits.length }];
  }).filter((p) => p.week === week && (scope === null || p.team === scope));
  const part = (keep: (ai: boolean) => boolean) => {
    const ps = prs.filter((p) => keep(p.ai));
    const reworked = ps.filter((p) => p.commits > 0).length;
    return { reworked, perPr: ps.length ? ps.reduce((s, p) => s + p.commits, 0) / ps.length : null, share: ps.length ? reworked / ps.length : null };
  };
  const [all, ai, human] = [part(() => true), part((x) => x), part((x) => !x)];
  return {
    reworkedPrs: all.reworked, reworkedPrsAi: ai.reworked, reworkedPrsHuman: human.reworked,
    reworkCommitsPerPr: all.perPr, reworkCommitsPerPrAi: ai.perPr, reworkCommitsPerPrHuman: human.perPr,
    reworkPrShare: all.share, reworkPrShareAi: ai.share, reworkPrShareHuman: human.share,
  };
}

async function byScope<F extends object>(family: { compute: typeof rework.compute; empty: F } | { compute: typeof reverts.compute; empty: F }, planted: Awaited<ReturnType<typeof plant>>, timeZone = 'UTC') {
  const rows = (await family.compute({ db: db(), orgId: planted.org.id, timeZone, cycleTimeStart: 'in_progress', countWeakAiSignals: false, weeks: WEEKS })) as { teamId: string | null; week: string; figures: F }[];
  const name = (teamId: string | null) => (teamId === null ? 'org' : teamId === planted.teams.alpha ? 'alpha' : 'beta');
  return (scope: 'alpha' | 'beta' | null, week: string): F => rows.find((r) => name(r.teamId) === (scope ?? 'org') && r.week === week)?.figures ?? family.empty;
}

function expectClose(actual: object, want: Record<string, number | null>) {
  for (const [k, v] of Object.entries(want)) {
    const a = (actual as Record<string, unknown>)[k];
    if (v === null) expect(a, k).toBeNull();
    else expect(a, k).toBeCloseTo(v, 9);
  }
}

const SCOPES = [null, 'alpha', 'beta'] as const;

describe('rework', () => {
  test('every scope and week matches the reference implementation, in UTC and in Tokyo', async () => {
    for (const [timeZone, offset] of [['UTC', 0], ['Asia/Tokyo', 9]] as const) {
      const planted = await plant({ timeZone });
      const figures = await byScope(rework, planted, timeZone);
      for (const scope of SCOPES) for (const week of WEEKS) expectClose(figures(scope, week), expectedRework(offset, scope, week) as unknown as Record<string, number | null>);
    }
  });

  test('by hand: after the first human review, merges, bots and rebases left out, AI vs human', async () => {
    const planted = await plant();
    const figures = await byScope(rework, planted);
    // reviewed, merged in W1: R1 2, R2 0 (AI), R3 1 (AI), R6 1, R7 0; R4 unreviewed, R5 a bot's
    expectClose(figures(null, W1), {
      reworkedPrs: 3, reworkedPrsAi: 1, reworkedPrsHuman: 2,
      reworkCommitsPerPr: 4 / 5, reworkCommitsPerPrAi: 0.5, reworkCommitsPerPrHuman: 1,
      reworkPrShare: 0.6, reworkPrShareAi: 0.5, reworkPrShareHuman: 2 / 3,
    });
    // Bob merged R3 after his move: beta's
    expectClose(figures('beta', W1), { reworkedPrs: 1, reworkCommitsPerPr: 1, reworkPrShareHuman: null });
    expectClose(figures('alpha', W1), { reworkedPrs: 2, reworkCommitsPerPr: 0.75, reworkPrShare: 0.5 });
    // Tokyo: R6 (Sunday 20:00 UTC) moves to W2
    const tokyo = await byScope(rework, await plant({ timeZone: 'Asia/Tokyo' }), 'Asia/Tokyo');
    expectClose(tokyo(null, W1), { reworkedPrs: 2, reworkCommitsPerPr: 3 / 4 });
    expectClose(tokyo(null, W2), { reworkedPrs: 1, reworkCommitsPerPr: 1 });
  });

  test('weeks without reviewed merged PRs: counts 0, others null', async () => {
    const planted = await plant();
    const figures = await byScope(rework, planted);
    expect(figures(null, W4)).toEqual(rework.empty);
    // W2 has merged PRs, none reviewed
    expect(figures(null, W2)).toEqual(rework.empty);
    expect(rework.empty).toMatchObject({ reworkedPrs: 0, reworkCommitsPerPr: null, reworkPrShareAi: null });
  });
});

describe('reverts within 14 days', () => {
  test('by hand: git revert of the merge or a commit, GitHub revert PR; late, off-branch and bot reverts', async () => {
    const planted = await plant();
    const figures = await byScope(reverts, planted);
    // W2 merged (bots left out): V1, V2 (AI), V3, V4, V6; reverted V1 (git, merge commit), V2 (revert
    // PR after 11 days), V6 (git, its commit); not V3 (15 days), V4 (revert not on the default branch)
    expect(figures(null, W2)).toEqual({ revertedPrs: 3, revertedPrsAi: 1, revertedPrsHuman: 2, revertRate: 0.6, revertRateAi: 1, revertRateHuman: 0.5 });
    expect(figures('beta', W2)).toMatchObject({ revertedPrs: 0, revertRate: 0, revertRateAi: null });
    expect(figures('alpha', W2)).toMatchObject({ revertedPrs: 3, revertRate: 0.75 });
    // W1: 6 merged (R5 a bot's), none reverted; W3: the revert PR itself; W4: nothing merged
    expect(figures(null, W1)).toMatchObject({ revertedPrs: 0, revertRate: 0, revertRateAi: 0 });
    expect(figures(null, W3)).toMatchObject({ revertedPrs: 0, revertRate: 0, revertRateAi: null });
    expect(figures(null, W4)).toEqual(reverts.empty);
  });

  test('a later revert updates the rolled-up week of the original merge', async () => {
    const planted = await plant();
    await refreshRollups();
    expect((await readWeekFigures(planted.org, ORG_SCOPE, [W2])).get(W2)).toMatchObject({ revertedPrs: 3 });
    // V3's merge commit reverted in W3 (8 days after): marks V3's merge day, 2026-03-10
    await db().commit.create({
      data: { orgId: planted.org.id, repositoryId: planted.repo.id, sha: sha('rev3-merge'), authorId: planted.people.ann, authoredAt: T('2026-03-18T09:00:00Z'), committedAt: T('2026-03-18T09:00:00Z'), message: revertMessage('V3', 'm3'), onDefaultBranch: true },
    });
    // V4 reverted by GitHub's revert button in W3: marks V4's merge day too
    await db().pullRequest.create({
      data: { orgId: planted.org.id, repositoryId: planted.repo.id, number: 100, title: 'Revert "V4"', authorId: planted.people.ann, state: 'merged', createdAt: T('2026-03-19T09:00:00Z'), mergedAt: T('2026-03-19T10:00:00Z') },
    });
    const marked = (await db().rollupDirtyDay.findMany({ where: { orgId: planted.org.id } })).map((d) => d.day.toISOString().slice(0, 10)).sort();
    expect(marked).toEqual(['2026-03-10', '2026-03-18', '2026-03-19']);
    await refreshRollups();
    expect(await db().rollupDirtyDay.count({ where: { orgId: planted.org.id } })).toBe(0);
    const rollup = await db().weeklyRollup.findFirstOrThrow({ where: { orgId: planted.org.id, scope: planted.teams.beta, weekStart: T(`${W2}T00:00:00Z`) } });
    expect(rollup.figures).toMatchObject({ revertedPrs: 1, revertRate: 1 });
    expect((await readWeekFigures(planted.org, ORG_SCOPE, [W2])).get(W2)).toMatchObject({ revertedPrs: 5, revertRate: 1 });
  });

  test('a commit linked to a merged PR later updates its rework week', async () => {
    const planted = await plant();
    await refreshRollups();
    const r2 = await db().pullRequest.findFirstOrThrow({ where: { orgId: planted.org.id, title: 'R2' } });
    const late = await db().commit.create({
      data: { orgId: planted.org.id, repositoryId: planted.repo.id, sha: sha('r2-late'), authorId: planted.people.ann, authoredAt: T('2026-03-03T20:00:00Z'), committedAt: T('2026-03-03T20:00:00Z'), message: 'address review' },
    });
    await db().rollupDirtyDay.deleteMany({ where: { orgId: planted.org.id, day: T('2026-03-03T00:00:00Z') } });
    await db().pullRequestCommit.create({ data: { orgId: planted.org.id, pullRequestId: r2.id, commitId: late.id } });
    expect((await db().rollupDirtyDay.findMany({ where: { orgId: planted.org.id } })).map((d) => d.day.toISOString().slice(0, 10))).toEqual(['2026-03-04']);
    await refreshRollups();
    // R2 now has 1 rework commit: AI R2 1, R3 1
    expect((await readWeekFigures(planted.org, ORG_SCOPE, [W1])).get(W1)).toMatchObject({ reworkedPrsAi: 2, reworkCommitsPerPrAi: 1 });
  });

  test('reaches computeWeeks and GET /metrics/weekly', async () => {
    const planted = await plant();
    const weeks = await computeWeeks({ db: db(), orgId: planted.org.id, timeZone: 'UTC', cycleTimeStart: 'in_progress', countWeakAiSignals: false, weeks: WEEKS });
    expect(weeks.get(ORG_SCOPE)?.get(W2)).toMatchObject({ revertedPrs: 3, revertRate: 0.6 });
    expect(weeks.get(ORG_SCOPE)?.get(W1)).toMatchObject({ reworkedPrs: 3, reworkPrShare: 0.6 });
    const { token } = await createIngestToken({ orgId: planted.org.id, name: 'reader', scopes: ['metrics:read'] });
    const slug = planted.org.slug;
    const res = await GET(new Request(`http://test/api/orgs/${slug}/metrics/weekly?team=alpha&from=2026-03-02&to=2026-03-29`, { headers: { authorization: `Bearer ${token}` } }), {
      params: Promise.resolve({ org: slug }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.weeks[0]).toMatchObject({ weekStart: W1, reworkCommitsPerPr: 0.75, reworkPrShare: 0.5 });
    expect(body.weeks[1]).toMatchObject({ weekStart: W2, revertedPrs: 3, revertRate: 0.75 });
    expect(body.weeks[3]).toMatchObject({ weekStart: W4, revertRate: null, reworkCommitsPerPr: null });
  });
});
