import { otlpMetricsRoute } from '@/lib/ingest/otlp/otlp-metrics-route.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/otlp/v1/metrics: an OTLP/HTTP metrics export (Claude Code telemetry); 200 once stored raw
export const POST = otlpMetricsRoute;
