import { recordAudit } from '../audit/audit-log.ts';
import { db } from '../db/client.ts';
import { AppError } from '../http/errors.ts';
import type { RepositoryRow } from './team-schemas.ts';

// Each repository's default team: the team a change counts for when its author has no team
// membership at the time (docs/metrics.md). Changing it moves changes between teams in every
// week, so the trigger tl_stale drops the org's RollupState and the rollups are rebuilt whole
// (figures are computed live until then).

export async function listRepositories({ orgId }: { orgId: string }): Promise<RepositoryRow[]> {
  const repos = await db().repository.findMany({ where: { orgId }, orderBy: [{ owner: 'asc' }, { name: 'asc' }] });
  return repos.map((r) => ({ id: r.id, provider: r.provider, fullName: `${r.owner}/${r.name}`, url: r.url, defaultTeamId: r.defaultTeamId }));
}

export async function setRepositoryTeam({ orgId, repositoryId, defaultTeamId, actorUserId }: { orgId: string; repositoryId: string; defaultTeamId: string | null; actorUserId: string | null }): Promise<RepositoryRow> {
  const { before, after, teams } = await db().$transaction(async (tx) => {
    const before = await tx.repository.findFirst({ where: { orgId, id: repositoryId } });
    if (!before) throw new AppError('not_found', 'Repository not found');
    const ids = [before.defaultTeamId, defaultTeamId].filter((t): t is string => t !== null);
    const teams = new Map((await tx.team.findMany({ where: { orgId, id: { in: ids } }, select: { id: true, name: true } })).map((t) => [t.id, t.name]));
    if (defaultTeamId !== null && !teams.has(defaultTeamId)) throw new AppError('not_found', 'Team not found');
    const after = before.defaultTeamId === defaultTeamId ? before : await tx.repository.update({ where: { orgId_id: { orgId, id: repositoryId } }, data: { defaultTeamId } });
    return { before, after, teams };
  });
  if (before.defaultTeamId !== after.defaultTeamId) {
    const name = (id: string | null) => (id === null ? null : (teams.get(id) ?? null));
    await recordAudit({
      orgId, actorUserId, action: 'repository.team_set', target: `repository:${repositoryId}`,
      detail: { repository: `${after.owner}/${after.name}`, from: name(before.defaultTeamId), to: name(after.defaultTeamId) },
    });
  }
  return { id: after.id, provider: after.provider, fullName: `${after.owner}/${after.name}`, url: after.url, defaultTeamId: after.defaultTeamId };
}
