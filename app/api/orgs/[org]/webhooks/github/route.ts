import { receiveGithubWebhook } from '@/lib/ingest/github/receive-github-webhook.ts';
import { webhookRoute } from '@/lib/ingest/webhook-route.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/webhooks/github: a signed GitHub delivery; 202 once stored raw, 200 for a redelivery
export const POST = webhookRoute(receiveGithubWebhook);
