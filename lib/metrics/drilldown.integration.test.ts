import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/drilldown/route.ts';
import { kindOfMetric } from '../../components/drilldown/figure.ts';
import { GET as GET_WEEKLY } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { plantDataset } from '../../test/planted-metrics.ts';
import { createSession } from '../auth/sessions.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { randomSlug } from '../../test/factories.ts';
import type { Org } from '../orgs/get-org-by-slug.ts';
import { drilldownCsv, getDrilldown } from './drilldown.ts';
import { DRILLDOWN_METRICS, kindOf } from './drilldown-metrics.ts';
import { DRILLDOWN_METRIC_NAMES, type Drilldown, type DrilldownMetricName } from './drilldown-schemas.ts';
import { ciFirstRun } from './ci-first-run.ts';
import { doraDeployments } from './dora-deployments.ts';
import { doraLeadTime } from './dora-lead-time.ts';
import { doraRestore } from './dora-restore.ts';
import type { FamilyInput, MetricFamily } from './family.ts';
import { aiUsage } from './generation-ai-usage.ts';
import { commitsLanded } from './lines-added.ts';
import { prCycleTime } from './pr-cycle-time.ts';
import { mean, median, percentile, plantReviewData, T, type PrSpec, type TicketSpec } from './pr-cycle-time.planted.ts';
import { prsMerged } from './prs-merged.ts';
import { reverts } from './reverts.ts';
import { reviewTime } from './review-time.ts';
import { rework } from './rework.ts';
import { trailingMedians } from './trailing-medians.ts';
import { ticketToMerge } from './ticket-to-merge.ts';
import { activeEngineers, ticketsDone } from './throughput.ts';
import { weekRatios } from './throughput-ratios.ts';

// Drill-down is consistent with the weekly figures: on planted datasets (test/planted-metrics.ts,
// the review/cycle-time specs of pr-cycle-time.planted.ts, plus AI usage rows, CI runs, rework
// commits, reverts, deployments and incidents), for every metric, scope and week, the figure
// recomputed in plain TypeScript from the drill-down's rows (count, sum, interpolated percentile,
// mean, share, distinct, rows per distinct value) equals what the families compute.

const WEEKS = ['2026-03-02', '2026-03-09', '2026-03-16'];
const [W1, W2] = WEEKS as [string, string];
const FAMILIES: MetricFamily[] = [
  prsMerged, commitsLanded, ticketToMerge, prCycleTime, reviewTime, aiUsage, ticketsDone, activeEngineers, ciFirstRun, rework, reverts, doraDeployments, doraLeadTime, doraRestore, trailingMedians,
];

/** The weekly figures of every scope (team id, or 'org'), as the families compute them. */
async function weeklyFigures(org: Org) {
  const input: FamilyInput = { db: db(), orgId: org.id, timeZone: org.timeZone, cycleTimeStart: org.cycleTimeStart, countWeakAiSignals: org.countWeakAiSignals, weeks: WEEKS };
  const byKey = new Map<string, Record<string, number | null>>();
  for (const family of FAMILIES) {
    for (const { teamId, week, figures } of await family.compute(input)) {
      const key = `${teamId ?? 'org'}/${week}`;
      byKey.set(key, { ...(byKey.get(key) ?? {}), ...(figures as Record<string, number | null>) });
    }
  }
  const empty = Object.assign({}, ...FAMILIES.map((f) => f.empty)) as Record<string, number | null>;
  return (scope: string, week: string): Record<string, number | null> => {
    const f = { ...empty, ...(byKey.get(`${scope}/${week}`) ?? {}) };
    return { ...f, ...weekRatios(f as Parameters<typeof weekRatios>[0]) };
  };
}

/** Reference: the figure made from the drill-down's rows, in plain TypeScript. */
function figureFromRows(d: Drilldown): number | null {
  const rows = d.rows as unknown as Record<string, unknown>[];
  const values = d.value === null ? [] : rows.map((r) => r[d.value!]);
  const numbers = values.filter((v): v is number => typeof v === 'number');
  switch (d.aggregate) {
    case 'count': return rows.length;
    case 'sum': return numbers.reduce((a, b) => a + b, 0);
    case 'p50': return median(numbers);
    case 'p85': return percentile(numbers, 0.85);
    case 'mean': return mean(numbers);
    case 'share': return rows.length ? values.filter((v) => v === true).length / rows.length : null;
    case 'distinct': return new Set(values).size;
    case 'perDistinct': return rows.length ? rows.length / new Set(values).size : null;
  }
}

/**
 * Every metric × scope × week: the rows give the figure. Returns the metrics that had rows
 * somewhere, so a test can require that none was checked only on empty weeks.
 */
async function expectConsistent(org: Org, teams: Record<string, string>) {
  const figures = await weeklyFigures(org);
  const withRows = new Set<string>();
  const scopes: [string | undefined, string][] = [[undefined, 'org'], ...Object.entries(teams).map(([slug, id]) => [slug, id] as [string, string])];
  for (const metric of DRILLDOWN_METRIC_NAMES) {
    for (const [team, scope] of scopes) {
      for (const week of WEEKS) {
        const d = await getDrilldown({ org, query: { metric, week, team } });
        const want = figures(scope, week)[metric];
        const got = figureFromRows(d);
        const where = `${metric} ${team ?? 'org'} ${week}`;
        if (want === null || want === undefined) expect(got, where).toBeNull();
        else expect(got, where).toBeCloseTo(want, 6);
        expect(d.truncated).toBe(false);
        if (d.rows.length > 0) withRows.add(metric);
        // Every row is of the scope asked for.
        if (team) for (const r of d.rows) expect(r.team, where).toBe(team);
      }
    }
  }
  return withRows;
}

async function teamsOf(orgId: string) {
  return Object.fromEntries((await db().team.findMany({ where: { orgId } })).map((t) => [t.slug, t.id]));
}

/** AI usage rows for the org's people (by display name): every figure, a team move at noon, a bot, nobody, an idle seat. */
async function plantUsage(orgId: string, people: { user: string; mover: string; bot: string }) {
  const ids = Object.fromEntries((await db().person.findMany({ where: { orgId } })).map((p) => [p.displayName, p.id]));
  const day = (d: string) => T(`${d}T00:00:00Z`);
  const rows: Prisma.AiUsageDailyCreateManyInput[] = [
    { orgId, day: day('2026-03-02'), tool: 'claude_code', identityKey: 'u@example.com', model: 'claude-sonnet-4-6', personId: ids[people.user], tokensIn: 1000, tokensOut: 200, tokensCacheRead: 5000, tokensCacheWrite: 300, costUsd: '1.2345' },
    { orgId, day: day('2026-03-03'), tool: 'cursor', identityKey: 'u@example.com', personId: ids[people.user], linesSuggested: 50, linesAccepted: 30 },
    { orgId, day: day('2026-03-03'), tool: 'copilot', identityKey: 'mover', personId: ids[people.mover], linesSuggested: 40, linesAccepted: 10 },
    { orgId, day: day('2026-03-04'), tool: 'copilot', identityKey: 'mover', personId: ids[people.mover], linesSuggested: 20, linesAccepted: 5 },
    { orgId, day: day('2026-03-05'), tool: 'claude_code', identityKey: 'ghost@example.com', tokensIn: 700, costUsd: '0.5' },
    { orgId, day: day('2026-03-05'), tool: 'anthropic_api', identityKey: 'ci-key', personId: ids[people.bot], tokensIn: 10000, costUsd: '3' },
    { orgId, day: day('2026-03-06'), tool: 'cursor', identityKey: 'mover-seat', personId: ids[people.mover] },
    { orgId, day: day('2026-03-08'), tool: 'claude_code', identityKey: 'u@example.com', model: 'claude-opus-4-1', personId: ids[people.user], tokensOut: 100, costUsd: '0.25' },
    { orgId, day: day('2026-03-09'), tool: 'claude_code', identityKey: 'mover', model: 'claude-sonnet-4-6', personId: ids[people.mover], tokensIn: 50, tokensCacheWrite: 7 },
  ];
  await db().aiUsageDaily.createMany({ data: rows });
}

/** test/planted-metrics.ts, plus what it lacks for drill-down: AI marks and evidence on commits, done times, AI usage. */
async function plantMetrics(options: Parameters<typeof plantDataset>[0] = {}) {
  const org = await plantDataset(options);
  const evidence = [{ kind: 'co_author', tool: 'Claude Code', aiTool: 'claude_code', strength: 'strong', evidence: 'Co-authored-by: Claude <noreply@anthropic.com>' }];
  await db().commit.updateMany({ where: { orgId: org.id, aiAdditions: { gt: 0 } }, data: { isAi: true, aiEvidence: evidence } });
  // P1 (alpha W1) carries its commit's signal; P8 (alpha W2) only a weak mention.
  await db().pullRequest.updateMany({ where: { orgId: org.id, number: 1 }, data: { aiEvidence: [{ ...evidence[0], commitSha: '1'.padStart(40, '0') }] } });
  await db().pullRequest.updateMany({ where: { orgId: org.id, number: 8 }, data: { aiEvidence: [{ kind: 'mention', tool: 'Claude Code', aiTool: 'claude_code', strength: 'weak', evidence: 'claude helped' }] } });
  // Done a day after their last merge (T1 … T10), one reopened (T2: no done time), one done in W2.
  for (const [key, doneAt] of Object.entries({ 'T-1': '2026-03-04T10:00:00Z', 'T-3': '2026-03-11T15:00:00Z', 'T-4': '2026-03-05T00:00:00Z', 'T-6': '2026-03-06T09:00:00Z', 'T-7': '2026-03-06T09:00:00Z', 'T-9': '2026-03-08T23:30:00Z', 'T-10': '2026-03-09T01:00:00Z' })) {
    await db().ticket.updateMany({ where: { orgId: org.id, key }, data: { doneAt: T(doneAt) } });
  }
  await plantUsage(org.id, { user: 'Ann', mover: 'Bob', bot: 'bot[bot]' });
  return org;
}

/**
 * The outcome figures' rows, over whatever pull requests the org has (so both datasets get them):
 * - CI: each PR's head X (its commit an hour before the merge) has first runs, by PR index: two
 *   passes; a failure passed on re-run and a pass; only a cancelled run (not counted); a skip and a
 *   time-out. Every other PR gets a later head Y (found by the PR's headSha, not named by its runs),
 *   a merge commit every fourth. Runs of even PRs name their PR; X of odd ones is found by
 *   PullRequestCommit. Every third PR gets a bot's commit after X (not rework).
 * - Reverts: the first merged PR by `git revert` of its merge commit 2 days on, the second by a
 *   revert of its commit X a day on, the third by a `Revert "<title>"` PR 3 days on, the fourth 20
 *   days on (too late).
 * - DORA: r1 deploys to production (unknown shas) on 03-04 and 03-06 and 03-10, to staging and
 *   fails once; a repository without deployments publishes a release; incidents follow the first
 *   and the last deployment (one comes before any deployment: no team), all but one done.
 */
async function plantOutcomes(orgId: string) {
  const prs = await db().pullRequest.findMany({ where: { orgId }, orderBy: { number: 'asc' }, include: { author: true } });
  const r1 = await db().repository.findFirstOrThrow({ where: { orgId, name: 'r1' } });
  const beta = await db().team.findFirstOrThrow({ where: { orgId, slug: 'beta' } });
  const bot = await db().person.findFirstOrThrow({ where: { orgId, isBot: true } });
  const hex = (tag: string, n: number) => `${tag}${n.toString(16)}`.padEnd(40, '0');
  const hoursAfter = (d: Date, h: number) => new Date(d.getTime() + h * 3_600_000);
  let runs = 0;
  const ci = (pr: (typeof prs)[number], headSha: string, startedAt: Date, named: boolean, results: [workflow: string, attempt: number, conclusion: 'success' | 'failure' | 'cancelled' | 'skipped' | 'timed_out'][]) =>
    db().ciRun.createMany({
      data: results.map(([workflow, runAttempt, conclusion]) => ({
        orgId, repositoryId: pr.repositoryId, provider: 'github_actions', externalId: `run-${++runs}`, runAttempt, workflow, headSha,
        pullRequestId: named ? pr.id : null, status: 'completed', conclusion, startedAt: hoursAfter(startedAt, runAttempt - 1), url: `https://ci.example/${runs}`,
      })),
    });
  const commit = async (pr: (typeof prs)[number], sha: string, at: Date, extra: { authorId?: string | null; parentCount?: number } = {}) => {
    const c = await db().commit.create({
      data: { orgId, repositoryId: pr.repositoryId, sha, authorId: extra.authorId === undefined ? pr.authorId : extra.authorId, message: 'fix', authoredAt: at, committedAt: at, parentCount: extra.parentCount ?? 1 },
    });
    await db().pullRequestCommit.create({ data: { orgId, pullRequestId: pr.id, commitId: c.id } });
  };
  for (const [i, pr] of prs.entries()) {
    const anchor = pr.mergedAt ?? hoursAfter(T('2026-03-04T12:00:00Z'), i);
    const x = hex('a', i);
    await commit(pr, x, hoursAfter(anchor, -1));
    const results = ([
      [['build', 1, 'success'], ['lint', 1, 'success']],
      [['build', 1, 'failure'], ['build', 2, 'success'], ['lint', 1, 'success']],
      [['build', 1, 'cancelled']],
      [['build', 1, 'skipped'], ['lint', 1, 'timed_out']],
    ] as const)[i % 4]!;
    await ci(pr, x, hoursAfter(anchor, -0.9), i % 2 === 0, results.map((r) => [...r]));
    if (i % 2 === 1) {
      const y = hex('b', i);
      await commit(pr, y, hoursAfter(anchor, -0.5), { parentCount: i % 4 === 1 ? 2 : 1 });
      await db().pullRequest.update({ where: { orgId_id: { orgId, id: pr.id } }, data: { headSha: y } });
      await ci(pr, y, hoursAfter(anchor, -0.4), false, [['build', 1, i % 3 === 0 ? 'failure' : 'success']]);
    }
    if (i % 3 === 2) await commit(pr, hex('e', i), hoursAfter(anchor, -0.2), { authorId: bot.id });
  }

  const merged = prs.filter((p) => p.mergedAt && !p.author?.isBot);
  const revertCommit = (pr: (typeof prs)[number], reverted: string, days: number) =>
    db().commit.create({
      data: {
        orgId, repositoryId: pr.repositoryId, sha: hex('f', prs.indexOf(pr)), message: `Revert "${pr.title}"\n\nThis reverts commit ${reverted}.\n`,
        authoredAt: hoursAfter(pr.mergedAt!, days * 24), committedAt: hoursAfter(pr.mergedAt!, days * 24), onDefaultBranch: true,
      },
    });
  const [first, second, third, fourth] = merged as [(typeof prs)[number], (typeof prs)[number], (typeof prs)[number], (typeof prs)[number]];
  await db().pullRequest.update({ where: { orgId_id: { orgId, id: first.id } }, data: { mergeCommitSha: hex('c', 0) } });
  await revertCommit(first, hex('c', 0), 2);
  await revertCommit(second, hex('a', prs.indexOf(second)), 1);
  await db().pullRequest.create({
    data: {
      orgId, repositoryId: third.repositoryId, number: 900, title: `Revert "${third.title}"`, authorId: third.authorId, state: 'merged',
      createdAt: hoursAfter(third.mergedAt!, 70), mergedAt: hoursAfter(third.mergedAt!, 72),
    },
  });
  await revertCommit(fourth, hex('a', prs.indexOf(fourth)), 20);

  const releases = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'releases', defaultTeamId: beta.id } });
  const dep = (repositoryId: string, externalId: string, environment: string, status: string, at: string, sha: string) => ({ orgId, repositoryId, externalId, environment, status, createdAt: T(at), sha });
  await db().deployment.createMany({
    data: [
      dep(r1.id, 'd1', 'production', 'success', '2026-03-04T00:00:00Z', hex('d', 1)),
      dep(r1.id, 'd2', 'staging', 'success', '2026-03-05T00:00:00Z', hex('d', 2)),
      dep(r1.id, 'd3', 'production', 'failure', '2026-03-05T06:00:00Z', hex('d', 3)),
      dep(r1.id, 'd4', 'Production', 'success', '2026-03-06T12:00:00Z', hex('d', 4)),
      dep(r1.id, 'd5', 'prod', 'success', '2026-03-10T12:00:00Z', hex('d', 5)),
      dep(releases.id, 'release:1', 'release', 'success', '2026-03-11T12:00:00Z', ''),
    ],
  });
  const incident = (n: number, createdAt: string, doneAt: string | null) => ({
    orgId, source: 'jira' as const, externalId: `inc-${n}`, key: `INC-${n}`, title: `Outage ${n}`, type: n === 2 ? 'Incident' : 'incident',
    statusCategory: doneAt ? ('done' as const) : ('in_progress' as const), createdAt: T(createdAt), doneAt: doneAt ? T(doneAt) : null,
  });
  await db().ticket.createMany({
    data: [
      incident(0, '2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z'), // before any deployment: no team
      incident(1, '2026-03-04T06:00:00Z', '2026-03-05T18:00:00Z'), // d1 failed; 36 h
      incident(2, '2026-03-04T08:00:00Z', '2026-03-06T08:00:00Z'), // d1; 48 h
      incident(3, '2026-03-05T00:00:00Z', '2026-03-05T02:00:00Z'), // d1; 2 h: p50 36 h, not the mean
      incident(4, '2026-03-10T13:00:00Z', '2026-03-12T06:00:00Z'), // d5 failed (d4 did not); done in W2
      incident(5, '2026-03-10T14:00:00Z', null), // d5, not done
    ],
  });
}

// Review, cycle-time and ticket specs (pr-cycle-time.planted.ts): Ann alpha, Bob and Ray beta,
// Rita alpha until Wednesday 2026-03-04 12:00 UTC then beta; repository default team alpha.
const PRS: Record<string, PrSpec> = {
  P1: { author: 'ann', createdAt: '2026-03-02T09:00:00Z', firstCommitAt: '2026-03-01T09:00:00Z', mergedAt: '2026-03-03T09:00:00Z', additions: 100, deletions: 20,
    reviews: [{ by: 'rita', at: '2026-03-02T11:00:00Z', state: 'commented' }, { by: 'rita', at: '2026-03-02T15:00:00Z', state: 'approved' }, { by: 'ray', at: '2026-03-02T16:00:00Z', state: 'commented' }] },
  P2: { author: 'ann', ai: 'strong', createdAt: '2026-03-02T10:00:00Z', readyAt: '2026-03-03T10:00:00Z', firstCommitAt: '2026-03-02T08:00:00Z', mergedAt: '2026-03-04T10:00:00Z', additions: 300,
    reviews: [{ by: 'reviewBot', at: '2026-03-03T10:30:00Z', state: 'commented' }, { by: 'ann', at: '2026-03-03T11:00:00Z', state: 'commented' }, { by: 'ray', at: '2026-03-03T14:00:00Z', state: 'approved' }] },
  P3: { author: 'bob', ai: 'strong', createdAt: '2026-03-03T00:00:00Z', mergedAt: '2026-03-03T06:00:00Z', additions: 10, deletions: 5, reviews: [{ by: 'rita', at: '2026-03-05T13:00:00Z', state: 'commented' }] },
  P4: { author: 'bob', ai: 'weak', createdAt: '2026-03-04T00:00:00Z', firstCommitAt: '2026-03-03T20:00:00Z', mergedAt: '2026-03-05T12:00:00Z',
    reviews: [{ by: 'rita', at: '2026-03-04T08:00:00Z', state: 'commented' }, { by: 'ray', at: '2026-03-05T00:00:00Z', state: 'approved' }] },
  P5: { author: 'bot', createdAt: '2026-03-05T00:00:00Z', mergedAt: '2026-03-05T11:00:00Z', additions: 5, reviews: [{ by: 'rita', at: '2026-03-05T10:00:00Z', state: 'approved' }] },
  P6: { author: 'ann', createdAt: '2026-03-05T00:00:00Z', readyAt: '2026-03-05T06:00:00Z', mergedAt: '2026-03-05T10:00:00Z', additions: 40, deletions: 40,
    reviews: [{ by: 'rita', at: '2026-03-05T02:00:00Z', state: 'commented' }, { by: 'ray', at: '2026-03-05T08:00:00Z', state: 'approved' }] },
  P7: { author: 'rita', createdAt: '2026-03-04T00:00:00Z', firstCommitAt: '2026-03-03T00:00:00Z', mergedAt: '2026-03-04T13:00:00Z', additions: 5, reviews: [{ by: 'ann', at: '2026-03-04T09:00:00Z', state: 'approved' }] },
  P8: { author: 'ann', inferred: true, createdAt: '2026-03-06T03:00:00Z', firstCommitAt: '2026-03-06T01:00:00Z', mergedAt: '2026-03-06T04:00:00Z', additions: 12 },
  P9: { author: 'ann', createdAt: '2026-03-09T08:00:00Z', mergedAt: '2026-03-09T12:00:00Z', additions: 50, deletions: 50, reviews: [{ by: 'ray', at: '2026-03-09T09:00:00Z', state: 'commented' }] },
  P10: { author: 'bob', ai: 'strong', createdAt: '2026-03-08T14:00:00Z', firstCommitAt: '2026-03-08T10:00:00Z', mergedAt: '2026-03-08T18:00:00Z', additions: 20, reviews: [{ by: 'rita', at: '2026-03-08T16:00:00Z', state: 'approved' }] },
  P11: { author: 'ann', createdAt: '2026-03-04T00:00:00Z' },
  P13: { author: 'ray', createdAt: '2026-03-05T00:00:00Z', mergedAt: '2026-03-05T05:00:00Z', additions: 3 },
  P12: { author: 'ray', ai: 'weak', createdAt: '2026-03-10T00:00:00Z', firstCommitAt: '2026-03-09T12:00:00Z', mergedAt: '2026-03-11T00:00:00Z', additions: 7, reviews: [{ by: 'bob', at: '2026-03-10T06:00:00Z', state: 'approved' }] },
};
const TICKETS: TicketSpec[] = [
  { createdAt: '2026-02-28T00:00:00Z', startedAt: '2026-03-01T00:00:00Z', prs: ['P1'] },
  { createdAt: '2026-03-01T00:00:00Z', prs: ['P2', 'P3'] },
  { createdAt: '2026-03-01T00:00:00Z', startedAt: '2026-03-02T00:00:00Z', prs: ['P4', 'P11'] }, // a linked PR still open
  { createdAt: '2026-03-02T00:00:00Z', startedAt: '2026-03-03T00:00:00Z', prs: ['P7'] },
  { createdAt: '2026-03-01T00:00:00Z', prs: ['P5'] }, // bot PR
  { createdAt: '2026-03-05T00:00:00Z', startedAt: '2026-03-09T00:00:00Z', prs: ['P9', 'P12'] },
  { createdAt: '2026-03-06T00:00:00Z', startedAt: '2026-03-07T00:00:00Z', prs: ['P10'] },
  { createdAt: '2026-03-10T00:00:00Z', prs: ['P6'] }, // starts after its merge
];

async function plantReviews(options: { timeZone?: string; countWeakAiSignals?: boolean } = {}) {
  const { org, teams } = await plantReviewData({ prs: PRS, tickets: TICKETS, ...options });
  for (const [key, doneAt] of Object.entries({ 'T-1': '2026-03-04T00:00:00Z', 'T-2': '2026-03-05T00:00:00Z', 'T-3': '2026-03-06T00:00:00Z', 'T-4': '2026-03-05T00:00:00Z', 'T-5': '2026-03-06T00:00:00Z', 'T-6': '2026-03-12T00:00:00Z', 'T-7': '2026-03-08T20:00:00Z' })) {
    await db().ticket.updateMany({ where: { orgId: org.id, key }, data: { doneAt: T(doneAt) } });
  }
  await plantUsage(org.id, { user: 'ann', mover: 'rita', bot: 'bot' });
  return { org, teams: { alpha: teams.alpha, beta: teams.beta } };
}

describe('drill-down rows are the rows behind each weekly figure', () => {
  test('test/planted-metrics.ts (UTC, start in progress): every metric, scope and week', async () => {
    const org = await plantMetrics();
    await plantOutcomes(org.id);
    const withRows = await expectConsistent(org, await teamsOf(org.id));
    // Phases, reviews (so rework too) and sizes are unknown there; everything else had rows somewhere.
    expect([...withRows].sort()).toEqual(expect.arrayContaining([
      'prsMerged', 'aiPrsMerged', 'prCycleP50Hours', 'ticketsMerged', 'ticketToMergeP85Hours', 'ticketsDone', 'commits', 'aiCommits', 'linesAdded', 'aiLinesAdded',
      'tokens', 'costUsd', 'activeAiUsers', 'prsMergedWithoutReview', 'activeEngineers', 'firstRunHeadsAi', 'firstRunPassedHuman', 'firstRunPassRate',
      'revertedPrsAi', 'revertedPrsHuman', 'revertRate', 'deployments', 'changeFailureRate', 'leadTimeP50Hours', 'timeToRestoreP50Hours',
    ]));
  });

  test('test/planted-metrics.ts in Asia/Tokyo, counting from ticket creation', async () => {
    const org = await plantMetrics({ timeZone: 'Asia/Tokyo', cycleTimeStart: 'created' });
    await plantOutcomes(org.id);
    await expectConsistent(org, await teamsOf(org.id));
  });

  test('review and cycle-time specs: every metric but the commit ones (no landed commits with lines planted) has rows somewhere, every figure matches', async () => {
    const { org, teams } = await plantReviews();
    await plantOutcomes(org.id);
    const withRows = await expectConsistent(org, teams);
    expect(DRILLDOWN_METRIC_NAMES.filter((m) => !withRows.has(m) && kindOf(m) !== 'commits')).toEqual([]);
  });

  test('review and cycle-time specs, weak evidence counted, in Asia/Tokyo', async () => {
    const { org, teams } = await plantReviews({ timeZone: 'Asia/Tokyo', countWeakAiSignals: true });
    await plantOutcomes(org.id);
    await expectConsistent(org, teams);
  });
});

describe('drill-down rows, by hand', () => {
  test('team alpha W1 PRs: P1 and P2 with their evidence; the bot, the open and the mover-after-move PRs are not there', async () => {
    const org = await plantMetrics();
    const d = await getDrilldown({ org, query: { metric: 'prsMerged', team: 'alpha', week: W1 } });
    expect(d).toMatchObject({ kind: 'pull_requests', aggregate: 'count', value: null, sort: 'mergedAt', order: 'asc', truncated: false });
    expect(d.rows).toMatchObject([
      { number: 1, repository: 'o/r1', author: 'Ann', team: 'alpha', mergedAt: '2026-03-03T10:00:00.000Z', isAi: true,
        aiEvidence: [{ kind: 'co_author', tool: 'Claude Code', strength: 'strong', evidence: 'Co-authored-by: Claude <noreply@anthropic.com>', commitSha: '1'.padStart(40, '0') }] },
      { number: 2, author: 'Bob', team: 'alpha', isAi: false, aiEvidence: [] },
    ]);
    // P8's weak mention makes it AI only where the org counts weak evidence.
    expect((await getDrilldown({ org, query: { metric: 'aiPrsMerged', team: 'alpha', week: W2 } })).rows).toEqual([]);
    await db().organization.update({ where: { id: org.id }, data: { countWeakAiSignals: true } });
    const weak = await db().organization.findUniqueOrThrow({ where: { id: org.id } });
    expect((await getDrilldown({ org: weak, query: { metric: 'aiPrsMerged', team: 'alpha', week: W2 } })).rows).toMatchObject([{ number: 8, isAi: true }]);
  });

  test('tickets: alpha W1 cycle times 4, 6, 24, 168 hours, largest first, with their last PR', async () => {
    const org = await plantMetrics();
    const d = await getDrilldown({ org, query: { metric: 'ticketToMergeP50Hours', team: 'alpha', week: W1 } });
    expect(d).toMatchObject({ kind: 'tickets', aggregate: 'p50', value: 'cycleHours', sort: 'cycleHours', order: 'desc' });
    // T2 168 h (never started: from creation), T1 24 h, T10 6 h, T9 4 h; median 15 as the weekly figure
    expect(d.rows.map((r) => [(r as { key: string }).key, (r as { cycleHours: number }).cycleHours])).toEqual([['T-2', 168], ['T-1', 24], ['T-10', 6], ['T-9', 4]]);
    expect(d.rows[0]).toMatchObject({ lastPrRepository: 'o/r1', lastPrNumber: 2, lastPrMergedAt: '2026-03-04T10:00:00.000Z', source: 'jira', start: '2026-02-25T10:00:00.000Z' });
  });

  test('commits: sort by any field, evidence and first message line; ai lines only from commits adding some', async () => {
    const org = await plantMetrics();
    const d = await getDrilldown({ org, query: { metric: 'linesAdded', week: W1, sort: 'additions', order: 'asc' } });
    // Org W1: 20 (unknown author, r2), 40, 50, 100 — merge, off-branch and bot commits left out
    expect(d.rows.map((r) => (r as { additions: number }).additions)).toEqual([20, 40, 50, 100]);
    const ai = await getDrilldown({ org, query: { metric: 'aiLinesAdded', week: W1 } });
    expect(ai.rows).toMatchObject([
      { aiAdditions: 60, additions: 100, isAi: true, author: 'Ann', team: 'alpha', message: 'm', aiEvidence: [{ kind: 'co_author', commitSha: null }] },
      { aiAdditions: 40, additions: 40, isAi: true, author: 'Bob', team: 'beta' },
    ]);
  });

  test('AI usage: per person/day/tool/model, bots and unresolved users org-wide only', async () => {
    const org = await plantMetrics();
    const org1 = await getDrilldown({ org, query: { metric: 'tokensIn', week: W1 } });
    expect(org1.rows.map((r) => (r as { tokensIn: number }).tokensIn)).toEqual([10000, 1000, 700]);
    expect(org1.rows[0]).toMatchObject({ person: 'bot[bot]', personId: null, team: null, tool: 'anthropic_api' });
    const alpha = await getDrilldown({ org, query: { metric: 'activeAiUsers', team: 'alpha', week: W1 } });
    // Ann's three days; Bob's Tuesday (before his move) — two people
    expect(alpha.rows.map((r) => [(r as { person: string }).person, (r as { day: string }).day]).sort()).toEqual([['Ann', '2026-03-02'], ['Ann', '2026-03-03'], ['Ann', '2026-03-08'], ['Bob', '2026-03-03']]);
  });

  test("PRs: the first CI attempt's verdict on the final head; commits: a link from the repository's", async () => {
    const org = await plantMetrics();
    const prs = await db().pullRequest.findMany({ where: { orgId: org.id, number: { in: [1, 2, 3] } } });
    const pr = (n: number) => prs.find((p) => p.number === n)!;
    const run = (n: number, i: number, runAttempt: number, conclusion: 'success' | 'failure' | 'cancelled' | 'skipped') => ({
      orgId: org.id, repositoryId: pr(n).repositoryId, provider: 'github_actions', externalId: `${n}-${i}`, runAttempt, workflow: `w${i}`,
      headSha: `head${n}`, status: 'completed', conclusion, startedAt: T('2026-03-02T12:00:00Z'),
    });
    for (const n of [1, 2, 3]) await db().pullRequest.updateMany({ where: { orgId: org.id, number: n }, data: { headSha: `head${n}` } });
    await db().ciRun.createMany({
      data: [
        run(1, 1, 1, 'success'), run(1, 2, 1, 'failure'), run(1, 2, 2, 'success'), // one workflow failed first: not passed, though the retry passed
        run(2, 1, 1, 'success'), run(2, 2, 1, 'skipped'), run(2, 3, 1, 'cancelled'), // cancelled says nothing: passed
        run(3, 1, 1, 'cancelled'), // no judging first run: unknown
      ],
    });
    const alpha = await getDrilldown({ org, query: { metric: 'prsMerged', team: 'alpha', week: W1 } });
    expect(alpha.rows.map((r) => [(r as { number: number }).number, (r as { firstRunPassed: boolean | null }).firstRunPassed])).toEqual([[1, false], [2, true]]);
    const beta = await getDrilldown({ org, query: { metric: 'prsMerged', team: 'beta', week: W1 } });
    expect(beta.rows.map((r) => (r as { firstRunPassed: boolean | null }).firstRunPassed)).toEqual([null, null]);

    await db().repository.updateMany({ where: { orgId: org.id, name: 'r1' }, data: { url: 'https://github.com/o/r1/' } });
    const commits = await getDrilldown({ org, query: { metric: 'commits', team: 'alpha', week: W1, sort: 'additions' } });
    for (const c of commits.rows as { sha: string; repository: string; url: string | null }[]) {
      expect(c.url).toBe(c.repository === 'o/r1' ? `https://github.com/o/r1/commit/${c.sha}` : null);
    }
    expect(commits.rows.some((c) => (c as { url: string | null }).url !== null)).toBe(true);
  });

  test('outcomes: head commits with their failed workflows, engineers per team, reverts with what reverted them, deployments and incidents', async () => {
    const org = await plantMetrics();
    await plantOutcomes(org.id);
    const rowsOf = async (metric: DrilldownMetricName, team: string | undefined, sort?: string) =>
      (await getDrilldown({ org, query: { metric, week: W1, team, sort, order: sort ? 'asc' : undefined } })).rows as unknown as Record<string, unknown>[];
    // Alpha W1: P1's head passed; P2's and P6's first heads failed "build" on the first attempt
    // (passed on re-run: still failed), their later heads (found by the PRs' headSha) passed. P7's
    // only run was cancelled: not a head.
    const heads = await rowsOf('firstRunPassRate', 'alpha', 'firstRunAt');
    expect(heads.map((h) => [h.number, h.passed, h.failedWorkflows, h.isAi])).toEqual([
      [1, true, [], true], [2, false, ['build'], false], [2, true, [], false], [6, false, ['build'], false], [6, true, [], false],
    ]);
    expect(heads[1]).toMatchObject({ repository: 'o/r1', sha: `a1${'0'.repeat(38)}`, author: 'Bob', runUrl: expect.stringMatching(/^https:\/\/ci\.example\//) });
    // Bob moved from alpha to beta on Wednesday noon: a row for each team, one person org-wide.
    const engineers = await rowsOf('activeEngineers', undefined, 'person');
    expect(engineers.map((e) => [e.person, e.team])).toEqual([['Ann', 'alpha'], ['Bob', 'alpha'], ['Bob', 'beta'], ['Carl', 'beta']]);
    expect(engineers[1]).toMatchObject({ commits: 2, prsOpened: 0, prsMerged: 1, reviews: 0 });
    // P1 by `git revert` of its merge commit, P2 by a revert of one of its commits, P3 by a revert PR; P5's came too late.
    const reverted = await rowsOf('revertedPrs', undefined, 'number');
    expect(reverted.map((r) => [r.number, r.revertedBy])).toEqual([[1, `f0${'0'.repeat(38)}`], [2, `f1${'0'.repeat(38)}`], [3, '#900']]);
    expect(reverted[0]).toMatchObject({ reverted: true, revertedAt: '2026-03-05T10:00:00.000Z' });
    // Production deployments of r1 in W1: d1, followed by three incidents, and d4 (the staging and failed ones are not there).
    expect((await rowsOf('changeFailureRate', 'alpha', 'deployedAt')).map((d) => [d.environment, d.failed, d.incidents])).toEqual([
      ['production', true, ['INC-1', 'INC-2', 'INC-3']], ['Production', false, []],
    ]);
    // Restored in W1: 48, 36 and 2 hours for alpha (p50 36); INC-0 followed no deployment: org-wide only.
    expect((await rowsOf('timeToRestoreP50Hours', 'alpha')).map((i) => [i.key, i.restoreHours, i.deploymentRepository])).toEqual([
      ['INC-2', 48, 'o/r1'], ['INC-1', 36, 'o/r1'], ['INC-3', 2, 'o/r1'],
    ]);
    expect((await rowsOf('timeToRestoreP50Hours', undefined, 'key'))[0]).toMatchObject({ key: 'INC-0', team: null, deploymentRepository: null });
    const csv = drilldownCsv(await getDrilldown({ org, query: { metric: 'firstRunHeads', team: 'alpha', week: W1, sort: 'firstRunAt' } }));
    expect(csv.split('\n')[2]).toContain(',false,build,https://ci.example/');
  });

  test("reviews per reviewer: the week's reviews for the reviewer's team at submission, rows per distinct reviewer", async () => {
    const { org } = await plantReviews();
    const reviews = async (metric: DrilldownMetricName, team: string) => {
      const d = await getDrilldown({ org, query: { metric, team, week: W1 } });
      return { d, rows: (d.rows as { reviewer: string; title: string }[]).map((r) => [r.reviewer, r.title]) };
    };
    // Beta: Ray reviews P1, P2, P4, P6; Rita, after her move on Wednesday noon, P6, P3, P10: 7 reviews by 2 people.
    const beta = await reviews('reviewsPerReviewer', 'beta');
    expect(beta.d).toMatchObject({ kind: 'reviews', aggregate: 'perDistinct', value: 'reviewerId', sort: 'submittedAt', order: 'asc' });
    expect(beta.rows).toEqual([['ray', 'P1'], ['ray', 'P2'], ['ray', 'P4'], ['rita', 'P6'], ['ray', 'P6'], ['rita', 'P3'], ['rita', 'P10']]);
    expect(figureFromRows(beta.d)).toBe(3.5);
    // Alpha: Rita before her move (P1 twice, P4) and Ann on P7; the review bot and Ann on her own P2 are not reviews.
    expect((await reviews('reviewsPerReviewer', 'alpha')).rows).toEqual([['rita', 'P1'], ['rita', 'P1'], ['rita', 'P4'], ['ann', 'P7']]);
    // Of AI pull requests (strong evidence: P2, P3, P10; P4's is weak): 3 reviews by 2 people.
    const ai = await reviews('reviewsPerReviewerAi', 'beta');
    expect(ai.rows).toEqual([['ray', 'P2'], ['rita', 'P3'], ['rita', 'P10']]);
    expect(figureFromRows(ai.d)).toBe(1.5);
  });

  test('more than 1000 rows: the first 1000, truncated', async () => {
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Many' } });
    const repo = await db().repository.create({ data: { orgId: org.id, provider: 'github', owner: 'o', name: 'big' } });
    await db().commit.createMany({
      data: Array.from({ length: 1003 }, (_, i) => ({
        orgId: org.id, repositoryId: repo.id, sha: String(i).padStart(40, '0'), message: `c${i}`, authoredAt: T('2026-03-03T00:00:00Z'),
        committedAt: new Date(T('2026-03-03T00:00:00Z').getTime() + i * 1000), additions: i, onDefaultBranch: true,
      })),
    });
    const d = await getDrilldown({ org, query: { metric: 'commits', week: W1, sort: 'additions', order: 'desc' } });
    expect(d.truncated).toBe(true);
    expect(d.rows).toHaveLength(1000);
    expect((d.rows[0] as { additions: number }).additions).toBe(1002);
  });
});

async function get(slug: string, query: string, headers: Record<string, string> = {}) {
  const res = await GET(new Request(`http://test/api/orgs/${slug}/metrics/drilldown?${query}`, { headers }), { params: Promise.resolve({ org: slug }) });
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text() };
}

describe('GET /api/orgs/[org]/metrics/drilldown', () => {
  test('answers the rows with a metrics:read token and with a member session; the count is the weekly API figure', async () => {
    const org = await plantMetrics();
    const { status, body } = await get(org.slug, `metric=prsMerged&team=beta&week=${W1}`, { authorization: org.authorization });
    expect(status).toBe(200);
    expect(body).toMatchObject({ org: org.slug, team: 'beta', week: W1, metric: 'prsMerged', kind: 'pull_requests', truncated: false });
    const weekly = await GET_WEEKLY(new Request(`http://test/api/orgs/${org.slug}/metrics/weekly?team=beta&from=${W1}&to=${W1}`, { headers: { authorization: org.authorization } }), { params: Promise.resolve({ org: org.slug }) });
    expect(body.rows).toHaveLength((await weekly.json()).weeks[0].prsMerged);
    expect(body.rows.map((r: { number: number }) => r.number)).toEqual([3, 5]);

    const user = await db().user.create({ data: { email: `${randomSlug('m')}@example.com` } });
    await db().membership.create({ data: { orgId: org.id, userId: user.id, role: 'member' } });
    const { sessionToken } = await createSession({ userId: user.id, orgId: org.id });
    const bySession = await get(org.slug, `metric=commits&week=${W2}`, { cookie: `next-auth.session-token=${sessionToken}` });
    expect(bySession.status).toBe(200);
    expect(bySession.body.rows).toHaveLength(1);
  });

  test('`throughline drilldown` prints what the API answers, with no server', async () => {
    const org = await plantMetrics();
    const { body } = await get(org.slug, `metric=prsMerged&team=beta&week=${W1}`, { authorization: org.authorization });
    const bin = path.join(import.meta.dirname, '../../bin/throughline.js');
    const { stdout } = await promisify(execFile)(process.execPath, [bin, 'drilldown', '--org', org.slug, '--metric', 'prsMerged', '--team', 'beta', '--week', W1]);
    expect(JSON.parse(stdout)).toEqual(body);
    const csv = await promisify(execFile)(process.execPath, [bin, 'drilldown', '--org', org.slug, '--metric', 'prsMerged', '--team', 'beta', '--week', W1, '--format', 'csv']);
    expect(csv.stdout).toBe(drilldownCsv(body));
  });

  test('format=csv: one line per row', async () => {
    const org = await plantMetrics();
    const { status, body } = await get(org.slug, `metric=commits&team=alpha&week=${W1}&format=csv&sort=additions`, { authorization: org.authorization });
    expect(status).toBe(200);
    const lines = (body as string).trim().split('\n');
    expect(lines[0]).toBe('id,sha,repository,message,author,team,committedAt,additions,aiAdditions,isAi,aiEvidence,url');
    expect(lines.slice(1).map((l) => l.split(',')[7])).toEqual(['50', '100']);
    expect(lines[2]).toContain('Claude Code: Co-authored-by: Claude <noreply@anthropic.com>');
  });

  test('bad input: 400 naming the field; unknown team 404; no credentials 401; another org 404', async () => {
    const org = await plantMetrics();
    const auth = { authorization: org.authorization };
    const unknown = await get(org.slug, `metric=happiness&week=${W1}`, auth);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/^metric:/);
    const tuesday = await get(org.slug, 'metric=prsMerged&week=2026-03-03', auth);
    expect(tuesday).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(tuesday.body.error.message).toMatch(/^week: must be a Monday/);
    expect((await get(org.slug, 'metric=prsMerged&week=2026-02-30', auth)).status).toBe(400);
    expect((await get(org.slug, 'metric=prsMerged', auth)).status).toBe(400);
    const badSort = await get(org.slug, `metric=prsMerged&week=${W1}&sort=aiEvidence`, auth);
    expect(badSort.status).toBe(400);
    expect(badSort.body.error.message).toMatch(/^sort: must be one of id, repository/);
    expect((await get(org.slug, `metric=prsMerged&week=${W1}&team=gamma`, auth)).status).toBe(404);
    expect((await get(org.slug, `metric=prsMerged&week=${W1}`)).status).toBe(401);
    const other = await db().organization.create({ data: { slug: randomSlug(), name: 'Other' } });
    const { token } = await createIngestToken({ orgId: other.id, name: 'reader', scopes: ['metrics:read'] });
    expect((await get(org.slug, `metric=prsMerged&week=${W1}`, { authorization: `Bearer ${token}` })).status).toBe(404);
    // A token without metrics:read is refused.
    const { token: ingest } = await createIngestToken({ orgId: org.id, name: 'ingest', scopes: ['ingest:write'] });
    expect((await get(org.slug, `metric=prsMerged&week=${W1}`, { authorization: `Bearer ${ingest}` })).status).toBeGreaterThanOrEqual(401);
  });

  test('every drill-down metric is a weekly figure', () => {
    const weekly = Object.keys(Object.assign({}, ...FAMILIES.map((f) => f.empty), { aiPrShare: null }));
    expect(Object.keys(DRILLDOWN_METRICS).filter((m) => !weekly.includes(m))).toEqual([]);
    expect(new Set<DrilldownMetricName>(DRILLDOWN_METRIC_NAMES).size).toBe(Object.keys(DRILLDOWN_METRICS).length);
    // The dashboard knows each figure's kind of rows without the server code.
    for (const m of DRILLDOWN_METRIC_NAMES) expect(kindOfMetric(m), m).toBe(kindOf(m));
  });
});
