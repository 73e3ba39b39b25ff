import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { setRepositoryTeam } from '@/lib/orgs/repositories.ts';
import { setRepositoryTeamSchema } from '@/lib/orgs/team-schemas.ts';

export const dynamic = 'force-dynamic';

// PATCH /api/orgs/[org]/settings/repositories/[repositoryId]: set its default team { defaultTeamId | null } (admins)
export const PATCH = withOrg({ role: 'admin', body: setRepositoryTeamSchema }, async ({ org, actor, params, body }) =>
  Response.json({ repository: await setRepositoryTeam({ orgId: org.id, repositoryId: params.repositoryId!, defaultTeamId: body.defaultTeamId, actorUserId: actorUserId(actor) }) }),
);
