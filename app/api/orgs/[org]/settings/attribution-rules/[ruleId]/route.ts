import { actorUserId } from '@/lib/auth/access.ts';
import { deleteAttributionRule } from '@/lib/attribution/manage-rules.ts';
import { withOrg } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// DELETE /api/orgs/[org]/settings/attribution-rules/[ruleId]: delete a rule; ingestion stops applying it at once (admins)
export const DELETE = withOrg({ role: 'admin' }, async ({ org, actor, params }) => {
  await deleteAttributionRule({ orgId: org.id, id: params.ruleId!, actorUserId: actorUserId(actor) });
  return new Response(null, { status: 204 });
});
