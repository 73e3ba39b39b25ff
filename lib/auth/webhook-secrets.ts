import { randomBytes } from 'node:crypto';
import { recordAudit } from '../audit/audit-log.ts';
import { db } from '../db/client.ts';
import { decryptSecret, encryptSecret } from './secrets.ts';

// One signing secret per org and webhook source, generated here (never chosen by hand), stored
// encrypted because receivers must recompute signatures with it. Rotating revokes the old one.

export const WEBHOOK_SOURCES = ['github', 'gitlab', 'jira', 'linear'] as const;
export type WebhookSource = (typeof WEBHOOK_SOURCES)[number];

export function webhookUrl(publicUrl: string, orgSlug: string, source: WebhookSource): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/orgs/${orgSlug}/webhooks/${source}`;
}

/** Makes a new secret for the source, revoking the previous one; returns it in clear. */
export async function rotateWebhookSecret({ orgId, source, actorUserId = null }: { orgId: string; source: WebhookSource; actorUserId?: string | null }): Promise<string> {
  const secret = randomBytes(32).toString('hex');
  await db().$transaction([
    db().webhookSecret.updateMany({ where: { orgId, source, revokedAt: null }, data: { revokedAt: new Date() } }),
    db().webhookSecret.create({ data: { orgId, source, secretEnc: encryptSecret(secret) } }),
  ]);
  await recordAudit({ orgId, actorUserId, action: 'webhook_secret.rotate', target: `webhook:${source}` });
  return secret;
}

/** The source's live secret in clear (for verifying deliveries and for admins to copy); null if none. */
export async function getWebhookSecret({ orgId, source }: { orgId: string; source: WebhookSource }): Promise<string | null> {
  const row = await db().webhookSecret.findFirst({ where: { orgId, source, revokedAt: null }, orderBy: { createdAt: 'desc' } });
  return row ? decryptSecret(row.secretEnc) : null;
}
