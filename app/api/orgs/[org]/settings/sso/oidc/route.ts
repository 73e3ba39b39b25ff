import { oidcConnectionSchema, setOidcConnection } from '@/lib/auth/sso-connections.ts';
import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// PUT /api/orgs/[org]/settings/sso/oidc: set the org's OIDC sign-in (admins); the secret is never returned
export const PUT = withOrg({ role: 'admin', body: oidcConnectionSchema }, async ({ org, actor, body }) => {
  const connection = await setOidcConnection({ orgId: org.id, actorUserId: actorUserId(actor), ...body });
  return Response.json({ connection });
});
