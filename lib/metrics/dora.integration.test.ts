import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/orgs/[org]/metrics/weekly/route.ts';
import { randomSlug } from '../../test/factories.ts';
import { createIngestToken } from '../auth/tokens.ts';
import { db } from '../db/client.ts';
import { computeWeeks, ORG_SCOPE } from './compute-weeks.ts';
import { readWeekFigures, rebuildOrgRollups, refreshOrgRollups } from './rollups.ts';

// DORA figures (docs/metrics.md: deployments, lead time for changes, change failure rate, time to
// restore service) on a small planted dataset; every expected value is worked out by hand in the
// comments. Weeks (UTC): W1 = 2026-03-02, W2 = 2026-03-09, W3 = 2026-03-16 (empty).

const T = (iso: string) => new Date(iso);
const W1 = '2026-03-02';
const W2 = '2026-03-09';
const W3 = '2026-03-16';
const sha = (c: string) => c.repeat(40);

async function plant(options: { timeZone?: string } = {}) {
  const org = await db().organization.create({ data: { slug: randomSlug(), name: 'DORA', timeZone: options.timeZone ?? 'UTC' } });
  const orgId = org.id;
  const alpha = await db().team.create({ data: { orgId, slug: 'alpha', name: 'Alpha' } });
  const beta = await db().team.create({ data: { orgId, slug: 'beta', name: 'Beta' } });
  const [ann, bob, bot] = await Promise.all([
    db().person.create({ data: { orgId, displayName: 'Ann' } }),
    db().person.create({ data: { orgId, displayName: 'Bob' } }),
    db().person.create({ data: { orgId, displayName: 'renovate[bot]', isBot: true } }),
  ]);
  await db().teamMembership.createMany({
    data: [
      { orgId, teamId: alpha.id, personId: ann.id, validFrom: T('2026-01-01T00:00:00Z') },
      // Bob moves from alpha to beta on Thursday of W1.
      { orgId, teamId: alpha.id, personId: bob.id, validFrom: T('2026-01-01T00:00:00Z'), validTo: T('2026-03-05T00:00:00Z') },
      { orgId, teamId: beta.id, personId: bob.id, validFrom: T('2026-03-05T00:00:00Z') },
    ],
  });
  // r1 (alpha) deploys with GitHub deployments; r2 (beta) publishes releases (and deploys to staging only); r3 has no team.
  const r1 = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r1', defaultTeamId: alpha.id } });
  const r2 = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r2', defaultTeamId: beta.id } });
  const r3 = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r3' } });

  await db().commit.createMany({
    data: [
      // The merge commit of PA, not (yet) known to be on the default branch: D1 deploys it by sha.
      { orgId, repositoryId: r1.id, sha: sha('a'), message: 'Merge PA', authoredAt: T('2026-03-03T10:00:00Z'), committedAt: T('2026-03-03T10:00:00Z'), onDefaultBranch: false },
      { orgId, repositoryId: r1.id, sha: sha('c'), message: 'later', authoredAt: T('2026-03-06T10:00:00Z'), committedAt: T('2026-03-06T10:00:00Z'), onDefaultBranch: true },
      { orgId, repositoryId: r1.id, sha: sha('0'), message: 'old', authoredAt: T('2026-03-01T00:00:00Z'), committedAt: T('2026-03-01T00:00:00Z'), onDefaultBranch: true },
    ],
  });
  const dep = (repositoryId: string, externalId: string, environment: string, status: string, at: string, s: string) =>
    ({ orgId, repositoryId, externalId, environment, status, createdAt: T(at), sha: s });
  await db().deployment.createMany({
    data: [
      dep(r1.id, '1', 'production', 'success', '2026-03-03T12:00:00Z', sha('a')), // D1 alpha W1, deploys PA's merge commit
      dep(r1.id, '2', 'staging', 'success', '2026-03-04T12:00:00Z', sha('c')), // D2 not production
      dep(r1.id, '3', 'production', 'failure', '2026-03-05T12:00:00Z', sha('c')), // D3 failed: not a deployment
      dep(r1.id, '4', 'Production', 'success', '2026-03-06T12:00:00Z', sha('c')), // D4 alpha W1, a default-branch commit of 03-06 10:00
      dep(r1.id, '5', 'prod', 'success', '2026-03-10T09:00:00Z', sha('0')), // D5 alpha W2, a rollback to a commit of 03-01: includes nothing later
      dep(r1.id, '7', 'production', 'success', '2026-03-11T09:00:00Z', sha('f')), // D7 alpha W2, a commit not collected: includes what merged before
      dep(r1.id, 'release:1', 'release', 'success', '2026-03-04T00:00:00Z', ''), // r1 deploys: its releases do not count
      dep(r2.id, '8', 'staging', 'success', '2026-03-10T00:00:00Z', sha('b')), // r2's staging: not production, r2's releases still count
      dep(r2.id, 'release:2', 'release', 'success', '2026-03-11T12:00:00Z', ''), // R2 beta W2, sha unknown (branch target)
      dep(r2.id, 'release:3', 'release', 'prerelease', '2026-03-12T12:00:00Z', ''), // a pre-release: not counted
      dep(r3.id, '6', 'PROD', 'success', '2026-03-08T23:30:00Z', sha('d')), // D6 no team: org W1 (UTC Sunday), W2 in Tokyo
    ],
  });

  let number = 0;
  const pr = (p: { repositoryId: string; authorId: string; createdAt: string; firstCommitAt?: string; mergedAt: string | null; mergeCommitSha?: string }) =>
    db().pullRequest.create({
      data: {
        orgId, repositoryId: p.repositoryId, number: ++number, title: `PR ${number}`, authorId: p.authorId, state: p.mergedAt ? 'merged' : 'open',
        createdAt: T(p.createdAt), firstCommitAt: p.firstCommitAt ? T(p.firstCommitAt) : null, mergedAt: p.mergedAt ? T(p.mergedAt) : null, mergeCommitSha: p.mergeCommitSha ?? null,
      },
    });
  // PA (Ann, alpha): first commit 03-02 08:00, deployed by D1 (its merge commit) 03-03 12:00: 28 h, W1 alpha.
  await pr({ repositoryId: r1.id, authorId: ann.id, firstCommitAt: '2026-03-02T08:00:00Z', createdAt: '2026-03-02T10:00:00Z', mergedAt: '2026-03-03T10:00:00Z', mergeCommitSha: sha('a') });
  // PB (Ann): no commit known, opened 03-04 09:00, merged 03-05 09:00; D3 failed; D4 (commit of 03-06 10:00) 03-06 12:00: 51 h, W1 alpha.
  await pr({ repositoryId: r1.id, authorId: ann.id, createdAt: '2026-03-04T09:00:00Z', mergedAt: '2026-03-05T09:00:00Z', mergeCommitSha: sha('1') });
  // PC (Bob, beta since 03-05): merged 03-06 11:00, after D4's commit (10:00): not in D4, nor in D5 (rollback);
  // D7 03-11 09:00 − first commit 03-05 12:00 = 141 h, W2 beta.
  await pr({ repositoryId: r1.id, authorId: bob.id, firstCommitAt: '2026-03-05T12:00:00Z', createdAt: '2026-03-05T13:00:00Z', mergedAt: '2026-03-06T11:00:00Z', mergeCommitSha: sha('2') });
  // PD (Bob, r2): R2 03-11 12:00 − first commit 03-09 10:00 = 50 h, W2 beta.
  await pr({ repositoryId: r2.id, authorId: bob.id, firstCommitAt: '2026-03-09T10:00:00Z', createdAt: '2026-03-09T11:00:00Z', mergedAt: '2026-03-10T12:00:00Z' });
  // The bot's PR would be in D1: excluded. PE merged after D7: not deployed yet. PF is open.
  await pr({ repositoryId: r1.id, authorId: bot.id, createdAt: '2026-03-02T09:00:00Z', mergedAt: '2026-03-02T12:00:00Z' });
  await pr({ repositoryId: r1.id, authorId: ann.id, createdAt: '2026-03-11T09:30:00Z', mergedAt: '2026-03-11T10:00:00Z' });
  await pr({ repositoryId: r1.id, authorId: ann.id, createdAt: '2026-03-02T09:00:00Z', mergedAt: null });

  let key = 0;
  const ticket = (t: { key?: string; source?: 'jira' | 'github'; type: string; createdAt: string; doneAt?: string }) =>
    db().ticket.create({
      data: {
        orgId, source: t.source ?? 'jira', externalId: String(++key), key: t.key ?? `OPS-${key}`, title: `T${key}`, type: t.type,
        statusCategory: t.doneAt ? 'done' : 'todo', createdAt: T(t.createdAt), doneAt: t.doneAt ? T(t.doneAt) : null,
      },
    });
  // I1: after D1 (the latest production deployment then, org-wide): D1 failed; restored in 4 h, W1 alpha.
  await ticket({ type: 'Incident', createdAt: '2026-03-03T15:00:00Z', doneAt: '2026-03-03T19:00:00Z' });
  // I2: an issue of r2, which had no production deployment yet: the org's latest, D6 (r3), failed; 24 h, W2 org only.
  await ticket({ source: 'github', key: 'o/r2#5', type: 'incident', createdAt: '2026-03-09T08:00:00Z', doneAt: '2026-03-10T08:00:00Z' });
  // I3: an issue of r1: its own latest deployment D7 (not R2 of r2, later): D7 failed; still open.
  await ticket({ source: 'github', key: 'o/r1#7', type: 'incident', createdAt: '2026-03-12T09:00:00Z' });
  // A bug is not an incident: D4 did not fail.
  await ticket({ type: 'Bug', createdAt: '2026-03-06T13:00:00Z', doneAt: '2026-03-06T14:00:00Z' });
  // I5: before any deployment: no failed deployment; restored 03-01 00:00 → 03-02 12:00 = 36 h, W1 org only.
  await ticket({ type: 'INCIDENT', createdAt: '2026-03-01T00:00:00Z', doneAt: '2026-03-02T12:00:00Z' });

  const { token } = await createIngestToken({ orgId, name: 'reader', scopes: ['metrics:read'] });
  return { org, alpha, beta, authorization: `Bearer ${token}` };
}

type Planted = Awaited<ReturnType<typeof plant>>;

async function compute(p: Planted) {
  const byScope = await computeWeeks({ db: db(), orgId: p.org.id, timeZone: p.org.timeZone, cycleTimeStart: 'in_progress', countWeakAiSignals: false, weeks: [W1, W2, W3] });
  return (scope: string, week: string) => byScope.get(scope)?.get(week);
}

describe('DORA figures on a planted dataset', () => {
  test('deployments: successful production deployments, else releases, for the repository default team', async () => {
    const p = await plant();
    const at = await compute(p);
    expect(at(p.alpha.id, W1)).toMatchObject({ deployments: 2 }); // D1, D4 (not D2 staging, D3 failed, r1's release)
    expect(at(p.alpha.id, W2)).toMatchObject({ deployments: 2 }); // D5, D7
    expect(at(p.beta.id, W2)).toMatchObject({ deployments: 1 }); // R2 (not the pre-release, not staging)
    expect(at(ORG_SCOPE, W1)).toMatchObject({ deployments: 3 }); // D1, D4, D6
    expect(at(ORG_SCOPE, W2)).toMatchObject({ deployments: 3 }); // D5, D7, R2
  });

  test('lead time for changes: first commit → first production deployment including the merge', async () => {
    const p = await plant();
    const at = await compute(p);
    expect(at(p.alpha.id, W1)).toMatchObject({ leadTimeP50Hours: 39.5 }); // PA 28, PB 51: (28 + 51) / 2
    expect(at(ORG_SCOPE, W1)).toMatchObject({ leadTimeP50Hours: 39.5 });
    expect(at(p.alpha.id, W2)).toMatchObject({ leadTimeP50Hours: null }); // D5, D7 deployed no alpha PR first
    expect(at(p.beta.id, W2)).toMatchObject({ leadTimeP50Hours: 95.5 }); // PC 141, PD 50: (50 + 141) / 2
    expect(at(ORG_SCOPE, W2)).toMatchObject({ leadTimeP50Hours: 95.5 });
  });

  test('change failure rate: deployments that an incident followed', async () => {
    const p = await plant();
    const at = await compute(p);
    expect(at(p.alpha.id, W1)).toMatchObject({ changeFailureRate: 0.5 }); // D1 (I1) of D1, D4
    expect(at(p.alpha.id, W2)).toMatchObject({ changeFailureRate: 0.5 }); // D7 (I3) of D5, D7
    expect(at(p.beta.id, W2)).toMatchObject({ changeFailureRate: 0 }); // R2, no incident
    expect(at(ORG_SCOPE, W1)).toMatchObject({ changeFailureRate: 2 / 3 }); // D1, D6 (I2) of D1, D4, D6
    expect(at(ORG_SCOPE, W2)).toMatchObject({ changeFailureRate: 1 / 3 }); // D7 of D5, D7, R2
  });

  test('time to restore: incident created → done, in the done week, for the team of the deployment it followed', async () => {
    const p = await plant();
    const at = await compute(p);
    expect(at(p.alpha.id, W1)).toMatchObject({ timeToRestoreP50Hours: 4 }); // I1
    expect(at(ORG_SCOPE, W1)).toMatchObject({ timeToRestoreP50Hours: 20 }); // I1 4, I5 36: (4 + 36) / 2
    expect(at(ORG_SCOPE, W2)).toMatchObject({ timeToRestoreP50Hours: 24 }); // I2 (I3 still open)
    expect(at(p.alpha.id, W2)).toMatchObject({ timeToRestoreP50Hours: null });
  });

  test('weeks follow the org time zone', async () => {
    const p = await plant({ timeZone: 'Asia/Tokyo' });
    const at = await compute(p);
    // D6 (Sunday 23:30 UTC) is Monday 08:30 in Tokyo: W2.
    expect(at(ORG_SCOPE, W1)).toMatchObject({ deployments: 2, changeFailureRate: 0.5 }); // D1 (failed), D4
    expect(at(ORG_SCOPE, W2)).toMatchObject({ deployments: 4, changeFailureRate: 0.5 }); // D5, D6 (failed), D7 (failed), R2
  });

  test('the API reports the figures, with an empty week as 0 and null', async () => {
    const p = await plant();
    const res = await GET(new Request(`http://test/api/orgs/${p.org.slug}/metrics/weekly?from=${W1}&to=${W3}`, { headers: { authorization: p.authorization } }), {
      params: Promise.resolve({ org: p.org.slug }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.weeks).toMatchObject([
      { weekStart: W1, deployments: 3, leadTimeP50Hours: 39.5, changeFailureRate: 2 / 3, timeToRestoreP50Hours: 20 },
      { weekStart: W2, deployments: 3, leadTimeP50Hours: 95.5, changeFailureRate: 1 / 3, timeToRestoreP50Hours: 24 },
      { weekStart: W3, deployments: 0, leadTimeP50Hours: null, changeFailureRate: null, timeToRestoreP50Hours: null },
    ]);
  });

  test('rollups follow rows that count in another row\'s week: a later incident, a late pull request, a first deployment', async () => {
    const p = await plant();
    expect(await rebuildOrgRollups(p.org, T('2026-03-20T00:00:00Z'))).toEqual({ weeks: 4 }); // 2026-02-23 (I5, Sunday 03-01) to W3
    const orgId = p.org.id;
    const rollup = async (scope: string, week: string) => {
      await refreshOrgRollups(p.org);
      expect(await db().rollupDirtyDay.count({ where: { orgId } })).toBe(0);
      return (await readWeekFigures(p.org, scope, [week])).get(week);
    };
    // An issue of r1 filed Monday of W2 follows r1's latest deployment, D4 (Friday of W1): alpha W1 becomes 2 of 2 failed.
    await db().ticket.create({ data: { orgId, source: 'github', externalId: 'late', key: 'o/r1#99', title: 'late', type: 'incident', statusCategory: 'todo', createdAt: T('2026-03-09T01:00:00Z') } });
    expect(await rollup(p.alpha.id, W1)).toMatchObject({ deployments: 2, changeFailureRate: 1 });
    // A PR of r1 stored late (opened and merged Sunday 03-08, W1) is first in D7 (W2): alpha W2 lead time 03-11 09:00 − 03-08 09:00 = 72 h.
    const r1 = await db().repository.findFirstOrThrow({ where: { orgId, name: 'r1' } });
    await db().pullRequest.create({ data: { orgId, repositoryId: r1.id, number: 99, title: 'late', state: 'merged', createdAt: T('2026-03-08T09:00:00Z'), mergedAt: T('2026-03-08T10:00:00Z') } });
    expect(await rollup(p.alpha.id, W2)).toMatchObject({ leadTimeP50Hours: 72 });
    // r2's first production deployment (failed, W3): its releases stop counting, R2 of W2 included.
    const r2 = await db().repository.findFirstOrThrow({ where: { orgId, name: 'r2' } });
    await db().deployment.create({ data: { orgId, repositoryId: r2.id, externalId: '9', environment: 'production', status: 'failure', createdAt: T('2026-03-17T00:00:00Z'), sha: sha('9') } });
    expect(await rollup(ORG_SCOPE, W2)).toMatchObject({ deployments: 2 }); // D5, D7
  });
});
