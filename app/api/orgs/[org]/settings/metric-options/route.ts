import { actorUserId } from '@/lib/auth/access.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { getMetricOptions, setMetricOptions } from '@/lib/orgs/metric-options.ts';
import { metricOptionsSchema } from '@/lib/orgs/metric-options-schemas.ts';

export const dynamic = 'force-dynamic';

// GET /api/orgs/[org]/settings/metric-options: cycle-time start, time zone, distortion threshold, and whether rollups are current (admins)
export const GET = withOrg({ role: 'admin' }, async ({ org }) => Response.json(await getMetricOptions({ orgId: org.id })));

// PUT /api/orgs/[org]/settings/metric-options: set all three; a new time zone or cycle-time start rebuilds the rollups (admins)
export const PUT = withOrg({ role: 'admin', body: metricOptionsSchema }, async ({ org, actor, body }) =>
  Response.json(await setMetricOptions({ orgId: org.id, options: body, actorUserId: actorUserId(actor) })),
);
