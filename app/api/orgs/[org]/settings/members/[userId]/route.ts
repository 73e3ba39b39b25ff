import { withOrg } from '@/lib/http/with-org.ts';
import { changeMemberRole, memberRoleSchema, removeMember } from '@/lib/settings/members.ts';

export const dynamic = 'force-dynamic';

// PATCH /api/orgs/[org]/settings/members/[userId]: change a member's role (admins; owners for owners)
export const PATCH = withOrg({ role: 'admin', body: memberRoleSchema }, async ({ org, actor, params, body }) => {
  await changeMemberRole({ orgId: org.id, userId: params.userId!, role: body.role, actor });
  return new Response(null, { status: 204 });
});

// DELETE /api/orgs/[org]/settings/members/[userId]: remove a member; their access ends at once
export const DELETE = withOrg({ role: 'admin' }, async ({ org, actor, params }) => {
  await removeMember({ orgId: org.id, userId: params.userId!, actor });
  return new Response(null, { status: 204 });
});
