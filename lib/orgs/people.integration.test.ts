import { describe, expect, test } from 'vitest';
import { db } from '../db/client.ts';
import { getWeeklyMetrics } from '../metrics/weekly.ts';
import { randomSlug } from '../../test/factories.ts';
import { mergePeople, searchPeople, setPersonBot } from './people.ts';

const newOrg = () => db().organization.create({ data: { slug: randomSlug(), name: 'People' } });

describe('mergePeople', () => {
  test("moves every row of one identity's person to the other and deletes it", async () => {
    const org = await newOrg();
    const orgId = org.id;
    const [gh, mail] = await Promise.all([db().person.create({ data: { orgId, displayName: 'ann-gh' } }), db().person.create({ data: { orgId, displayName: 'Ann' } })]);
    await db().identity.createMany({ data: [{ orgId, personId: gh.id, provider: 'github', externalId: '1', login: 'ann' }, { orgId, personId: mail.id, provider: 'git_email', externalId: 'ann@example.com' }] });
    const team = await db().team.create({ data: { orgId, slug: 't', name: 'T' } });
    await db().teamMembership.create({ data: { orgId, teamId: team.id, personId: mail.id, validFrom: new Date('2026-01-01') } });
    const repo = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r' } });
    await db().commit.create({ data: { orgId, repositoryId: repo.id, sha: 'a'.repeat(40), authorId: mail.id, authoredAt: new Date(), committedAt: new Date(), message: 'm' } });

    await mergePeople({ orgId, into: gh.id, from: mail.id });
    expect(await db().person.findMany({ where: { orgId }, select: { id: true } })).toEqual([{ id: gh.id }]);
    expect(await db().identity.count({ where: { orgId, personId: gh.id } })).toBe(2);
    expect(await db().teamMembership.findFirstOrThrow({ where: { orgId } })).toMatchObject({ personId: gh.id });
    expect(await db().commit.findFirstOrThrow({ where: { orgId } })).toMatchObject({ authorId: gh.id });
    expect(await db().auditLogEntry.findFirstOrThrow({ where: { orgId } })).toMatchObject({
      action: 'person.merge',
      target: `person:${gh.id}`,
      detail: { merged: mail.id, mergedName: 'Ann', intoName: 'ann-gh' },
    });
  });

  test("another org's person looks missing; a person cannot merge into itself", async () => {
    const [a, b] = await Promise.all([newOrg(), newOrg()]);
    const pa = await db().person.create({ data: { orgId: a.id, displayName: 'A' } });
    const pb = await db().person.create({ data: { orgId: b.id, displayName: 'B' } });
    await expect(mergePeople({ orgId: a.id, into: pa.id, from: pb.id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(mergePeople({ orgId: a.id, into: pa.id, from: pa.id })).rejects.toMatchObject({ code: 'bad_request' });
    expect(await db().person.count({ where: { id: { in: [pa.id, pb.id] } } })).toBe(2);
  });
});

describe('searchPeople', () => {
  async function orgWithPeople() {
    const org = await newOrg();
    const orgId = org.id;
    const ann = await db().person.create({ data: { orgId, displayName: 'Ann Lee', email: 'ann@acme.com' } });
    const stray = await db().person.create({ data: { orgId, displayName: 'Al Stray' } });
    const bot = await db().person.create({ data: { orgId, displayName: 'dependabot[bot]', isBot: true } });
    await db().identity.createMany({
      data: [
        { orgId, personId: ann.id, provider: 'github', externalId: '7', login: 'annl' },
        { orgId, personId: stray.id, provider: 'git_email', externalId: 'x_y@laptop.local', email: 'x_y@laptop.local' },
        { orgId, personId: bot.id, provider: 'github', externalId: '49699333', login: 'dependabot[bot]' },
      ],
    });
    const repo = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r' } });
    await db().pullRequest.create({ data: { orgId, repositoryId: repo.id, number: 1, title: 't', authorId: ann.id, state: 'open', createdAt: new Date() } });
    return { orgId, ann, stray, bot };
  }

  test('matches name, email, login or identity address, case-insensitively, with the identities and activity', async () => {
    const { orgId, ann, stray } = await orgWithPeople();
    const byLogin = await searchPeople({ orgId, q: 'ANNL', kind: 'all', limit: 50 });
    expect(byLogin).toEqual({
      total: 1,
      people: [{ id: ann.id, displayName: 'Ann Lee', email: 'ann@acme.com', isBot: false, identities: [{ id: expect.any(String), provider: 'github', externalId: '7', login: 'annl', email: null }], activity: { pullRequests: 1, commits: 0, reviews: 0 } }],
    });
    expect((await searchPeople({ orgId, q: 'laptop.local', kind: 'all', limit: 50 })).people.map((p) => p.id)).toEqual([stray.id]);
    // LIKE wildcards in the search are plain characters.
    expect((await searchPeople({ orgId, q: 'x_y', kind: 'all', limit: 50 })).people.map((p) => p.id)).toEqual([stray.id]);
    expect((await searchPeople({ orgId, q: 'a_n', kind: 'all', limit: 50 })).total).toBe(0);
    expect((await searchPeople({ orgId, q: '%', kind: 'all', limit: 50 })).total).toBe(0);
  });

  test('filters engineers or bots, and limits the page but counts every match', async () => {
    const { orgId, bot } = await orgWithPeople();
    expect((await searchPeople({ orgId, kind: 'bots', limit: 50 })).people.map((p) => p.id)).toEqual([bot.id]);
    expect((await searchPeople({ orgId, kind: 'engineers', limit: 50 })).people.map((p) => p.displayName)).toEqual(['Al Stray', 'Ann Lee']);
    const page = await searchPeople({ orgId, kind: 'all', limit: 2 });
    expect({ names: page.people.map((p) => p.displayName), total: page.total }).toEqual({ names: ['Al Stray', 'Ann Lee'], total: 3 });
  });

  test("never answers another org's people", async () => {
    await orgWithPeople();
    const empty = await newOrg();
    expect(await searchPeople({ orgId: empty.id, q: 'ann', kind: 'all', limit: 50 })).toEqual({ people: [], total: 0 });
  });
});

describe('setPersonBot', () => {
  test("a person marked as bot drops out of the metrics at once, audited once; unmarking brings them back", async () => {
    const org = await newOrg();
    const orgId = org.id;
    const person = await db().person.create({ data: { orgId, displayName: 'ci-runner' } });
    const repo = await db().repository.create({ data: { orgId, provider: 'github', owner: 'o', name: 'r' } });
    await db().pullRequest.create({ data: { orgId, repositoryId: repo.id, number: 1, title: 't', authorId: person.id, state: 'merged', createdAt: new Date('2026-03-02T09:00:00Z'), mergedAt: new Date('2026-03-03T09:00:00Z') } });
    const prsMerged = async () => (await getWeeklyMetrics({ org, query: { from: '2026-03-02', to: '2026-03-02' } })).weeks[0]!.prsMerged;
    expect(await prsMerged()).toBe(1);

    expect(await setPersonBot({ orgId, personId: person.id, isBot: true, actorUserId: null })).toMatchObject({ id: person.id, isBot: true });
    await setPersonBot({ orgId, personId: person.id, isBot: true, actorUserId: null }); // no change: no second entry
    expect(await prsMerged()).toBe(0);
    await setPersonBot({ orgId, personId: person.id, isBot: false, actorUserId: null });
    expect(await prsMerged()).toBe(1);
    const entries = await db().auditLogEntry.findMany({ where: { orgId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { action: true, target: true, detail: true } });
    expect(entries).toEqual([
      { action: 'person.bot_set', target: `person:${person.id}`, detail: { name: 'ci-runner', isBot: true } },
      { action: 'person.bot_set', target: `person:${person.id}`, detail: { name: 'ci-runner', isBot: false } },
    ]);
  });

  test("another org's person or an unknown id is not found, and unchanged", async () => {
    const [a, b] = await Promise.all([newOrg(), newOrg()]);
    const pb = await db().person.create({ data: { orgId: b.id, displayName: 'B' } });
    await expect(setPersonBot({ orgId: a.id, personId: pb.id, isBot: true, actorUserId: null })).rejects.toMatchObject({ code: 'not_found', message: 'Person not found' });
    await expect(setPersonBot({ orgId: a.id, personId: 'nope', isBot: true, actorUserId: null })).rejects.toMatchObject({ code: 'not_found' });
    expect(await db().person.findUniqueOrThrow({ where: { orgId_id: { orgId: b.id, id: pb.id } } })).toMatchObject({ isBot: false });
  });
});
