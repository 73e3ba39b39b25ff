import { describe, expect, test } from 'vitest';
import { db } from '../db/client.ts';
import { randomSlug } from '../../test/factories.ts';
import { mergePeople } from './people.ts';

describe('mergePeople', () => {
  test("moves every row of one identity's person to the other and deletes it", async () => {
    const org = await db().organization.create({ data: { slug: randomSlug(), name: 'People' } });
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
    expect(await db().auditLogEntry.findFirstOrThrow({ where: { orgId } })).toMatchObject({ action: 'person.merge', detail: { merged: mail.id } });
  });

  test("another org's person looks missing; a person cannot merge into itself", async () => {
    const [a, b] = await Promise.all([1, 2].map(() => db().organization.create({ data: { slug: randomSlug(), name: 'x' } })));
    const pa = await db().person.create({ data: { orgId: a!.id, displayName: 'A' } });
    const pb = await db().person.create({ data: { orgId: b!.id, displayName: 'B' } });
    await expect(mergePeople({ orgId: a!.id, into: pa.id, from: pb.id })).rejects.toMatchObject({ code: 'not_found' });
    await expect(mergePeople({ orgId: a!.id, into: pa.id, from: pa.id })).rejects.toMatchObject({ code: 'bad_request' });
  });
});
