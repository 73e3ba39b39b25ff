import { recordAudit } from '../audit/audit-log.ts';
import { db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { AppError } from '../http/errors.ts';
import { isId } from '../db/ids.ts';
import type { PeoplePage, PeopleQuery, PersonSummary } from './people-schemas.ts';

export async function listPeople({ orgId }: { orgId: string }) {
  return db().person.findMany({ where: { orgId }, include: { identities: true }, orderBy: { displayName: 'asc' } });
}

function peopleWhere(orgId: string, { q, kind }: Pick<PeopleQuery, 'q' | 'kind'>): Prisma.PersonWhereInput {
  // Prisma passes `contains` into LIKE as is: escape its wildcards so "%" and "_" are plain text.
  const text = q ? { contains: q.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' as const } : undefined;
  return {
    orgId,
    ...(kind === 'all' ? {} : { isBot: kind === 'bots' }),
    ...(text && {
      OR: [{ displayName: text }, { email: text }, { identities: { some: { OR: [{ login: text }, { email: text }, { externalId: text }] } } }],
    }),
  };
}

const summarySelect = {
  id: true,
  displayName: true,
  email: true,
  isBot: true,
  identities: { select: { id: true, provider: true, externalId: true, login: true, email: true }, orderBy: [{ provider: 'asc' }, { externalId: 'asc' }] },
  _count: { select: { pullRequests: true, commitsAuthored: true, reviews: true } },
} satisfies Prisma.PersonSelect;

function toSummary({ _count, ...person }: Prisma.PersonGetPayload<{ select: typeof summarySelect }>): PersonSummary {
  return { ...person, activity: { pullRequests: _count.pullRequests, commits: _count.commitsAuthored, reviews: _count.reviews } };
}

/** The org's people matching a name, email or login (orgs have hundreds), first `limit` by name. */
export async function searchPeople({ orgId, q, kind, limit }: { orgId: string } & PeopleQuery): Promise<PeoplePage> {
  const where = peopleWhere(orgId, { q, kind });
  const [people, total] = await Promise.all([
    db().person.findMany({ where, select: summarySelect, orderBy: [{ displayName: 'asc' }, { id: 'asc' }], take: limit }),
    db().person.count({ where }),
  ]);
  return { people: people.map(toSummary), total };
}

/**
 * Marks a person as a bot or not. Metrics read the flag at query time, so every week's figures
 * change at once: a bot's pull requests and commits, and tickets its pull request closed, drop out.
 */
export async function setPersonBot({ orgId, personId, isBot, actorUserId }: { orgId: string; personId: string; isBot: boolean; actorUserId: string | null }): Promise<PersonSummary> {
  if (!isId(personId)) throw new AppError('not_found', 'Person not found');
  // Conditional update: no read-then-write race with a merge deleting the person, and no audit
  // entry when nothing changed.
  const { count } = await db().person.updateMany({ where: { orgId, id: personId, isBot: !isBot }, data: { isBot } });
  const person = await db().person.findFirst({ where: { orgId, id: personId }, select: summarySelect });
  if (!person) throw new AppError('not_found', 'Person not found');
  if (count > 0) await recordAudit({ orgId, actorUserId, action: 'person.bot_set', target: `person:${personId}`, detail: { name: person.displayName, isBot } });
  return toSummary(person);
}

/**
 * Merges person `from` into person `into` (the same engineer under two identities): every
 * identity, change, review, comment, membership, ticket and AI usage row of `from` moves to
 * `into`, then `from` is deleted. Both must be the org's.
 */
export async function mergePeople({ orgId, into, from, actorUserId = null }: { orgId: string; into: string; from: string; actorUserId?: string | null }) {
  if (into === from) throw new AppError('bad_request', 'Cannot merge a person into itself');
  const people = await db().person.findMany({ where: { orgId, id: { in: [into, from] } }, select: { id: true, displayName: true } });
  if (people.length !== 2) throw new AppError('not_found', 'Person not found');
  await db().$transaction(async (tx) => {
    const where = { orgId, personId: from };
    await tx.identity.updateMany({ where, data: { personId: into } });
    await tx.teamMembership.updateMany({ where, data: { personId: into } });
    await tx.aiUsageDaily.updateMany({ where, data: { personId: into } });
    await tx.pullRequest.updateMany({ where: { orgId, authorId: from }, data: { authorId: into } });
    await tx.commit.updateMany({ where: { orgId, authorId: from }, data: { authorId: into } });
    await tx.review.updateMany({ where: { orgId, reviewerId: from }, data: { reviewerId: into } });
    await tx.reviewComment.updateMany({ where: { orgId, authorId: from }, data: { authorId: into } });
    await tx.ticket.updateMany({ where: { orgId, assigneeId: from }, data: { assigneeId: into } });
    await tx.person.delete({ where: { orgId_id: { orgId, id: from } } });
  });
  // The merged person is gone: its name is kept in the entry so the log stays readable.
  const name = (id: string) => people.find((p) => p.id === id)!.displayName;
  await recordAudit({ orgId, actorUserId, action: 'person.merge', target: `person:${into}`, detail: { merged: from, mergedName: name(from), intoName: name(into) } });
}
