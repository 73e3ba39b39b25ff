import { webhookRoutes } from '@/lib/ingest/webhook-receivers.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/webhooks/jira: a Jira Cloud delivery signed with X-Hub-Signature; 202 once stored raw, 200 for a redelivery
export const POST = webhookRoutes.jira;
