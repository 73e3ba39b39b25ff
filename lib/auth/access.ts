import { AppError } from '../http/errors.ts';
import { getOrgBySlug, type Org } from '../orgs/get-org-by-slug.ts';
import { authenticateToken, bearerToken, type TokenScope } from './tokens.ts';

export type Role = 'owner' | 'admin' | 'member';

export interface AccessRequirement {
  /** What a signed-in user needs. */
  role: Role;
  /** What a machine token needs; a route without one refuses tokens. */
  scope?: TokenScope;
}

function notFound(slug: string): AppError {
  return new AppError('not_found', `Organization '${slug}' not found`);
}

/**
 * The one access seam. Authenticates first (a bad token is 401 whatever the org), then resolves
 * the org named in the URL and checks the caller's right in it. An org the caller may not see
 * answers exactly as a missing one (404), so no caller learns which orgs exist.
 * - Bearer token: must belong to this org (else 404) and carry the route's scope (else 403).
 * - No credentials: until per-org sign-in lands, only demo orgs are readable, by anyone.
 */
export async function resolveOrgAccess({ request, slug, need }: { request?: Request; slug: string; need: AccessRequirement }): Promise<Org> {
  const token = request ? bearerToken(request) : null;
  if (token !== null) {
    const record = await authenticateToken(token);
    const org = await getOrgBySlug(slug).catch(() => null);
    if (!org || org.id !== record.orgId) throw notFound(slug);
    if (!need.scope || !record.scopes.includes(need.scope)) throw new AppError('forbidden', `This token lacks the scope this route needs${need.scope ? ` (${need.scope})` : ''}`);
    return org;
  }
  const org = await getOrgBySlug(slug);
  if (!org.isDemo || need.role !== 'member') throw notFound(slug);
  return org;
}
