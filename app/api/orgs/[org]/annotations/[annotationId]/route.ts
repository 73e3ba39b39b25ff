import { deleteAnnotation } from '@/lib/annotations/annotations.ts';
import { withOrg } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// DELETE /api/orgs/[org]/annotations/[annotationId]: its author, or an admin, deletes an annotation
export const DELETE = withOrg({ role: 'member' }, async ({ org, actor, params }) => {
  await deleteAnnotation({ orgId: org.id, id: params.annotationId!, actor });
  return new Response(null, { status: 204 });
});
