import { db } from '../lib/db/client.ts';
import { createIngestToken } from '../lib/auth/tokens.ts';
import { randomSlug } from './factories.ts';

// A small planted dataset whose expected figures were worked out by hand from the definitions in
// docs/metrics.md (the tests' comments give the arithmetic), not from the engine's output.
// Weeks (UTC): W1 = 2026-03-02, W2 = 2026-03-09, W3 = 2026-03-16 (empty).

const T = (iso: string) => new Date(iso);

export async function plantDataset(options: { timeZone?: string; cycleTimeStart?: 'created' | 'in_progress' } = {}) {
  const org = await db().organization.create({
    data: { slug: randomSlug(), name: 'Planted', isDemo: true, timeZone: options.timeZone ?? 'UTC', cycleTimeStart: options.cycleTimeStart ?? 'in_progress' },
  });
  const orgId = org.id;
  const alpha = await db().team.create({ data: { orgId, slug: 'alpha', name: 'Alpha' } });
  const beta = await db().team.create({ data: { orgId, slug: 'beta', name: 'Beta' } });
  const person = (displayName: string, isBot = false) => db().person.create({ data: { orgId, displayName, isBot } });
  const [ann, bob, carl, bot] = await Promise.all([person('Ann'), person('Bob'), person('Carl'), person('bot[bot]', true)]);
  await db().teamMembership.createMany({
    data: [
      { orgId, teamId: alpha.id, personId: ann!.id, validFrom: T('2026-01-01T00:00:00Z') },
      // Bob moves from alpha to beta on Wednesday of W1 at noon.
      { orgId, teamId: alpha.id, personId: bob!.id, validFrom: T('2026-01-01T00:00:00Z'), validTo: T('2026-03-04T12:00:00Z') },
      { orgId, teamId: beta.id, personId: bob!.id, validFrom: T('2026-03-04T12:00:00Z') },
    ],
  });
  // Carl has no membership: his changes fall to the repository's default team.
  const r1 = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r1', defaultTeamId: alpha.id } });
  const r2 = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r2', defaultTeamId: beta.id } });

  let number = 0;
  const pr = (repositoryId: string, authorId: string, state: 'open' | 'closed' | 'merged', mergedAt?: string) =>
    db().pullRequest.create({
      data: { orgId, repositoryId, number: ++number, title: `PR ${number}`, authorId, state, createdAt: T('2026-02-20T00:00:00Z'), mergedAt: mergedAt ? T(mergedAt) : null },
    });
  const p1 = await pr(r1.id, ann!.id, 'merged', '2026-03-03T10:00:00Z'); // alpha W1
  const p2 = await pr(r1.id, bob!.id, 'merged', '2026-03-04T10:00:00Z'); // alpha W1 (before Bob's move)
  const p3 = await pr(r1.id, bob!.id, 'merged', '2026-03-05T09:00:00Z'); // beta W1 (after the move)
  const p4 = await pr(r1.id, bot!.id, 'merged', '2026-03-05T09:00:00Z'); // bot: excluded
  await pr(r2.id, carl!.id, 'merged', '2026-03-08T23:30:00Z'); // beta W1 by r2's default team; Monday in Tokyo
  const p6 = await pr(r1.id, ann!.id, 'open');
  const p7 = await pr(r1.id, ann!.id, 'closed');
  const p8 = await pr(r1.id, ann!.id, 'merged', '2026-03-10T15:00:00Z'); // alpha W2

  let sha = 0;
  const commit = (c: { authorId: string | null; repositoryId?: string; at: string; additions: number; ai?: number; parentCount?: number; onDefaultBranch?: boolean }) =>
    db().commit.create({
      data: {
        orgId, repositoryId: c.repositoryId ?? r1.id, sha: String(++sha).padStart(40, '0'), authorId: c.authorId, message: 'm',
        authoredAt: T(c.at), committedAt: T(c.at), additions: c.additions, aiAdditions: c.ai ?? 0,
        parentCount: c.parentCount ?? 1, onDefaultBranch: c.onDefaultBranch ?? true,
      },
    });
  await commit({ authorId: ann!.id, at: '2026-03-02T09:00:00Z', additions: 100, ai: 60 }); // alpha W1
  await commit({ authorId: ann!.id, at: '2026-03-03T09:00:00Z', additions: 50 }); // alpha W1
  await commit({ authorId: bob!.id, at: '2026-03-05T08:00:00Z', additions: 40, ai: 40 }); // beta W1
  await commit({ authorId: ann!.id, at: '2026-03-03T10:00:00Z', additions: 500, parentCount: 2 }); // merge commit: excluded
  await commit({ authorId: ann!.id, at: '2026-03-03T11:00:00Z', additions: 999, onDefaultBranch: false }); // excluded
  await commit({ authorId: bot!.id, at: '2026-03-03T12:00:00Z', additions: 300 }); // bot: excluded
  await commit({ authorId: ann!.id, at: '2026-03-09T00:30:00Z', additions: 10, ai: 5 }); // alpha W2
  await commit({ authorId: null, repositoryId: r2.id, at: '2026-03-06T12:00:00Z', additions: 20 }); // unknown author: beta W1 via r2

  let key = 0;
  const ticket = async (createdAt: string, startedAt: string | null, links: { pr: { id: string }; foundBy?: 'branch_name' | 'pr_title' }[]) => {
    const t = await db().ticket.create({
      data: { orgId, source: 'jira', externalId: String(++key), key: `T-${key}`, title: `T${key}`, statusCategory: 'done', createdAt: T(createdAt), startedAt: startedAt ? T(startedAt) : null },
    });
    await db().ticketPullRequestLink.createMany({ data: links.map((l) => ({ orgId, ticketId: t.id, pullRequestId: l.pr.id, foundBy: l.foundBy ?? 'branch_name' })) });
  };
  await ticket('2026-03-01T00:00:00Z', '2026-03-02T10:00:00Z', [{ pr: p1 }]); // T1: 24 h (created: 58 h), alpha W1
  await ticket('2026-02-25T10:00:00Z', null, [{ pr: p2 }]); // T2: never started, from creation: 168 h, alpha W1
  await ticket('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', [{ pr: p1 }, { pr: p8 }]); // T3: to P8, 207 h (created: 231 h), alpha W2
  await ticket('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', [{ pr: p1 }, { pr: p6 }]); // T4: a linked PR still open: excluded
  await ticket('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', [{ pr: p7 }]); // T5: nothing merged: excluded
  await ticket('2026-03-03T00:00:00Z', '2026-03-04T09:00:00Z', [{ pr: p3 }, { pr: p3, foundBy: 'pr_title' }]); // T6: 24 h once (created: 33 h), beta W1
  await ticket('2026-03-01T00:00:00Z', '2026-03-02T00:00:00Z', [{ pr: p4 }]); // T7: bot PR: excluded
  await ticket('2026-03-01T00:00:00Z', '2026-03-04T00:00:00Z', [{ pr: p1 }]); // T8: started after merge: excluded (created: 58 h)
  await ticket('2026-03-02T22:00:00Z', '2026-03-03T06:00:00Z', [{ pr: p1 }, { pr: p7 }]); // T9: closed PR ignored: 4 h (created: 12 h), alpha W1
  await ticket('2026-03-03T00:00:00Z', '2026-03-04T04:00:00Z', [{ pr: p2 }]); // T10: 6 h (created: 34 h), alpha W1
  const { token } = await createIngestToken({ orgId, name: 'reader', scopes: ['metrics:read'] });
  return Object.assign(org, { authorization: `Bearer ${token}` });
}

