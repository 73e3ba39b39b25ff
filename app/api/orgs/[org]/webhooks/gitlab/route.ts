import { receiveGitlabWebhook } from '@/lib/ingest/gitlab/receive-gitlab-webhook.ts';
import { wakeWorker } from '@/lib/ingest/worker.ts';
import { toErrorResponse } from '@/lib/http/with-org.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/webhooks/gitlab: a GitLab delivery with the org's token; 202 once stored raw, 200 for a redelivery
export async function POST(request: Request, { params }: { params: Promise<{ org: string }> }) {
  try {
    const { stored, deliveryId } = await receiveGitlabWebhook((await params).org, request);
    if (stored) wakeWorker();
    return Response.json({ deliveryId, stored }, { status: stored ? 202 : 200 });
  } catch (error) {
    return toErrorResponse(error);
  }
}
