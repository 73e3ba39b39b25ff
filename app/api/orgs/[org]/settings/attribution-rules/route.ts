import { actorUserId } from '@/lib/auth/access.ts';
import { createAttributionRule, getCountWeakSignals, listAttributionRules, setCountWeakSignals } from '@/lib/attribution/manage-rules.ts';
import { attributionSettingsSchema, createRuleSchema } from '@/lib/attribution/rule-schemas.ts';
import { withOrg } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/attribution-rules: the org's AI attribution rules and whether weak evidence counts (admins)
export const GET = withOrg({ role: 'admin' }, async ({ org }) =>
  Response.json({ rules: await listAttributionRules({ orgId: org.id }), countWeakAiSignals: await getCountWeakSignals({ orgId: org.id }) }),
);

// PATCH /api/orgs/[org]/settings/attribution-rules: opt in or out of counting weak evidence
export const PATCH = withOrg({ role: 'admin', body: attributionSettingsSchema }, async ({ org, actor, body }) => {
  await setCountWeakSignals({ orgId: org.id, actorUserId: actorUserId(actor), countWeakAiSignals: body.countWeakAiSignals });
  return Response.json({ countWeakAiSignals: body.countWeakAiSignals });
});

// POST /api/orgs/[org]/settings/attribution-rules: add a rule; the pattern must be a sane regular expression
export const POST = withOrg({ role: 'admin', body: createRuleSchema }, async ({ org, actor, body }) => {
  const rule = await createAttributionRule({ orgId: org.id, actorUserId: actorUserId(actor), ...body });
  return Response.json({ rule }, { status: 201 });
});
