import { AppError } from '../http/errors.ts';
import { getOrgBySlug, type Org } from '../orgs/get-org-by-slug.ts';

export type Role = 'owner' | 'admin' | 'member';

/**
 * The one access seam: resolves the org named in the URL and decides whether the caller may act
 * in it with `role`. Until per-org sign-in lands, only demo orgs are readable, by anyone, and
 * nothing needs a higher role than member. Every other org answers exactly as a missing one
 * (404), so no caller learns which orgs exist.
 */
export async function resolveOrgAccess({ slug, role }: { request?: Request; slug: string; role: Role }): Promise<Org> {
  const org = await getOrgBySlug(slug);
  if (!org.isDemo || role !== 'member') throw new AppError('not_found', `Organization '${slug}' not found`);
  return org;
}
