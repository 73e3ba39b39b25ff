import { withOrg } from '@/lib/http/with-org.ts';
import { endMemberSessions } from '@/lib/settings/members.ts';

export const dynamic = 'force-dynamic';

// DELETE /api/orgs/[org]/settings/members/[userId]/sessions: sign a member out everywhere (admins)
export const DELETE = withOrg({ role: 'admin' }, async ({ org, actor, params }) => {
  const ended = await endMemberSessions({ orgId: org.id, userId: params.userId!, actor });
  return Response.json({ ended });
});
