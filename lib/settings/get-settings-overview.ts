import { listAudit } from '../audit/audit-log.ts';
import { listRawEvents } from '../ingest/raw-events.ts';
import { samlUrls } from '../auth/saml.ts';
import { listIngestTokens } from '../auth/tokens.ts';
import { WEBHOOK_SOURCES, webhookUrl } from '../auth/webhook-secrets.ts';
import { db } from '../db/client.ts';
import { listMembers } from './members.ts';

const SOURCE_LABELS = { github: 'GitHub', gitlab: 'GitLab', jira: 'Jira', linear: 'Linear' } as const;

/** Everything the settings page shows, without any secret. */
export async function getSettingsOverview({ orgId, orgSlug, publicUrl }: { orgId: string; orgSlug: string; publicUrl: string }) {
  const [oidc, saml, members, tokens, secrets, audit, failedEvents, eventCounts] = await Promise.all([
    db().ssoConnection.findFirst({ where: { orgId, kind: 'oidc' }, select: { issuer: true, clientId: true, allowedDomains: true } }),
    db().ssoConnection.findFirst({ where: { orgId, kind: 'saml' }, select: { issuer: true, allowedDomains: true } }),
    listMembers({ orgId }),
    listIngestTokens({ orgId }),
    db().webhookSecret.findMany({ where: { orgId, revokedAt: null }, select: { source: true, createdAt: true } }),
    listAudit({ orgId, limit: 50 }),
    listRawEvents({ orgId, status: 'failed', limit: 20 }),
    db().rawEvent.groupBy({ by: ['status'], where: { orgId }, _count: true }),
  ]);
  const actorEmails = new Map(members.map((m) => [m.userId, m.email]));
  return {
    oidcRedirectUrl: `${publicUrl.replace(/\/+$/, '')}/api/auth/callback/oidc-${orgSlug}`,
    oidc: oidc?.issuer && oidc.clientId ? { issuer: oidc.issuer, clientId: oidc.clientId, allowedDomains: oidc.allowedDomains } : null,
    saml: saml?.issuer ? { idpEntityId: saml.issuer, allowedDomains: saml.allowedDomains } : null,
    samlUrls: samlUrls(publicUrl, orgSlug),
    members,
    tokens,
    webhooks: WEBHOOK_SOURCES.map((source) => ({
      source,
      label: SOURCE_LABELS[source],
      url: webhookUrl(publicUrl, orgSlug, source),
      configuredAt: secrets.find((s) => s.source === source)?.createdAt ?? null,
    })),
    deliveries: { counts: Object.fromEntries(eventCounts.map((c) => [c.status, c._count])) as Partial<Record<string, number>>, failed: failedEvents },
    audit: audit.map((e) => ({ ...e, actorEmail: e.actorUserId ? (actorEmails.get(e.actorUserId) ?? e.actorUserId) : null })),
  };
}
