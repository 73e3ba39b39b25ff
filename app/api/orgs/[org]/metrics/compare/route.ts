import { withOrg } from '@/lib/http/with-org.ts';
import { compareAroundAnnotation } from '@/lib/metrics/compare.ts';
import { compareQuerySchema } from '@/lib/metrics/compare-schemas.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/metrics/compare?annotation=&team=&weeks=: medians N weeks before vs after an annotation, with bootstrap intervals
export const GET = withOrg({ role: 'member', scope: 'metrics:read', query: compareQuerySchema }, async ({ org, query }) =>
  Response.json(await compareAroundAnnotation({ org, query })),
);
