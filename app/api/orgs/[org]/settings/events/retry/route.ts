import { retryRawEvents } from '@/lib/ingest/raw-events.ts';
import { wakeWorker } from '@/lib/ingest/worker.ts';
import { AppError } from '@/lib/http/errors.ts';
import { withOrg } from '@/lib/http/with-org.ts';
import { retryEventsSchema } from '@/lib/settings/sources.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/settings/events/retry: make failed deliveries due again now, all of them or
// those of `{ source }` or the one `{ eventId }` (admins)
export const POST = withOrg({ role: 'admin', body: retryEventsSchema }, async ({ org, body }) => {
  const retried = await retryRawEvents({ orgId: org.id, status: 'failed', source: body?.source, id: body?.eventId });
  if (body?.eventId && retried === 0) throw new AppError('not_found', `No failed delivery '${body.eventId}'`);
  wakeWorker();
  return Response.json({ retried });
});
