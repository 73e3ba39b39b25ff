import { withOrg } from '@/lib/http/with-org.ts';
import { receiveAiUsageReport } from '@/lib/ingest/ai-usage/receive-ai-usage-report.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/ingest/ai-usage: an AI usage report, JSON or CSV (ingest token); 202 once stored raw, 200 when resent
export const POST = withOrg({ role: 'admin', scope: 'ingest:write', rawBody: true }, async ({ org, request }) => receiveAiUsageReport({ orgId: org.id, request }));
