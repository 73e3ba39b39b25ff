import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { deleteSourceCredential } from '@/lib/settings/sources-credentials.ts';

export const dynamic = 'force-dynamic';

// DELETE /api/orgs/[org]/settings/source-credentials/[credentialId]: forget a stored API token (admins)
export const DELETE = withOrg({ role: 'admin' }, async ({ org, actor, params }) => {
  await deleteSourceCredential({ orgId: org.id, id: params.credentialId!, actorUserId: actorUserId(actor) });
  return new Response(null, { status: 204 });
});
