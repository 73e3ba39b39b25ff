import { actorUserId } from '@/lib/auth/access.ts';
import { createAttributionRule, listAttributionRules } from '@/lib/attribution/manage-rules.ts';
import { createRuleSchema } from '@/lib/attribution/rule-schemas.ts';
import { withOrg } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/attribution-rules: the org's AI attribution rules (admins)
export const GET = withOrg({ role: 'admin' }, async ({ org }) => Response.json({ rules: await listAttributionRules({ orgId: org.id }) }));

// POST /api/orgs/[org]/settings/attribution-rules: add a rule; the pattern must be a sane regular expression
export const POST = withOrg({ role: 'admin', body: createRuleSchema }, async ({ org, actor, body }) => {
  const rule = await createAttributionRule({ orgId: org.id, actorUserId: actorUserId(actor), ...body });
  return Response.json({ rule }, { status: 201 });
});
