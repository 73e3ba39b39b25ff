import { createIngestToken, createTokenSchema, listIngestTokens } from '@/lib/auth/tokens.ts';
import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/tokens: ingest tokens, never their values (admins)
export const GET = withOrg({ role: 'admin' }, async ({ org }) => Response.json({ tokens: await listIngestTokens({ orgId: org.id }) }));

// POST /api/orgs/[org]/settings/tokens: create a token; its value is in this answer only
export const POST = withOrg({ role: 'admin', body: createTokenSchema }, async ({ org, actor, body }) => {
  const { token, record } = await createIngestToken({ orgId: org.id, createdById: actorUserId(actor) ?? undefined, ...body });
  return Response.json({ token, record }, { status: 201 });
});
