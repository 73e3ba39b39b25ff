import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { createTeam, listTeamSummaries } from '@/lib/orgs/team-admin.ts';
import { createTeamSchema } from '@/lib/orgs/team-schemas.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/teams: the org's teams with current member and repository counts (admins)
export const GET = withOrg({ role: 'admin' }, async ({ org }) => Response.json({ teams: await listTeamSummaries({ orgId: org.id }) }));

// POST /api/orgs/[org]/settings/teams: create a team { name, slug? } (admins); 201 with the team
export const POST = withOrg({ role: 'admin', body: createTeamSchema }, async ({ org, actor, body }) => {
  const team = await createTeam({ orgId: org.id, ...body, actorUserId: actorUserId(actor) });
  return Response.json({ team: { id: team.id, slug: team.slug, name: team.name } }, { status: 201 });
});
