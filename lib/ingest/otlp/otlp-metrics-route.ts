import { withOrg } from '../../http/with-org.ts';
import { receiveOtlpMetrics } from './receive-otlp-metrics.ts';

/**
 * POST /api/orgs/{org}/otlp/v1/metrics: OTLP/HTTP metrics export with an ingest token carrying
 * `otlp:write`. The App Router's route file and the production server's fast path (lib/server)
 * both answer with this handler.
 */
export const otlpMetricsRoute = withOrg({ role: 'admin', scope: 'otlp:write', rawBody: true }, async ({ org, request }) => receiveOtlpMetrics({ orgId: org.id, request }));
