import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { randomSlug } from '../../test/factories.ts';
import { detectPullRequestSignals } from '../attribution/detect.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { computeWeeks, ORG_SCOPE } from './compute-weeks.ts';

// Generation figures (docs/metrics.md: commits landed, AI PRs merged, AI tool usage) on a small
// planted dataset; every expected value is worked out by hand in the comments, not by the engine.
// Weeks (UTC): W1 = 2026-03-02, W2 = 2026-03-09, W3 = 2026-03-16 (empty).

const T = (iso: string) => new Date(iso);
const W1 = '2026-03-02';
const W2 = '2026-03-09';
const W3 = '2026-03-16';

const STRONG_BODY = 'Adds the parser.\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)';
const WEAK_BODY = 'Adds the parser; claude code helped here.';

async function plant(options: { timeZone?: string; countWeakAiSignals?: boolean } = {}) {
  const org = await db().organization.create({
    data: { slug: randomSlug(), name: 'Generation', timeZone: options.timeZone ?? 'UTC', countWeakAiSignals: options.countWeakAiSignals ?? false },
  });
  const orgId = org.id;
  const alpha = await db().team.create({ data: { orgId, slug: 'alpha', name: 'Alpha' } });
  const beta = await db().team.create({ data: { orgId, slug: 'beta', name: 'Beta' } });
  const person = (displayName: string, isBot = false) => db().person.create({ data: { orgId, displayName, isBot } });
  const [ann, bob, carl, dee, bot] = await Promise.all([person('Ann'), person('Bob'), person('Carl'), person('Dee'), person('claude[bot]', true)]);
  await db().teamMembership.createMany({
    data: [
      { orgId, teamId: alpha.id, personId: ann!.id, validFrom: T('2026-01-01T00:00:00Z') },
      // Bob moves from alpha to beta on Wednesday of W1 at noon UTC.
      { orgId, teamId: alpha.id, personId: bob!.id, validFrom: T('2026-01-01T00:00:00Z'), validTo: T('2026-03-04T12:00:00Z') },
      { orgId, teamId: beta.id, personId: bob!.id, validFrom: T('2026-03-04T12:00:00Z') },
      { orgId, teamId: beta.id, personId: dee!.id, validFrom: T('2026-01-01T00:00:00Z') },
      // The bot is in a team too: it is left out for being a bot, not for lacking a team.
      { orgId, teamId: alpha.id, personId: bot!.id, validFrom: T('2026-01-01T00:00:00Z') },
    ],
  });
  // Carl has no membership: his changes fall to the repository's default team.
  const r1 = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r1', defaultTeamId: alpha.id } });
  const r2 = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r2', defaultTeamId: beta.id } });

  let sha = 0;
  const commit = (c: { authorId: string | null; at: string; isAi?: boolean; repositoryId?: string; parentCount?: number; onDefaultBranch?: boolean }) =>
    db().commit.create({
      data: {
        orgId, repositoryId: c.repositoryId ?? r1.id, sha: String(++sha).padStart(40, '0'), authorId: c.authorId, message: 'm',
        authoredAt: T(c.at), committedAt: T(c.at), additions: 10, aiAdditions: c.isAi ? 10 : 0, isAi: c.isAi ?? false,
        parentCount: c.parentCount ?? 1, onDefaultBranch: c.onDefaultBranch ?? true,
      },
    });
  await commit({ authorId: ann!.id, at: '2026-03-02T09:00:00Z', isAi: true }); // C1 alpha W1, AI
  await commit({ authorId: ann!.id, at: '2026-03-03T09:00:00Z' }); // C2 alpha W1
  await commit({ authorId: bob!.id, at: '2026-03-04T11:00:00Z', isAi: true }); // C3 alpha W1 (before Bob's move), AI
  await commit({ authorId: bob!.id, at: '2026-03-04T13:00:00Z' }); // C4 beta W1 (after the move)
  await commit({ authorId: ann!.id, at: '2026-03-03T10:00:00Z', isAi: true, parentCount: 2 }); // merge commit: excluded
  await commit({ authorId: ann!.id, at: '2026-03-03T11:00:00Z', isAi: true, onDefaultBranch: false }); // not on the default branch: excluded
  await commit({ authorId: bot!.id, at: '2026-03-03T12:00:00Z', isAi: true }); // bot: excluded
  await commit({ authorId: null, repositoryId: r2.id, at: '2026-03-06T12:00:00Z' }); // C8 unknown author: beta W1 via r2
  await commit({ authorId: carl!.id, at: '2026-03-08T23:30:00Z', isAi: true }); // C9 alpha W1 via r1 (Sunday UTC; Monday W2 in Tokyo), AI
  await commit({ authorId: ann!.id, at: '2026-03-10T09:00:00Z' }); // C10 alpha W2

  let number = 0;
  const pr = (p: { authorId: string; state: 'open' | 'closed' | 'merged'; mergedAt?: string; body?: string; repositoryId?: string }) =>
    db().pullRequest.create({
      data: {
        orgId, repositoryId: p.repositoryId ?? r1.id, number: ++number, title: `PR ${number}`, authorId: p.authorId, state: p.state, body: p.body ?? 'Adds the parser.',
        createdAt: T('2026-02-20T00:00:00Z'), mergedAt: p.mergedAt ? T(p.mergedAt) : null,
        aiEvidence: detectPullRequestSignals({ body: p.body ?? '' }) as unknown as Prisma.InputJsonValue,
      },
    });
  await pr({ authorId: ann!.id, state: 'merged', mergedAt: '2026-03-03T10:00:00Z', body: STRONG_BODY }); // P1 alpha W1, AI
  await pr({ authorId: ann!.id, state: 'merged', mergedAt: '2026-03-04T10:00:00Z', body: WEAK_BODY }); // P2 alpha W1, AI only counting weak evidence
  await pr({ authorId: bob!.id, state: 'merged', mergedAt: '2026-03-04T10:00:00Z' }); // P3 alpha W1 (before the move), human
  await pr({ authorId: bob!.id, state: 'merged', mergedAt: '2026-03-05T09:00:00Z', body: STRONG_BODY }); // P4 beta W1, AI
  await pr({ authorId: bot!.id, state: 'merged', mergedAt: '2026-03-05T09:00:00Z', body: STRONG_BODY }); // bot: excluded
  await pr({ authorId: ann!.id, state: 'open', body: STRONG_BODY }); // not merged: excluded
  await pr({ authorId: ann!.id, state: 'closed', body: STRONG_BODY }); // closed unmerged: excluded
  await pr({ authorId: carl!.id, state: 'merged', mergedAt: '2026-03-08T23:30:00Z', body: STRONG_BODY, repositoryId: r2.id }); // P8 beta W1 via r2 (W2 in Tokyo), AI
  await pr({ authorId: ann!.id, state: 'merged', mergedAt: '2026-03-10T10:00:00Z' }); // P9 alpha W2, human

  const usage = (u: Partial<Prisma.AiUsageDailyCreateManyInput> & { day: string; tool: Prisma.AiUsageDailyCreateManyInput['tool']; identityKey: string }) => ({
    orgId, ...u, day: T(`${u.day}T00:00:00Z`),
  });
  await db().aiUsageDaily.createMany({
    data: [
      // U1 alpha W1
      usage({ day: '2026-03-02', tool: 'claude_code', identityKey: 'ann@example.com', model: 'claude-sonnet-4-6', personId: ann!.id, tokensIn: 1000, tokensOut: 200, tokensCacheRead: 5000, tokensCacheWrite: 300, costUsd: '1.2345' }),
      usage({ day: '2026-03-03', tool: 'cursor', identityKey: 'ann@example.com', personId: ann!.id, linesSuggested: 50, linesAccepted: 30 }), // U2 alpha W1
      usage({ day: '2026-03-03', tool: 'copilot', identityKey: 'bob', personId: bob!.id, linesSuggested: 40, linesAccepted: 10 }), // U3 alpha W1
      // U4: noon UTC of Wednesday is the instant Bob joins beta: beta W1
      usage({ day: '2026-03-04', tool: 'copilot', identityKey: 'bob', personId: bob!.id, linesSuggested: 20, linesAccepted: 5 }),
      usage({ day: '2026-03-05', tool: 'claude_code', identityKey: 'ghost@example.com', tokensIn: 700, costUsd: '0.5' }), // U5 nobody: org-wide only
      usage({ day: '2026-03-05', tool: 'anthropic_api', identityKey: 'ci-key', personId: bot!.id, tokensIn: 10000, costUsd: '3' }), // U6 bot: org-wide only
      usage({ day: '2026-03-06', tool: 'cursor', identityKey: 'dee@example.com', personId: dee!.id }), // U7 an idle seat: beta W1, not an active user
      // U8: a usage day is a date: Sunday 2026-03-08 stays in W1 in every time zone
      usage({ day: '2026-03-08', tool: 'claude_code', identityKey: 'ann@example.com', model: 'claude-opus-4-1', personId: ann!.id, tokensOut: 100 }),
      usage({ day: '2026-03-09', tool: 'claude_code', identityKey: 'ann@example.com', model: 'claude-sonnet-4-6', personId: ann!.id, tokensIn: 50 }), // U9 alpha W2
    ],
  });
  // Copilot's org-level total: not part of these figures.
  await db().aiToolDailyTotal.create({ data: { orgId, day: T('2026-03-03T00:00:00Z'), tool: 'copilot', scope: 'org', activeUsers: 9, linesSuggested: 999, linesAccepted: 999 } });

  const { token } = await createIngestToken({ orgId, name: 'reader', scopes: ['metrics:read'] });
  return { org, alpha, beta, authorization: `Bearer ${token}` };
}

type Planted = Awaited<ReturnType<typeof plant>>;

async function compute(p: Planted, countWeakAiSignals = p.org.countWeakAiSignals) {
  const byScope = await computeWeeks({ db: db(), orgId: p.org.id, timeZone: p.org.timeZone, cycleTimeStart: 'in_progress', countWeakAiSignals, weeks: [W1, W2, W3] });
  return (scope: string, week: string) => byScope.get(scope)?.get(week);
}

describe('generation figures on a planted dataset', () => {
  test('the planted pull request evidence is what the tests assume', () => {
    expect(detectPullRequestSignals({ body: STRONG_BODY }).map((s) => s.strength)).toEqual(['strong']);
    expect(detectPullRequestSignals({ body: WEAK_BODY }).map((s) => s.strength)).toEqual(['weak']);
  });

  test('commits: landed non-merge commits on the default branch, bots excluded, a mover split by commit time', async () => {
    const p = await plant();
    const at = await compute(p);
    // alpha W1: C1, C2, C3 (Bob before his move), C9 (Carl via r1) = 4; AI: C1, C3, C9 = 3
    expect(at(p.alpha.id, W1)).toMatchObject({ commits: 4, aiCommits: 3 });
    // beta W1: C4 (Bob after his move), C8 (unknown author via r2) = 2; no AI
    expect(at(p.beta.id, W1)).toMatchObject({ commits: 2, aiCommits: 0 });
    // org W1: 4 + 2; the merge commit, the branch commit and the bot's are nowhere
    expect(at(ORG_SCOPE, W1)).toMatchObject({ commits: 6, aiCommits: 3 });
    expect(at(p.alpha.id, W2)).toMatchObject({ commits: 1, aiCommits: 0 }); // C10
    // Beta has nothing of its own in W2 (its row holds only W1's 4-week trailing medians).
    expect(at(p.beta.id, W2)).toMatchObject({ commits: 0, aiCommits: 0 });
  });

  test('commits follow the org time zone: Sunday 23:30 UTC is Monday of the next week in Tokyo', async () => {
    const p = await plant({ timeZone: 'Asia/Tokyo' });
    const at = await compute(p);
    // C9 moves to W2: alpha W1 C1, C2, C3 (AI C1, C3); alpha W2 C9, C10 (AI C9)
    expect(at(p.alpha.id, W1)).toMatchObject({ commits: 3, aiCommits: 2 });
    expect(at(p.alpha.id, W2)).toMatchObject({ commits: 2, aiCommits: 1 });
  });

  test('AI PRs merged: strong evidence always, weak evidence only when the org counts it; share of PRs merged', async () => {
    const p = await plant();
    const strongOnly = await compute(p, false);
    // alpha W1: P1, P2, P3 merged; AI P1 → 1/3
    expect(strongOnly(p.alpha.id, W1)).toMatchObject({ prsMerged: 3, aiPrsMerged: 1, aiPrShare: 1 / 3 });
    // beta W1: P4, P8, both AI → 1
    expect(strongOnly(p.beta.id, W1)).toMatchObject({ prsMerged: 2, aiPrsMerged: 2, aiPrShare: 1 });
    // org W1: 5 merged (the bot's excluded), 3 AI → 0.6
    expect(strongOnly(ORG_SCOPE, W1)).toMatchObject({ prsMerged: 5, aiPrsMerged: 3, aiPrShare: 0.6 });
    // alpha W2: P9 merged, human: 0 AI is a share of 0, not null
    expect(strongOnly(p.alpha.id, W2)).toMatchObject({ prsMerged: 1, aiPrsMerged: 0, aiPrShare: 0 });

    const withWeak = await compute(p, true);
    // P2's mention counts now: alpha W1 2/3, org W1 4/5
    expect(withWeak(p.alpha.id, W1)).toMatchObject({ prsMerged: 3, aiPrsMerged: 2, aiPrShare: 2 / 3 });
    expect(withWeak(ORG_SCOPE, W1)).toMatchObject({ prsMerged: 5, aiPrsMerged: 4, aiPrShare: 0.8 });
  });

  test('AI tool usage: per person by team at noon UTC of the day, unattributed and bot usage org-wide only', async () => {
    const p = await plant();
    const at = await compute(p);
    // alpha W1: U1, U2, U3, U8. Tokens in 1000, out 200 + 100, cache read 5000, write 300 → 6600;
    // cost 1.2345; lines suggested 50 + 40, accepted 30 + 10; users Ann, Bob
    expect(at(p.alpha.id, W1)).toMatchObject({
      tokens: 6600, tokensIn: 1000, tokensOut: 300, tokensCacheRead: 5000, tokensCacheWrite: 300,
      costUsd: 1.2345, aiLinesSuggested: 90, aiLinesAccepted: 40, activeAiUsers: 2,
    });
    // beta W1: U4 (Bob from noon Wednesday), U7 (Dee idle: a row, not a user)
    expect(at(p.beta.id, W1)).toMatchObject({ tokens: 0, costUsd: 0, aiLinesSuggested: 20, aiLinesAccepted: 5, activeAiUsers: 1 });
    // org W1: every W1 row: tokens in 1000 + 700 + 10000 = 11700 → total 11700 + 300 + 5000 + 300 = 17300;
    // cost 1.2345 + 0.5 + 3 = 4.7345; lines 90 + 20 suggested, 40 + 5 accepted (Copilot's org total
    // of 999 not added); users Ann, Bob once each (not the ghost key, not the bot, not idle Dee)
    expect(at(ORG_SCOPE, W1)).toMatchObject({
      tokens: 17300, tokensIn: 11700, tokensOut: 300, tokensCacheRead: 5000, tokensCacheWrite: 300,
      costUsd: 4.7345, aiLinesSuggested: 110, aiLinesAccepted: 45, activeAiUsers: 2,
    });
    expect(at(p.alpha.id, W2)).toMatchObject({ tokens: 50, tokensIn: 50, costUsd: 0, activeAiUsers: 1 }); // U9
  });

  test('a usage day keeps its calendar date in any org time zone', async () => {
    const p = await plant({ timeZone: 'America/Los_Angeles' });
    const at = await compute(p);
    // Same as in UTC: U8 (Sunday) in W1, U9 (Monday) in W2
    expect(at(p.alpha.id, W1)).toMatchObject({ tokens: 6600, tokensOut: 300, activeAiUsers: 2 });
    expect(at(p.alpha.id, W2)).toMatchObject({ tokens: 50 });
  });

  test('the API reports the figures, with an empty week as 0 and null', async () => {
    const p = await plant({ countWeakAiSignals: true });
    const res = await GET(new Request(`http://test/api/orgs/${p.org.slug}/metrics/weekly?team=alpha&from=${W1}&to=${W3}`, { headers: { authorization: p.authorization } }), {
      params: Promise.resolve({ org: p.org.slug }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.weeks).toMatchObject([
      { weekStart: W1, commits: 4, aiCommits: 3, prsMerged: 3, aiPrsMerged: 2, aiPrShare: 2 / 3, tokens: 6600, costUsd: 1.2345, aiLinesAccepted: 40, activeAiUsers: 2 },
      { weekStart: W2, commits: 1, aiPrsMerged: 0, aiPrShare: 0, tokens: 50 },
      {
        weekStart: W3, commits: 0, aiCommits: 0, prsMerged: 0, aiPrsMerged: 0, aiPrShare: null,
        tokens: 0, tokensIn: 0, tokensOut: 0, tokensCacheRead: 0, tokensCacheWrite: 0, costUsd: 0, aiLinesSuggested: 0, aiLinesAccepted: 0, activeAiUsers: 0,
      },
    ]);
  });
});
