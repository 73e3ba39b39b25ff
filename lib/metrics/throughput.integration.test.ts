import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { randomSlug } from '../../test/factories.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { db } from '../db/client.ts';
import { computeWeeks, ORG_SCOPE } from './compute-weeks.ts';

// Throughput figures (docs/metrics.md: tickets done, active engineers, per-engineer throughput) on
// a small planted dataset; every expected value is worked out by hand in the comments.
// Weeks (UTC): W1 = 2026-03-02, W2 = 2026-03-09, W3 = 2026-03-16 (empty).

const T = (iso: string) => new Date(iso);
const W1 = '2026-03-02';
const W2 = '2026-03-09';
const W3 = '2026-03-16';

async function plant(options: { timeZone?: string } = {}) {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'Throughput', timeZone: options.timeZone ?? 'UTC' } });
  const orgId = org.id;
  const alpha = await db().team.create({ data: { orgId, slug: 'alpha', name: 'Alpha' } });
  const beta = await db().team.create({ data: { orgId, slug: 'beta', name: 'Beta' } });
  const person = (displayName: string, isBot = false) => db().person.create({ data: { orgId, displayName, isBot } });
  const [ann, bob, carl, dee, eve, bot] = await Promise.all([person('Ann'), person('Bob'), person('Carl'), person('Dee'), person('Eve'), person('renovate[bot]', true)]);
  await db().teamMembership.createMany({
    data: [
      { orgId, teamId: alpha.id, personId: ann!.id, validFrom: T('2026-01-01T00:00:00Z') },
      // Bob moves from alpha to beta on Wednesday of W1 at noon.
      { orgId, teamId: alpha.id, personId: bob!.id, validFrom: T('2026-01-01T00:00:00Z'), validTo: T('2026-03-04T12:00:00Z') },
      { orgId, teamId: beta.id, personId: bob!.id, validFrom: T('2026-03-04T12:00:00Z') },
      { orgId, teamId: beta.id, personId: dee!.id, validFrom: T('2026-01-01T00:00:00Z') },
      { orgId, teamId: alpha.id, personId: eve!.id, validFrom: T('2026-01-01T00:00:00Z') },
      { orgId, teamId: alpha.id, personId: bot!.id, validFrom: T('2026-01-01T00:00:00Z') },
    ],
  });
  // Carl has no membership: his activity falls to the repository's default team.
  const r1 = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r1', defaultTeamId: alpha.id } });
  const r2 = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r2', defaultTeamId: beta.id } });

  let number = 0;
  const pr = (p: { authorId: string | null; state: 'open' | 'closed' | 'merged'; createdAt: string; mergedAt?: string; repositoryId?: string }) =>
    db().pullRequest.create({
      data: { orgId, repositoryId: p.repositoryId ?? r1.id, number: ++number, title: `PR ${number}`, authorId: p.authorId, state: p.state, createdAt: T(p.createdAt), mergedAt: p.mergedAt ? T(p.mergedAt) : null },
    });
  const pa1 = await pr({ authorId: ann!.id, state: 'merged', createdAt: '2026-03-02T10:00:00Z', mergedAt: '2026-03-03T10:00:00Z' }); // alpha W1
  const pb1 = await pr({ authorId: bob!.id, state: 'merged', createdAt: '2026-03-03T10:00:00Z', mergedAt: '2026-03-05T10:00:00Z' }); // opened alpha, merged beta W1
  const pbot = await pr({ authorId: bot!.id, state: 'merged', createdAt: '2026-03-03T10:00:00Z', mergedAt: '2026-03-04T10:00:00Z' }); // bot: excluded
  const popen = await pr({ authorId: ann!.id, state: 'open', createdAt: '2026-03-04T10:00:00Z' }); // opened alpha W1
  const pclosed = await pr({ authorId: ann!.id, state: 'closed', createdAt: '2026-03-04T11:00:00Z' }); // opened alpha W1, never merged
  const pnobody = await pr({ authorId: null, state: 'open', createdAt: '2026-03-04T08:00:00Z', repositoryId: r2.id }); // unknown author: nobody active
  const pa2 = await pr({ authorId: ann!.id, state: 'merged', createdAt: '2026-03-09T09:00:00Z', mergedAt: '2026-03-10T10:00:00Z' }); // alpha W2

  let sha = 0;
  const commit = (c: { authorId: string | null; at: string; repositoryId?: string; onDefaultBranch?: boolean }) =>
    db().commit.create({
      data: {
        orgId, repositoryId: c.repositoryId ?? r1.id, sha: String(++sha).padStart(40, '0'), authorId: c.authorId, message: 'm',
        authoredAt: T(c.at), committedAt: T(c.at), additions: 1, onDefaultBranch: c.onDefaultBranch ?? true,
      },
    });
  await commit({ authorId: ann!.id, at: '2026-03-02T09:00:00Z' });
  // Dee's only activity: a commit on a feature branch of r2 (any commit is activity).
  await commit({ authorId: dee!.id, at: '2026-03-06T09:00:00Z', repositoryId: r2.id, onDefaultBranch: false });
  await commit({ authorId: bot!.id, at: '2026-03-03T09:00:00Z' });
  await commit({ authorId: null, at: '2026-03-03T09:00:00Z' });

  let reviewId = 0;
  const review = (pullRequestId: string, reviewerId: string, at: string) =>
    db().review.create({ data: { orgId, pullRequestId, externalId: String(++reviewId), reviewerId, state: 'commented', submittedAt: T(at) } });
  await review(pnobody.id, carl!.id, '2026-03-04T12:00:00Z'); // Carl, no team: r2's default team beta, W1
  await review(popen.id, eve!.id, '2026-03-08T23:30:00Z'); // Eve alpha: Sunday W1 in UTC, Monday W2 in Tokyo
  await review(popen.id, bot!.id, '2026-03-05T09:00:00Z'); // bot: excluded

  let key = 0;
  const ticket = async (doneAt: string | null, links: { id: string }[], foundBy: ('branch_name' | 'pr_title')[] = ['branch_name']) => {
    const t = await db().ticket.create({
      data: {
        orgId, source: 'jira', externalId: String(++key), key: `T-${key}`, title: `T${key}`, statusCategory: doneAt ? 'done' : 'in_progress',
        createdAt: T('2026-02-25T00:00:00Z'), doneAt: doneAt ? T(doneAt) : null,
      },
    });
    await db().ticketPullRequestLink.createMany({ data: links.flatMap((l) => foundBy.map((f) => ({ orgId, ticketId: t.id, pullRequestId: l.id, foundBy: f }))) });
  };
  await ticket('2026-03-04T12:00:00Z', [pa1]); // T1 alpha W1
  await ticket('2026-03-06T12:00:00Z', [pa1, pb1]); // T2 last merged PR pb1 (beta at its merge): beta W1
  await ticket('2026-03-05T12:00:00Z', [popen]); // T3 nothing merged: excluded
  await ticket(null, [pa1]); // T4 reopened (done time cleared): excluded
  await ticket('2026-03-05T12:00:00Z', [pbot]); // T5 last merged PR is the bot's: excluded
  await ticket('2026-03-08T23:30:00Z', [pa1]); // T6 alpha: Sunday W1 in UTC, Monday W2 in Tokyo
  await ticket('2026-03-11T12:00:00Z', [pa1, popen]); // T7 a PR still open does not hold back a done ticket: alpha W2
  await ticket('2026-03-12T12:00:00Z', [pa1, pa2], ['branch_name', 'pr_title']); // T8 linked twice, counted once: alpha W2
  await ticket('2026-03-06T12:00:00Z', [pclosed]); // T9 only a closed unmerged PR: excluded
  await ticket('2026-03-05T12:00:00Z', [pa2]); // T10 done before its PR merged: W1 of the done time, alpha by pa2

  const { token } = await createIngestToken({ orgId, name: 'reader', scopes: ['metrics:read'] });
  return { org, alpha, beta, authorization: `Bearer ${token}` };
}

type Planted = Awaited<ReturnType<typeof plant>>;

async function compute(p: Planted) {
  const byScope = await computeWeeks({ db: db(), orgId: p.org.id, timeZone: p.org.timeZone, cycleTimeStart: 'in_progress', countWeakAiSignals: false, weeks: [W1, W2, W3] });
  return (scope: string, week: string) => byScope.get(scope)?.get(week);
}

describe('throughput figures on a planted dataset', () => {
  test('tickets done: done in the week with a merged linked PR, for the team of the last merged PR', async () => {
    const p = await plant();
    const at = await compute(p);
    expect(at(p.alpha.id, W1)).toMatchObject({ ticketsDone: 3 }); // T1, T6, T10
    expect(at(p.beta.id, W1)).toMatchObject({ ticketsDone: 1 }); // T2
    expect(at(ORG_SCOPE, W1)).toMatchObject({ ticketsDone: 4 }); // not T3, T4, T5, T9
    expect(at(p.alpha.id, W2)).toMatchObject({ ticketsDone: 2 }); // T7, T8 once
    expect(at(ORG_SCOPE, W2)).toMatchObject({ ticketsDone: 2 });
  });

  test('active engineers: distinct people per team at each activity, a mover in both teams and once org-wide', async () => {
    const p = await plant();
    const at = await compute(p);
    // alpha W1: Ann (commit, PRs), Bob (opened pb1 before his move), Eve (review)
    expect(at(p.alpha.id, W1)).toMatchObject({ activeEngineers: 3 });
    // beta W1: Bob (pb1 merged after his move), Carl (review in r2), Dee (feature-branch commit)
    expect(at(p.beta.id, W1)).toMatchObject({ activeEngineers: 3 });
    // org W1: Ann, Bob, Carl, Dee, Eve; never the bot nor the unknown author
    expect(at(ORG_SCOPE, W1)).toMatchObject({ activeEngineers: 5 });
    expect(at(p.alpha.id, W2)).toMatchObject({ activeEngineers: 1 }); // Ann: pa2 opened and merged
    // Beta has nothing of its own in W2 (its row holds only W1's 4-week trailing medians).
    expect(at(p.beta.id, W2)).toMatchObject({ activeEngineers: 0 });
  });

  test('per-engineer ratios divide the week figures of the same scope', async () => {
    const p = await plant();
    const at = await compute(p);
    // alpha W1: PRs merged pa1 = 1 (the bot's left out), 3 tickets, 3 engineers
    expect(at(p.alpha.id, W1)).toMatchObject({ prsMerged: 1, prsMergedPerEngineer: 1 / 3, ticketsDonePerEngineer: 1 });
    // beta W1: pb1; T2; 3 engineers
    expect(at(p.beta.id, W1)).toMatchObject({ prsMerged: 1, prsMergedPerEngineer: 1 / 3, ticketsDonePerEngineer: 1 / 3 });
    // org W1: 2 PRs, 4 tickets, 5 engineers
    expect(at(ORG_SCOPE, W1)).toMatchObject({ prsMerged: 2, prsMergedPerEngineer: 0.4, ticketsDonePerEngineer: 0.8 });
    // alpha W2: pa2; T7, T8; Ann
    expect(at(p.alpha.id, W2)).toMatchObject({ prsMerged: 1, prsMergedPerEngineer: 1, ticketsDonePerEngineer: 2 });
  });

  test('weeks follow the org time zone', async () => {
    const p = await plant({ timeZone: 'Asia/Tokyo' });
    const at = await compute(p);
    // T6 and Eve's review (Sunday 23:30 UTC) are Monday in Tokyo: they move to W2
    expect(at(p.alpha.id, W1)).toMatchObject({ ticketsDone: 2, activeEngineers: 2 }); // T1, T10; Ann, Bob
    expect(at(p.alpha.id, W2)).toMatchObject({ ticketsDone: 3, activeEngineers: 2 }); // T6, T7, T8; Ann, Eve
    expect(at(ORG_SCOPE, W1)).toMatchObject({ activeEngineers: 4 });
  });

  test('the API reports the figures, with an empty week as 0 and null', async () => {
    const p = await plant();
    const res = await GET(new Request(`http://test/api/orgs/${p.org.slug}/metrics/weekly?from=${W1}&to=${W3}`, { headers: { authorization: p.authorization } }), {
      params: Promise.resolve({ org: p.org.slug }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.weeks).toMatchObject([
      { weekStart: W1, ticketsDone: 4, activeEngineers: 5, prsMergedPerEngineer: 0.4, ticketsDonePerEngineer: 0.8 },
      { weekStart: W2, ticketsDone: 2, activeEngineers: 1, prsMergedPerEngineer: 1, ticketsDonePerEngineer: 2 },
      { weekStart: W3, ticketsDone: 0, activeEngineers: 0, prsMergedPerEngineer: null, ticketsDonePerEngineer: null },
    ]);
  });
});
