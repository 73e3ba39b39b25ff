import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { addMembership, listTeamMemberships } from '@/lib/orgs/team-admin.ts';
import { addMembershipSchema } from '@/lib/orgs/team-schemas.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/teams/[teamId]/memberships: the team's memberships with their days (admins)
export const GET = withOrg({ role: 'admin' }, async ({ org, params }) => Response.json({ memberships: await listTeamMemberships({ org, teamId: params.teamId! }) }));

// POST /api/orgs/[org]/settings/teams/[teamId]/memberships: add a person from a day { personId, from, endCurrent } (admins); 201
export const POST = withOrg({ role: 'admin', body: addMembershipSchema }, async ({ org, actor, params, body }) =>
  Response.json(await addMembership({ org, teamId: params.teamId!, ...body, actorUserId: actorUserId(actor) }), { status: 201 }),
);
