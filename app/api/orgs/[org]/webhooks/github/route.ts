import { receiveGithubWebhook } from '@/lib/ingest/github/receive-github-webhook.ts';
import { wakeWorker } from '@/lib/ingest/worker.ts';
import { toErrorResponse } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/webhooks/github: a signed GitHub delivery; 202 once stored raw, 200 for a redelivery
export async function POST(request: Request, { params }: { params: Promise<{ org: string }> }) {
  try {
    const { stored, deliveryId } = await receiveGithubWebhook((await params).org, request);
    if (stored) wakeWorker();
    return Response.json({ deliveryId, stored }, { status: stored ? 202 : 200 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
