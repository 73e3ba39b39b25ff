import { z } from 'zod';
import { recordAudit } from '../audit/audit-log.ts';
import { actorUserId, type Actor, type Role } from '../auth/access.ts';
import { db } from '../db/client.ts';
import { AppError } from '../http/errors.ts';

export const memberRoleSchema = z.object({ role: z.enum(['owner', 'admin', 'member']) });

export async function listMembers({ orgId }: { orgId: string }) {
  const rows = await db().membership.findMany({ where: { orgId }, include: { user: true }, orderBy: { createdAt: 'asc' } });
  return rows.map((m) => ({ userId: m.userId, email: m.user.email, name: m.user.name, role: m.role, since: m.createdAt }));
}

/** Owners are managed by owners only, and an org always keeps at least one owner. */
async function assertMayChange({ orgId, actor, currentRole, nextRole }: { orgId: string; actor: Actor; currentRole: Role; nextRole: Role | null }) {
  const touchesOwner = currentRole === 'owner' || nextRole === 'owner';
  if (touchesOwner && !(actor.kind === 'user' && actor.role === 'owner')) throw new AppError('forbidden', 'Only an owner can change an owner or make one');
  if (currentRole === 'owner' && nextRole !== 'owner' && (await db().membership.count({ where: { orgId, role: 'owner' } })) <= 1) {
    throw new AppError('conflict', 'The organization must keep at least one owner');
  }
}

async function getMembership(orgId: string, userId: string) {
  const membership = await db().membership.findUnique({ where: { orgId_userId: { orgId, userId } } });
  if (!membership) throw new AppError('not_found', 'Member not found');
  return membership;
}

export async function changeMemberRole({ orgId, userId, role, actor }: { orgId: string; userId: string; role: Role; actor: Actor }) {
  const membership = await getMembership(orgId, userId);
  await assertMayChange({ orgId, actor, currentRole: membership.role, nextRole: role });
  await db().membership.update({ where: { orgId_userId: { orgId, userId } }, data: { role } });
  await recordAudit({ orgId, actorUserId: actorUserId(actor), action: 'member.role_change', target: `member:${userId}`, detail: { from: membership.role, to: role } });
}

/**
 * Removes the membership: the person's next request to this org is refused, and the API and
 * ingest tokens they created are revoked with it (a token checks its revocation on every request).
 */
export async function removeMember({ orgId, userId, actor }: { orgId: string; userId: string; actor: Actor }) {
  const membership = await getMembership(orgId, userId);
  await assertMayChange({ orgId, actor, currentRole: membership.role, nextRole: null });
  const [, tokens] = await db().$transaction([
    db().membership.delete({ where: { orgId_userId: { orgId, userId } } }),
    db().ingestToken.updateMany({ where: { orgId, createdById: userId, revokedAt: null }, data: { revokedAt: new Date() } }),
  ]);
  await recordAudit({ orgId, actorUserId: actorUserId(actor), action: 'member.remove', target: `member:${userId}`, detail: { role: membership.role, tokensRevoked: tokens.count } });
}

/** Ends every session of a member of this org (they must sign in again); answers how many ended. */
export async function endMemberSessions({ orgId, userId, actor }: { orgId: string; userId: string; actor: Actor }): Promise<number> {
  const membership = await getMembership(orgId, userId);
  if (membership.role === 'owner' && !(actor.kind === 'user' && actor.role === 'owner')) throw new AppError('forbidden', "Only an owner can end an owner's sessions");
  const { count } = await db().session.deleteMany({ where: { userId } });
  await recordAudit({ orgId, actorUserId: actorUserId(actor), action: 'member.sessions_end', target: `member:${userId}`, detail: { sessions: count } });
  return count;
}
