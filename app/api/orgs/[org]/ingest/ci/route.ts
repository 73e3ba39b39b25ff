import { withOrg } from '@/lib/http/with-org.ts';
import { receiveCiRunReport } from '@/lib/ingest/ci/receive-ci-report.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/ingest/ci: a CI run report (ingest token); 202 once stored raw, 200 when resent
export const POST = withOrg({ role: 'admin', scope: 'ingest:write', rawBody: true }, async ({ org, request }) => receiveCiRunReport({ orgId: org.id, request }));
