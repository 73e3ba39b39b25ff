import { recordAudit } from '../audit/audit-log.ts';
import { db } from '../db/client.ts';
import { AppError } from '../http/errors.ts';

export async function listPeople({ orgId }: { orgId: string }) {
  return db().person.findMany({ where: { orgId }, include: { identities: true }, orderBy: { displayName: 'asc' } });
}

/**
 * Merges person `from` into person `into` (the same engineer under two identities): every
 * identity, change, review, comment, membership, ticket and AI usage row of `from` moves to
 * `into`, then `from` is deleted. Both must be the org's.
 */
export async function mergePeople({ orgId, into, from, actorUserId = null }: { orgId: string; into: string; from: string; actorUserId?: string | null }) {
  if (into === from) throw new AppError('bad_request', 'Cannot merge a person into itself');
  const people = await db().person.findMany({ where: { orgId, id: { in: [into, from] } } });
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
  await recordAudit({ orgId, actorUserId, action: 'person.merge', target: `person:${into}`, detail: { merged: from } });
}
