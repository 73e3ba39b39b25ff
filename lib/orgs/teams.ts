import { db } from '../db/client.ts';
import { AppError } from '../http/errors.ts';

/** The org's team with this slug; another org's team looks missing. */
export async function getTeamBySlug({ orgId, slug }: { orgId: string; slug: string }) {
  const team = await db().team.findFirst({ where: { orgId, slug } });
  if (!team) throw new AppError('not_found', `Team '${slug}' not found`);
  return team;
}

export async function listTeams({ orgId }: { orgId: string }) {
  return db().team.findMany({ where: { orgId }, orderBy: { name: 'asc' } });
}
