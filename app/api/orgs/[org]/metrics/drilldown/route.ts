import { withOrg } from '@/lib/http/with-org.ts';
import { drilldownCsv, getDrilldown } from '@/lib/metrics/drilldown.ts';
import { drilldownQuerySchema } from '@/lib/metrics/schemas.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/metrics/drilldown?metric=&week=&team=&sort=&order=&format=: the rows behind one weekly figure
export const GET = withOrg({ role: 'member', scope: 'metrics:read', query: drilldownQuerySchema }, async ({ org, query }) => {
  const drilldown = await getDrilldown({ org, query });
  if (query.format !== 'csv') return Response.json(drilldown);
  const name = `${org.slug}-${drilldown.team ?? 'org'}-${drilldown.week}-${drilldown.metric}.csv`;
  return new Response(drilldownCsv(drilldown), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` } });
});
