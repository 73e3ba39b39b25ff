import { retryRawEvents } from '@/lib/ingest/raw-events.ts';
import { wakeWorker } from '@/lib/ingest/worker.ts';
import { withOrg } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/settings/events/retry: make every failed delivery due again now (admins)
export const POST = withOrg({ role: 'admin' }, async ({ org }) => {
  const retried = await retryRawEvents({ orgId: org.id, status: 'failed' });
  wakeWorker();
  return Response.json({ retried });
});
