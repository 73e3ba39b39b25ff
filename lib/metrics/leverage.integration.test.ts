import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';
import { ORG_SCOPE } from './compute-weeks.ts';
import { computeLeverage } from './leverage.ts';

// Planted over 8 UTC weeks, W1 = 2026-02-02 … W8 = 2026-03-23; "before" = W1–W4, "after" = W5–W8.
// Alpha (Ann, Bob, both active every week: 8 engineer-weeks per period):
//   AI lines 4 × 25 = 100 before, 4 × 150 = 600 after → generation growth 6
//   tokens 1,000 before, 3,000 + 1,000 = 4,000 after → token growth 4
//   tickets done 5 before (5 / 8 = 0.625 per engineer-week), 8 after (8 / 8 = 1) → throughput growth 1.6
//   leverage 1.6 / 6 ≈ 0.267; token leverage 1.6 / 4 = 0.4; tokens per ticket 200 → 500
// Beta (Carl, no tickets, so PRs): AI lines 10 → 20 (growth 2); PRs 2 in 2 engineer-weeks (1)
//   → 2 in 1 engineer-week (2): throughput growth 2, leverage 1; no tokens → token figures null.

const T = (iso: string) => new Date(iso);
const WEEKS = ['2026-02-02', '2026-02-09', '2026-02-16', '2026-02-23', '2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23'];
const day = (week: number, offset: number, time = '10:00:00') => {
  const d = new Date(`${WEEKS[week - 1]}T${time}Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d;
};

async function plant() {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Leverage', timeZone: 'UTC' } });
  const orgId = org.id;
  const [alpha, beta] = await Promise.all(['alpha', 'beta', 'gamma'].map((slug) => db().team.create({ data: { orgId, slug, name: slug } })));
  const [ann, bob, carl, bot] = await Promise.all(
    [['Ann', false], ['Bob', false], ['Carl', false], ['bot[bot]', true]].map(([displayName, isBot]) => db().person.create({ data: { orgId, displayName: displayName as string, isBot: isBot as boolean } })),
  );
  await db().teamMembership.createMany({
    data: [
      { orgId, teamId: alpha!.id, personId: ann!.id, validFrom: T('2026-01-01T00:00:00Z') },
      { orgId, teamId: alpha!.id, personId: bob!.id, validFrom: T('2026-01-01T00:00:00Z') },
      { orgId, teamId: beta!.id, personId: carl!.id, validFrom: T('2026-01-01T00:00:00Z') },
    ],
  });
  const repo = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r', defaultTeamId: alpha!.id } });
  let sha = 0;
  const commit = (authorId: string, at: Date, additions: number, ai: number) =>
    db().commit.create({ data: { orgId, repositoryId: repo.id, sha: String(++sha).padStart(40, '0'), authorId, message: 'm', authoredAt: at, committedAt: at, additions, aiAdditions: ai, parentCount: 1, onDefaultBranch: true } });
  let number = 0;
  const pr = (authorId: string, week: number) =>
    db().pullRequest.create({ data: { orgId, repositoryId: repo.id, number: ++number, title: `PR ${number}`, authorId, state: 'merged', createdAt: day(week, 0, '12:00:00'), mergedAt: day(week, 2) } });
  const ticketDone = async (week: number) => {
    const p = await pr(ann!.id, week);
    const t = await db().ticket.create({
      data: { orgId, source: 'jira', externalId: String(number), key: `T-${number}`, title: 't', statusCategory: 'done', createdAt: day(week, 0, '09:00:00'), doneAt: day(week, 3) },
    });
    await db().ticketPullRequestLink.create({ data: { orgId, ticketId: t.id, pullRequestId: p.id, foundBy: 'branch_name' } });
  };
  for (let w = 1; w <= 8; w++) {
    await commit(ann!.id, day(w, 0), 200, w <= 4 ? 25 : 150);
    await commit(bob!.id, day(w, 1), 10, 0);
  }
  for (const w of [1, 1, 2, 3, 4, 5, 5, 6, 6, 7, 7, 8, 8]) await ticketDone(w);
  const usage = (personId: string | null, identityKey: string, d: Date, tokensIn: number, tokensOut = 0) =>
    db().aiUsageDaily.create({ data: { orgId, day: d, tool: 'claude_code', identityKey, personId, tokensIn: BigInt(tokensIn), tokensOut: BigInt(tokensOut) } });
  await usage(ann!.id, 'ann@example.com', T('2026-02-03T00:00:00Z'), 1000);
  await usage(ann!.id, 'ann@example.com', T('2026-03-10T00:00:00Z'), 3000, 1000);
  // Beta: Carl active in W1 and W2 before, only W5 after.
  await commit(carl!.id, day(1, 0), 30, 10);
  await pr(carl!.id, 1);
  await pr(carl!.id, 2);
  await commit(carl!.id, day(5, 0), 30, 20);
  await pr(carl!.id, 5);
  await pr(carl!.id, 5);
  // A bot's AI lines count nowhere.
  await commit(bot!.id, day(6, 0), 5000, 5000);
  const { token } = await createIngestToken({ orgId, name: 'reader', scopes: ['metrics:read'] });
  return { org, alpha: alpha!, beta: beta!, authorization: `Bearer ${token}` };
}

const BEFORE = { from: T('2026-02-02T00:00:00Z'), to: T('2026-03-01T00:00:00Z') };
const AFTER = { from: T('2026-03-02T00:00:00Z'), to: T('2026-03-29T00:00:00Z') };

describe('leverage', () => {
  test('alpha: 6× the AI lines for 1.6× the tickets per engineer-week gives leverage 0.27', async () => {
    const { org, alpha } = await plant();
    const leverage = await computeLeverage({ org, scope: alpha.id, before: BEFORE, after: AFTER });
    expect(leverage).toMatchObject({
      before: { from: '2026-02-02', to: '2026-03-01', aiLinesAdded: 100, tokens: 1000, ticketsDone: 5, prsMerged: 5, engineerWeeks: 8, ticketsDonePerEngineerWeek: 0.625, tokensPerTicket: 200 },
      after: { from: '2026-03-02', to: '2026-03-29', aiLinesAdded: 600, tokens: 4000, ticketsDone: 8, prsMerged: 8, engineerWeeks: 8, ticketsDonePerEngineerWeek: 1, tokensPerTicket: 500 },
      throughputBasis: 'ticketsDone',
      generationGrowth: 6,
      tokenGrowth: 4,
    });
    expect(leverage.throughputGrowth).toBeCloseTo(1.6, 12);
    expect(leverage.leverage).toBeCloseTo(1.6 / 6, 12);
    expect(leverage.tokenLeverage).toBeCloseTo(0.4, 12);
  });

  test('beta has no tickets: throughput is PRs per engineer-week; no tokens gives nulls', async () => {
    const { org, beta } = await plant();
    const leverage = await computeLeverage({ org, scope: beta.id, before: BEFORE, after: AFTER });
    expect(leverage).toMatchObject({
      before: { aiLinesAdded: 10, prsMerged: 2, engineerWeeks: 2, prsMergedPerEngineerWeek: 1, ticketsDone: 0, tokensPerTicket: null },
      after: { aiLinesAdded: 20, prsMerged: 2, engineerWeeks: 1, prsMergedPerEngineerWeek: 2 },
      throughputBasis: 'prsMerged', generationGrowth: 2, throughputGrowth: 2, leverage: 1, tokenGrowth: null, tokenLeverage: null,
    });
  });

  test('a team with nothing: every ratio null', async () => {
    const { org } = await plant();
    const gamma = await db().team.findFirstOrThrow({ where: { orgId: org.id, slug: 'gamma' } });
    const leverage = await computeLeverage({ org, scope: gamma.id, before: BEFORE, after: AFTER });
    expect(leverage).toMatchObject({ generationGrowth: null, tokenGrowth: null, throughputGrowth: null, leverage: null, tokenLeverage: null, before: { engineerWeeks: 0, ticketsDonePerEngineerWeek: null } });
  });

  test('by default the last 4 complete weeks against the 4 before; org-wide sums every team', async () => {
    const { org } = await plant();
    // Tuesday of the week after W8: W8 is the last complete week.
    const leverage = await computeLeverage({ org, scope: ORG_SCOPE, now: T('2026-03-31T10:00:00Z') });
    // AI lines 100 + 10 → 600 + 20; tickets 5 → 8; engineer-weeks 8 + 2 → 8 + 1
    expect(leverage).toMatchObject({ before: { from: '2026-02-02', aiLinesAdded: 110, engineerWeeks: 10 }, after: { to: '2026-03-29', aiLinesAdded: 620, engineerWeeks: 9 }, throughputBasis: 'ticketsDone' });
    expect(leverage.generationGrowth).toBeCloseTo(620 / 110, 12);
    expect(leverage.throughputGrowth).toBeCloseTo(8 / 9 / (5 / 10), 12);
    expect(leverage.leverage).toBeCloseTo((8 / 9 / (5 / 10)) / (620 / 110), 12);
  });

  test('the weekly API answers the range\'s last 4 weeks against the 4 before, weeks unchanged', async () => {
    const { org, authorization } = await plant();
    const res = await GET(new Request(`http://test/api/orgs/${org.slug}/metrics/weekly?team=alpha&from=2026-03-02&to=2026-03-29`, { headers: { authorization } }), { params: Promise.resolve({ org: org.slug }) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.weeks).toHaveLength(4);
    expect(body.weeks[0]).toMatchObject({ weekStart: '2026-03-02', aiLinesAdded: 150, ticketsDone: 2, activeEngineers: 2 });
    expect(body.leverage).toMatchObject({ before: { from: '2026-02-02', ticketsDone: 5 }, after: { from: '2026-03-02', ticketsDone: 8 }, generationGrowth: 6, tokenGrowth: 4 });
    expect(body.leverage.leverage).toBeCloseTo(1.6 / 6, 12);
    expect(Array.isArray(body.flags)).toBe(true);
  });
});
