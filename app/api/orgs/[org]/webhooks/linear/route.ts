import { webhookRoutes } from '@/lib/ingest/webhook-receivers.ts';

export const dynamic = 'force-dynamic';

// POST /api/orgs/[org]/webhooks/linear: a Linear delivery signed with Linear-Signature, at most 60 s old; 202 once stored raw, 200 for a redelivery
export const POST = webhookRoutes.linear;
