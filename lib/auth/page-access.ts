import 'server-only';
import { headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { AppError } from '../http/errors.ts';
import { getTeamBySlug } from '../orgs/teams.ts';
import { resolveOrgAccess, type Role } from './access.ts';

/** For server components: the org through the access seam; signed out → its sign-in page, no access → 404. */
export async function getOrgForPage(slug: string, role: Role = 'member') {
  try {
    return await resolveOrgAccess({ headers: await headers(), slug, need: { role } });
  } catch (error) {
    if (error instanceof AppError && error.code === 'unauthorized') redirect(`/${encodeURIComponent(slug)}/sign-in`);
    if (error instanceof AppError && (error.code === 'not_found' || error.code === 'forbidden')) notFound();
    throw error;
  }
}

export async function getTeamForPage(orgId: string, slug: string) {
  try {
    return await getTeamBySlug({ orgId, slug });
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  }
}
