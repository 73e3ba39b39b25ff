import { webhookRoutes } from '@/lib/ingest/webhook-receivers.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/webhooks/github: a signed GitHub delivery; 202 once stored raw, 200 for a redelivery
export const POST = webhookRoutes.github;
