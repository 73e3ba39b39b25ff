import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { deleteMembership, updateMembership } from '@/lib/orgs/team-admin.ts';
import { updateMembershipSchema } from '@/lib/orgs/team-schemas.ts';

export const dynamic = 'force-dynamic';

// PATCH /api/orgs/[org]/settings/teams/[teamId]/memberships/[membershipId]: set the first and/or last day { from?, to? } (admins)
export const PATCH = withOrg({ role: 'admin', body: updateMembershipSchema }, async ({ org, actor, params, body }) =>
  Response.json({ membership: await updateMembership({ org, teamId: params.teamId!, membershipId: params.membershipId!, ...body, actorUserId: actorUserId(actor) }) }),
);

// DELETE /api/orgs/[org]/settings/teams/[teamId]/memberships/[membershipId]: remove a membership entered by mistake (admins)
export const DELETE = withOrg({ role: 'admin' }, async ({ org, actor, params }) => {
  await deleteMembership({ org, teamId: params.teamId!, membershipId: params.membershipId!, actorUserId: actorUserId(actor) });
  return new Response(null, { status: 204 });
});
