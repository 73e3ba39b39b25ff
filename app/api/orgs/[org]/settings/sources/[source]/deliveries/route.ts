import { AppError } from '@/lib/http/errors.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { deliveriesQuerySchema, sourceIdSchema } from '@/lib/settings/sources.ts';
import { listSourceDeliveries } from '@/lib/settings/sources-deliveries.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/sources/[source]/deliveries?status=&cursor=&limit=: the source's deliveries, newest first, without payloads (admins)
export const GET = withOrg({ role: 'admin', query: deliveriesQuerySchema }, async ({ org, params, query }) => {
  const source = sourceIdSchema.safeParse(params.source);
  if (!source.success) throw new AppError('not_found', `No data source '${params.source}'`);
  return Response.json(await listSourceDeliveries({ orgId: org.id, source: source.data, ...query }));
});
