import { withOrg } from '@/lib/http/with-org.ts';
import { weeklyQuerySchema } from '@/lib/metrics/schemas.ts';
import { getWeeklyMetrics, weeklyMetricsCsv } from '@/lib/metrics/weekly.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/metrics/weekly?team=&from=&to=&format=: weekly metrics of a team or the whole org, as JSON or CSV
export const GET = withOrg({ role: 'member', scope: 'metrics:read', query: weeklyQuerySchema }, async ({ org, query }) => {
  const metrics = await getWeeklyMetrics({ org, query });
  if (query.format !== 'csv') return Response.json(metrics);
  const name = `${org.slug}-${metrics.team ?? 'org'}-${metrics.from}-${metrics.to}.csv`;
  return new Response(weeklyMetricsCsv(metrics), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` } });
});
