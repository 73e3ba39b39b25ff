import { revokeIngestToken } from '@/lib/auth/tokens.ts';
import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// DELETE /api/orgs/[org]/settings/tokens/[tokenId]: revoke a token; it stops working at once
export const DELETE = withOrg({ role: 'admin' }, async ({ org, actor, params }) => {
  await revokeIngestToken({ orgId: org.id, id: params.tokenId!, actorUserId: actorUserId(actor) });
  return new Response(null, { status: 204 });
});
