import { db } from '../db/client.ts';
import { AppError } from '../http/errors.ts';

export type Org = Awaited<ReturnType<typeof getOrgBySlug>>;

/** The org with this slug; not_found when there is none. */
export async function getOrgBySlug(slug: string) {
  const org = await db().organization.findUnique({ where: { slug } });
  if (!org) throw new AppError('not_found', `Organization '${slug}' not found`);
  return org;
}
