import { db } from '../db/client.ts';
import { AppError } from '../http/errors.ts';
import { consumeRateLimit } from '../http/rate-limit.ts';
import { getOrgBySlug, type Org } from '../orgs/get-org-by-slug.ts';
import { getSessionUser, sessionTokenFrom } from './sessions.ts';
import { authenticateToken, bearerToken, type TokenScope } from './tokens.ts';

export type Role = 'owner' | 'admin' | 'member';
const RANK: Record<Role, number> = { member: 1, admin: 2, owner: 3 };

export interface AccessRequirement {
  /** What a signed-in user needs. */
  role: Role;
  /** What a machine token needs; a route without one refuses tokens. */
  scope?: TokenScope;
}

export type Actor = { kind: 'user'; userId: string; role: Role } | { kind: 'token'; tokenId: string };

/** The acting user's id, for audit entries; null when a token acts. */
export function actorUserId(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.userId : null;
}

export interface OrgAccess {
  org: Org;
  actor: Actor;
}

function notFound(slug: string): AppError {
  return new AppError('not_found', `Organization '${slug}' not found`);
}

/**
 * The one access seam, for route handlers and server components alike. Authenticates first (no
 * or bad credentials: 401, whatever the org, so nothing is learnt about which orgs exist), then
 * resolves the org named in the URL and checks the caller's right in it:
 * - bearer token: must belong to this org (else 404) and carry the route's scope (else 403);
 * - session: must have been signed in for this org and its user be a member (else 404), with at
 *   least the route's role (else 403).
 */
export async function resolveOrgAccess({ headers, slug, need }: { headers: Headers; slug: string; need: AccessRequirement }): Promise<OrgAccess> {
  const token = bearerToken(headers);
  if (token !== null) {
    const record = await authenticateToken(token);
    await consumeRateLimit('token', record.id);
    const org = await getOrgBySlug(slug).catch(() => null);
    if (!org || org.id !== record.orgId) throw notFound(slug);
    if (!need.scope || !record.scopes.includes(need.scope)) {
      throw new AppError('forbidden', `This token lacks the scope this route needs${need.scope ? ` (${need.scope})` : ''}`);
    }
    return { org, actor: { kind: 'token', tokenId: record.id } };
  }
  const sessionToken = sessionTokenFrom(headers);
  const user = sessionToken ? await getSessionUser(sessionToken) : null;
  if (!user) throw new AppError('unauthorized', 'Sign in, or send an ingest token as "Authorization: Bearer <token>"');
  const org = await getOrgBySlug(slug).catch(() => null);
  // A session opens only the org it was signed in for, whatever else its user belongs to.
  const membership = org && org.id === user.orgId && (await db().membership.findUnique({ where: { orgId_userId: { orgId: org.id, userId: user.userId } } }));
  if (!org || !membership) throw notFound(slug);
  if (RANK[membership.role] < RANK[need.role]) throw new AppError('forbidden', `This needs the ${need.role} role`);
  return { org, actor: { kind: 'user', userId: user.userId, role: membership.role } };
}
