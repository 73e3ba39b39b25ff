import { withOrg } from '@/lib/http/with-org.ts';
import { weeklyQuerySchema } from '@/lib/metrics/schemas.ts';
import { getWeeklyMetrics } from '@/lib/metrics/weekly.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/metrics/weekly?team=&from=&to=: weekly metrics of a team or the whole org
export const GET = withOrg({ role: 'member', scope: 'metrics:read', query: weeklyQuerySchema }, async ({ org, query }) => {
  return Response.json(await getWeeklyMetrics({ org, query }));
});
