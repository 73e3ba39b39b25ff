import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { sourceCredentialInputSchema, sourceCredentialsQuerySchema } from '@/lib/settings/sources.ts';
import { listSourceCredentials, setSourceCredential } from '@/lib/settings/sources-credentials.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/source-credentials?source=: stored API tokens, never their values (admins)
export const GET = withOrg({ role: 'admin', query: sourceCredentialsQuerySchema }, async ({ org, query }) =>
  Response.json({ credentials: await listSourceCredentials({ orgId: org.id, source: query.source }) }),
);

// POST /api/orgs/[org]/settings/source-credentials: store a token for { source, target } (201), or replace that target's token (200)
export const POST = withOrg({ role: 'admin', body: sourceCredentialInputSchema }, async ({ org, actor, body }) => {
  const { credential, created } = await setSourceCredential({ orgId: org.id, actorUserId: actorUserId(actor), ...body });
  return Response.json({ credential }, { status: created ? 201 : 200 });
});
