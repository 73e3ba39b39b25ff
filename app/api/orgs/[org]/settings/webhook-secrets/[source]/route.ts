import { z } from 'zod';
import { rotateWebhookSecret, WEBHOOK_SOURCES, webhookUrl } from '@/lib/auth/webhook-secrets.ts';
import { publicBaseUrl } from '@/lib/http/public-base-url.ts';
import { AppError } from '@/lib/http/errors.ts';
import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

const sourceSchema = z.enum(WEBHOOK_SOURCES);

// POST /api/orgs/[org]/settings/webhook-secrets/[source]: make a new signing secret (admins); answers URL and secret
export const POST = withOrg({ role: 'admin' }, async ({ request, org, actor, params }) => {
  const source = sourceSchema.safeParse(params.source);
  if (!source.success) throw new AppError('not_found', `No webhook source '${params.source}'`);
  const secret = await rotateWebhookSecret({ orgId: org.id, source: source.data, actorUserId: actorUserId(actor) });
  return Response.json({ source: source.data, url: webhookUrl(publicBaseUrl(request), org.slug, source.data), secret });
});
