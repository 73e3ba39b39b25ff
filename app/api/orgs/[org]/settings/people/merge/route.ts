import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { mergePeopleSchema } from '@/lib/orgs/people-schemas.ts';
import { mergePeople } from '@/lib/orgs/people.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/settings/people/merge: move everything of person `from` to `into`, delete `from` (admins)
export const POST = withOrg({ role: 'admin', body: mergePeopleSchema }, async ({ org, actor, body }) => {
  await mergePeople({ orgId: org.id, ...body, actorUserId: actorUserId(actor) });
  return new Response(null, { status: 204 });
});
