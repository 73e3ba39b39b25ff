import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { deleteTeam, renameTeam } from '@/lib/orgs/team-admin.ts';
import { renameTeamSchema } from '@/lib/orgs/team-schemas.ts';

export const dynamic = 'force-dynamic';

// PATCH /api/orgs/[org]/settings/teams/[teamId]: rename a team { name }; its slug stays (admins)
export const PATCH = withOrg({ role: 'admin', body: renameTeamSchema }, async ({ org, actor, params, body }) => {
  const team = await renameTeam({ orgId: org.id, teamId: params.teamId!, name: body.name, actorUserId: actorUserId(actor) });
  return Response.json({ team: { id: team.id, slug: team.slug, name: team.name } });
});

// DELETE /api/orgs/[org]/settings/teams/[teamId]: delete a team and its memberships; 409 when it has reviews or annotations (admins)
export const DELETE = withOrg({ role: 'admin' }, async ({ org, actor, params }) => Response.json({ deleted: await deleteTeam({ orgId: org.id, teamId: params.teamId!, actorUserId: actorUserId(actor) }) }));
