import { withOrg } from '@/lib/http/with-org.ts';
import { junitUploadQuerySchema } from '@/lib/ingest/ci/ci-schemas.ts';
import { receiveJunitUpload } from '@/lib/ingest/ci/receive-ci-report.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/ingest/ci/[runId]/junit?attempt=: a JUnit XML report of a reported run; 202 once stored raw
export const POST = withOrg({ role: 'admin', scope: 'ingest:write', query: junitUploadQuerySchema, rawBody: true }, async ({ org, params, query, request }) =>
  receiveJunitUpload({ orgId: org.id, runId: params.runId!, query, request }),
);
