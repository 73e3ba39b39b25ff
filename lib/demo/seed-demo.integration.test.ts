import { beforeAll, describe, expect, it } from 'vitest';
import { randomSlug } from '../../test/factories.ts';
import { db } from '../db/client.ts';
import { seedDemoOrg } from './seed-demo.ts';

// The demo org is checked with plain SQL of its own (no lib/metrics), so the story it tells does
// not depend on the code that will later measure it.

const END_WEEK = new Date('2026-06-01T00:00:00Z');
const WEEKS = 26;
const DAY = 86_400_000;
const START = new Date(END_WEEK.getTime() - (WEEKS - 1) * 7 * DAY);
const HORIZON = new Date(END_WEEK.getTime() + 7 * DAY);

async function query<T>(sql: string, ...params: unknown[]): Promise<T[]> {
  return db().$queryRawUnsafe<T[]>(sql, ...params);
}

/** Ordered content columns per table, without ids, hashed. */
const DIGESTS: Record<string, string> = {
  people: `SELECT concat_ws('|', "displayName", email, "isBot") AS row, "displayName" AS k FROM "Person" WHERE "orgId" = $1`,
  identities: `SELECT concat_ws('|', provider, "externalId", login, email) AS row, concat(provider, "externalId") AS k FROM "Identity" WHERE "orgId" = $1`,
  memberships: `SELECT concat_ws('|', p."displayName", t.slug, m."validFrom", m."validTo") AS row, concat(p."displayName", m."validFrom") AS k
    FROM "TeamMembership" m JOIN "Person" p ON p."orgId" = m."orgId" AND p.id = m."personId" JOIN "Team" t ON t."orgId" = m."orgId" AND t.id = m."teamId" WHERE m."orgId" = $1`,
  tickets: `SELECT concat_ws('|', key, title, type, "statusCategory", "createdAt", "startedAt", "doneAt") AS row, key AS k FROM "Ticket" WHERE "orgId" = $1`,
  pullRequests: `SELECT concat_ws('|', r.name, p.number, p.title, p.state, p."headBranch", p."createdAt", p."firstReviewAt", p."approvedAt", p."mergedAt", p."closedAt", p.additions, p.deletions, p."aiShare", p."headSha") AS row,
    concat(r.name, lpad(p.number::text, 8, '0')) AS k FROM "PullRequest" p JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId" WHERE p."orgId" = $1`,
  commits: `SELECT concat_ws('|', sha, "committedAt", additions, deletions, "aiAdditions", message, "onDefaultBranch") AS row, sha AS k FROM "Commit" WHERE "orgId" = $1`,
  reviews: `SELECT concat_ws('|', p."headSha", v."externalId", v.state, v."submittedAt", v.body) AS row, v."externalId" AS k
    FROM "Review" v JOIN "PullRequest" p ON p."orgId" = v."orgId" AND p.id = v."pullRequestId" WHERE v."orgId" = $1`,
  reviewComments: `SELECT concat_ws('|', "externalId", body, path, "createdAt") AS row, "externalId" AS k FROM "ReviewComment" WHERE "orgId" = $1`,
  ciRuns: `SELECT concat_ws('|', "externalId", "runAttempt", workflow, "headSha", conclusion, "startedAt", "completedAt") AS row, concat("externalId", '/', "runAttempt") AS k FROM "CiRun" WHERE "orgId" = $1`,
  testResults: `SELECT concat_ws('|', r."externalId", r."runAttempt", s.total, s.failed, s."failingTests"::text, s."flakyTests"::text) AS row, concat(r."externalId", '/', r."runAttempt") AS k
    FROM "TestResultSummary" s JOIN "CiRun" r ON r."orgId" = s."orgId" AND r.id = s."ciRunId" WHERE s."orgId" = $1`,
  ticketLinks: `SELECT concat_ws('|', t.key, p."headSha", l."foundBy") AS row, concat(t.key, p."headSha") AS k
    FROM "TicketPullRequestLink" l JOIN "Ticket" t ON t."orgId" = l."orgId" AND t.id = l."ticketId" JOIN "PullRequest" p ON p."orgId" = l."orgId" AND p.id = l."pullRequestId" WHERE l."orgId" = $1`,
  aiUsage: `SELECT concat_ws('|', day, tool, "identityKey", model, "tokensIn", "tokensOut", "tokensCacheRead", "costUsd", "linesAccepted") AS row, concat(day, tool, "identityKey") AS k FROM "AiUsageDaily" WHERE "orgId" = $1`,
  annotations: `SELECT concat_ws('|', date, label) AS row, concat(date, label) AS k FROM "Annotation" WHERE "orgId" = $1`,
};

async function digest(orgId: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, sql] of Object.entries(DIGESTS)) {
    const [row] = await query<{ n: number; md5: string }>(`SELECT count(*)::int AS n, md5(string_agg(row, E'\\n' ORDER BY k, row)) AS md5 FROM (${sql}) x`, orgId);
    out[table] = `${row?.n}:${row?.md5}`;
  }
  return out;
}

/** Earliest and latest time of any row of the org (its own bookkeeping createdAt aside). */
async function timeSpan(orgId: string): Promise<{ earliest: Date; latest: Date }> {
  const [span] = await query<{ earliest: Date; latest: Date }>(
    `SELECT min(t) AS earliest, max(t) AS latest FROM (
       SELECT unnest(ARRAY["createdAt", "readyAt", "firstCommitAt", "firstReviewAt", "approvedAt", "mergedAt", "closedAt", "sourceUpdatedAt"]) AS t FROM "PullRequest" WHERE "orgId" = $1
       UNION ALL SELECT unnest(ARRAY["authoredAt", "committedAt"]) FROM "Commit" WHERE "orgId" = $1
       UNION ALL SELECT unnest(ARRAY["createdAt", "startedAt", "doneAt", "sourceUpdatedAt"]) FROM "Ticket" WHERE "orgId" = $1
       UNION ALL SELECT "createdAt" FROM "TicketPullRequestLink" WHERE "orgId" = $1
       UNION ALL SELECT "submittedAt" FROM "Review" WHERE "orgId" = $1
       UNION ALL SELECT "createdAt" FROM "ReviewComment" WHERE "orgId" = $1
       UNION ALL SELECT unnest(ARRAY["startedAt", "completedAt"]) FROM "CiRun" WHERE "orgId" = $1
       UNION ALL SELECT "createdAt" FROM "TestResultSummary" WHERE "orgId" = $1
       UNION ALL SELECT day::timestamp AT TIME ZONE 'UTC' FROM "AiUsageDaily" WHERE "orgId" = $1
       UNION ALL SELECT unnest(ARRAY[date::timestamp AT TIME ZONE 'UTC', "createdAt"]) FROM "Annotation" WHERE "orgId" = $1
       UNION ALL SELECT unnest(ARRAY["validFrom", "validTo"]) FROM "TeamMembership" WHERE "orgId" = $1
       UNION ALL SELECT "createdAt" FROM "Person" WHERE "orgId" = $1
       UNION ALL SELECT "createdAt" FROM "Team" WHERE "orgId" = $1
       UNION ALL SELECT "createdAt" FROM "Repository" WHERE "orgId" = $1
     ) x`,
    orgId,
  );
  return span!;
}

describe('seedDemoOrg', () => {
  const slug = randomSlug('demo');
  let orgId = '';
  let first: Record<string, string> = {};

  beforeAll(async () => {
    const started = performance.now();
    const result = await seedDemoOrg(db(), { seed: 7, slug, endWeekStart: END_WEEK });
    console.log(`demo seeded in ${Math.round(performance.now() - started)} ms`, result.counts);
    expect(result.created).toBe(true);
    orgId = result.orgId;
    first = await digest(orgId);
  });

  it('creates the same content for the same seed', async () => {
    const other = await seedDemoOrg(db(), { seed: 7, slug: randomSlug('demo'), endWeekStart: END_WEEK });
    expect(other.orgId).not.toBe(orgId);
    expect(await digest(other.orgId)).toEqual(first);
    expect(Number(first.pullRequests?.split(':')[0])).toBeGreaterThan(1500);
  });

  it('leaves an existing org alone unless asked to reset it', async () => {
    const again = await seedDemoOrg(db(), { seed: 99, slug, endWeekStart: END_WEEK });
    expect(again).toMatchObject({ orgId, created: false });
    expect(await digest(orgId)).toEqual(first);

    const resetSlug = randomSlug('demo');
    const before = await seedDemoOrg(db(), { seed: 99, slug: resetSlug, endWeekStart: END_WEEK });
    const reset = await seedDemoOrg(db(), { seed: 7, slug: resetSlug, endWeekStart: END_WEEK, reset: true });
    expect(reset.created).toBe(true);
    expect(reset.orgId).not.toBe(before.orgId);
    expect(await query(`SELECT 1 FROM "PullRequest" WHERE "orgId" = $1 LIMIT 1`, before.orgId)).toEqual([]);
    expect(await digest(reset.orgId)).toEqual(first);
  });

  it('tells the story: AI generation grows everywhere, only the harness team gets faster', async () => {
    const lastMonth = new Date(END_WEEK.getTime() - 21 * DAY);
    const firstMonthEnd = new Date(START.getTime() + 28 * DAY);
    // As docs/metrics.md counts lines: non-merge commits on the default branch, by committer date.
    const [ai] = await query<{ first: number; last: number }>(
      `SELECT coalesce(sum("aiAdditions") FILTER (WHERE "committedAt" < $2), 0)::float AS first,
              coalesce(sum("aiAdditions") FILTER (WHERE "committedAt" >= $3), 0)::float AS last
       FROM "Commit" WHERE "orgId" = $1 AND "onDefaultBranch" AND "parentCount" = 1`,
      orgId, firstMonthEnd, lastMonth,
    );
    const [tokens] = await query<{ first: number; last: number }>(
      `SELECT coalesce(sum("tokensIn" + "tokensOut") FILTER (WHERE day < $2::date), 0)::float AS first,
              coalesce(sum("tokensIn" + "tokensOut") FILTER (WHERE day >= $3::date), 0)::float AS last
       FROM "AiUsageDaily" WHERE "orgId" = $1`,
      orgId, firstMonthEnd, lastMonth,
    );
    const [share] = await query<{ first: number; last: number }>(
      `SELECT avg(("aiShare" > 0)::int) FILTER (WHERE p."createdAt" < $2)::float AS first,
              avg(("aiShare" > 0)::int) FILTER (WHERE p."createdAt" >= $3)::float AS last
       FROM "PullRequest" p JOIN "Person" a ON a."orgId" = p."orgId" AND a.id = p."authorId" WHERE p."orgId" = $1 AND NOT a."isBot"`,
      orgId, firstMonthEnd, lastMonth,
    );
    // Ticket-to-merge: ticket start to the merge of its last merged PR, per team of that PR's author
    // at merge time, in the 8 weeks either side of the harness team's annotation; tickets with a
    // linked PR still open have not reached merge (docs/metrics.md).
    const cycle = await query<{ team: string; period: 'before' | 'after'; n: number; p50: number }>(
      `WITH harness AS (
         SELECT a.date::timestamp AT TIME ZONE 'UTC' AS at FROM "Annotation" a
         JOIN "Team" t ON t."orgId" = a."orgId" AND t.id = a."teamId" WHERE a."orgId" = $1 AND t.slug = 'platform'
       ), last_merge AS (
         SELECT DISTINCT ON (tk.id) tk.id, tk."startedAt", p."mergedAt", p."authorId"
         FROM "Ticket" tk
         JOIN "TicketPullRequestLink" l ON l."orgId" = tk."orgId" AND l."ticketId" = tk.id
         JOIN "PullRequest" p ON p."orgId" = l."orgId" AND p.id = l."pullRequestId"
         WHERE tk."orgId" = $1 AND tk."startedAt" IS NOT NULL AND p.state = 'merged'
           AND NOT EXISTS (
             SELECT 1 FROM "TicketPullRequestLink" ol JOIN "PullRequest" op ON op."orgId" = ol."orgId" AND op.id = ol."pullRequestId"
             WHERE ol."orgId" = tk."orgId" AND ol."ticketId" = tk.id AND op.state = 'open')
         ORDER BY tk.id, p."mergedAt" DESC
       ), timed AS (
         SELECT t.slug AS team, extract(epoch FROM lm."mergedAt" - lm."startedAt") / 3600 AS hours,
           CASE WHEN lm."mergedAt" >= h.at - interval '56 days' AND lm."mergedAt" < h.at THEN 'before'
                WHEN lm."mergedAt" >= h.at AND lm."mergedAt" < h.at + interval '56 days' THEN 'after' END AS period
         FROM last_merge lm CROSS JOIN harness h
         JOIN "TeamMembership" m ON m."orgId" = $1 AND m."personId" = lm."authorId"
           AND m."validFrom" <= lm."mergedAt" AND (m."validTo" IS NULL OR m."validTo" > lm."mergedAt")
         JOIN "Team" t ON t."orgId" = m."orgId" AND t.id = m."teamId"
       )
       SELECT team, period, count(*)::int AS n, percentile_cont(0.5) WITHIN GROUP (ORDER BY hours) AS p50
       FROM timed WHERE period IS NOT NULL GROUP BY team, period`,
      orgId,
    );
    const p50 = (team: string, period: string) => cycle.find((c) => c.team === team && c.period === period)?.p50 ?? NaN;
    const ratios = Object.fromEntries(['payments', 'platform', 'mobile', 'growth'].map((t) => [t, p50(t, 'after') / p50(t, 'before')]));
    console.log('story', { aiLines: ai, tokens, aiPrShare: share, cycle, ratios });

    expect(ai!.last).toBeGreaterThanOrEqual(4 * ai!.first);
    expect(ai!.first).toBeGreaterThan(0);
    expect(tokens!.last).toBeGreaterThanOrEqual(4 * tokens!.first);
    expect(share!.first).toBeLessThan(0.2);
    expect(share!.last).toBeGreaterThan(0.55);
    expect(ratios.platform).toBeLessThanOrEqual(0.7);
    for (const team of ['payments', 'mobile', 'growth']) expect(ratios[team]).toBeGreaterThanOrEqual(0.9);
    for (const c of cycle) expect(c.n).toBeGreaterThan(30);
  });

  it('keeps the data consistent', async () => {
    const count = async (sql: string) => (await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, orgId))[0]?.n;

    // PR size is the sum of its commits (the merge commit is not one of them).
    expect(
      await count(`"PullRequest" p WHERE p."orgId" = $1 AND p.additions <> (
        SELECT coalesce(sum(c.additions), 0) FROM "PullRequestCommit" pc JOIN "Commit" c ON c."orgId" = pc."orgId" AND c.id = pc."commitId"
        WHERE pc."orgId" = p."orgId" AND pc."pullRequestId" = p.id)`),
    ).toBe(0);
    expect(
      await count(`"PullRequest" p WHERE p."orgId" = $1 AND (p."firstCommitAt" > p."createdAt" OR p."createdAt" > p."readyAt"
        OR p."readyAt" > p."firstReviewAt" OR p."createdAt" > p."firstReviewAt" OR p."firstReviewAt" > p."approvedAt"
        OR p."approvedAt" > p."mergedAt" OR p."createdAt" > p."closedAt")`),
    ).toBe(0);
    expect(await count(`"PullRequest" WHERE "orgId" = $1 AND state = 'merged' AND ("approvedAt" IS NULL OR "mergeCommitSha" IS NULL)`)).toBe(0);
    expect(
      await count(`"Ticket" t WHERE t."orgId" = $1 AND (t."createdAt" > t."startedAt" OR t."doneAt" < (
        SELECT max(p."mergedAt") FROM "TicketPullRequestLink" l JOIN "PullRequest" p ON p."orgId" = l."orgId" AND p.id = l."pullRequestId"
        WHERE l."orgId" = t."orgId" AND l."ticketId" = t.id))`),
    ).toBe(0);
    expect(
      await count(`"Review" v JOIN "PullRequest" p ON p."orgId" = v."orgId" AND p.id = v."pullRequestId" WHERE v."orgId" = $1 AND v."reviewerId" = p."authorId"`),
    ).toBe(0);
    expect(
      await count(`"Commit" c JOIN "Person" a ON a."orgId" = c."orgId" AND a.id = c."authorId" WHERE c."orgId" = $1 AND a."isBot" AND (c."isAi" OR c."aiAdditions" > 0)`),
    ).toBe(0);
    expect(await count(`"Commit" WHERE "orgId" = $1 AND extract(isodow FROM "committedAt") >= 6`)).toBe(0);

    // Every time lies in the weeks covered (bookkeeping createdAt of the org itself aside).
    const span = await timeSpan(orgId);
    expect(span.earliest.getTime()).toBeGreaterThanOrEqual(START.getTime());
    expect(span.latest.getTime()).toBeLessThanOrEqual(HORIZON.getTime());
  });

  it('holds no event after `until`, so a demo seeded mid-week has no future', async () => {
    const until = new Date(END_WEEK.getTime() + 2.5 * DAY); // Wednesday noon of the last week
    const result = await seedDemoOrg(db(), { seed: 7, slug: randomSlug('demo'), endWeekStart: END_WEEK, weeks: 4, until });
    const span = await timeSpan(result.orgId);
    expect(span.latest.getTime()).toBeLessThanOrEqual(until.getTime());
    expect(span.latest.getTime()).toBeGreaterThan(until.getTime() - DAY);
  });
});
