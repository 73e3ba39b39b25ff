import 'server-only';
import { notFound } from 'next/navigation';
import { AppError } from '../http/errors.ts';
import { getTeamBySlug } from '../orgs/teams.ts';
import { resolveOrgAccess } from './access.ts';

/** For server components: the org through the access seam, or Next's 404 page. */
export async function getOrgForPage(slug: string) {
  return notFoundOnAppError(() => resolveOrgAccess({ slug, need: { role: 'member' } }));
}

export async function getTeamForPage(orgId: string, slug: string) {
  return notFoundOnAppError(() => getTeamBySlug({ orgId, slug }));
}

async function notFoundOnAppError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  }
}
