import { createAnnotationSchema, listAnnotationsQuerySchema } from '@/lib/annotations/annotation-schemas.ts';
import { createAnnotation, listAnnotations } from '@/lib/annotations/annotations.ts';
import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/annotations?team=&from=&to=: annotations by date (a team's and the org-wide ones)
export const GET = withOrg({ role: 'member', scope: 'metrics:read', query: listAnnotationsQuerySchema }, async ({ org, query }) =>
  Response.json({ annotations: await listAnnotations({ orgId: org.id, query }) }),
);

// POST /api/orgs/[org]/annotations: { teamSlug?, date, label, description? } marks a change on the timeline (members)
export const POST = withOrg({ role: 'member', body: createAnnotationSchema }, async ({ org, actor, body }) =>
  Response.json({ annotation: await createAnnotation({ orgId: org.id, actorUserId: actorUserId(actor), input: body }) }, { status: 201 }),
);
