import { receiveGitlabWebhook } from '@/lib/ingest/gitlab/receive-gitlab-webhook.ts';
import { webhookRoute } from '@/lib/ingest/webhook-route.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/webhooks/gitlab: a GitLab delivery with the org's token; 202 once stored raw, 200 for a redelivery
export const POST = webhookRoute(receiveGitlabWebhook);
