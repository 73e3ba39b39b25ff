import { webhookRoutes } from '@/lib/ingest/webhook-receivers.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/webhooks/gitlab: a GitLab delivery with the org's token; 202 once stored raw, 200 for a redelivery
export const POST = webhookRoutes.gitlab;
