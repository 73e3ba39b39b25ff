import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { setPersonBotSchema } from '@/lib/orgs/people-schemas.ts';
import { setPersonBot } from '@/lib/orgs/people.ts';

export const dynamic = 'force-dynamic';

// PATCH /api/orgs/[org]/settings/people/[personId]: mark or unmark a person as a bot (admins)
export const PATCH = withOrg({ role: 'admin', body: setPersonBotSchema }, async ({ org, actor, params, body }) => {
  const person = await setPersonBot({ orgId: org.id, personId: params.personId!, isBot: body.isBot, actorUserId: actorUserId(actor) });
  return Response.json({ person });
});
