import { actorUserId } from '@/lib/auth/access.ts';
import { z } from 'zod';
import { deleteAttributionRule, setAttributionRuleEnabled } from '@/lib/attribution/manage-rules.ts';
import { withOrg } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// DELETE /api/orgs/[org]/settings/attribution-rules/[ruleId]: delete a rule; ingestion stops applying it at once (admins)
export const DELETE = withOrg({ role: 'admin' }, async ({ org, actor, params }) => {
  await deleteAttributionRule({ orgId: org.id, id: params.ruleId!, actorUserId: actorUserId(actor) });
  return new Response(null, { status: 204 });
});

// PATCH /api/orgs/[org]/settings/attribution-rules/[ruleId]: { enabled } turns a rule off or on; answers the rule (admins)
export const PATCH = withOrg({ role: 'admin', body: z.object({ enabled: z.boolean() }).strict() }, async ({ org, actor, params, body }) =>
  Response.json(await setAttributionRuleEnabled({ orgId: org.id, id: params.ruleId!, enabled: body.enabled, actorUserId: actorUserId(actor) })),
);
