import 'server-only';
import { db } from '../db/client.ts';
import { computeSourceState, DELIVERY_STATUSES, RECENT_DAYS, SOURCES, sourceUrl, type DeliveryStatus, type SourceCredentialState, type SourceDefinition, type SourceSummary } from './sources.ts';

// Each source's state for the settings pages: what lets it send (a secret, tokens, stored API
// tokens; never their values), its latest delivery, and its recent deliveries by status.

/** Everything the summaries need, read once for all sources of the org. */
async function readSourceFacts({ orgId, now }: { orgId: string; now: Date }) {
  const since = new Date(now.getTime() - RECENT_DAYS * 86_400_000);
  const [recent, latest, secrets, liveTokens, credentials] = await Promise.all([
    db().rawEvent.groupBy({ by: ['source', 'status'], where: { orgId, receivedAt: { gte: since } }, _count: { _all: true } }),
    db().rawEvent.groupBy({ by: ['source'], where: { orgId }, _max: { receivedAt: true } }),
    db().webhookSecret.findMany({ where: { orgId, revokedAt: null }, select: { source: true, createdAt: true }, orderBy: { createdAt: 'desc' } }),
    db().ingestToken.findMany({ where: { orgId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }, select: { scopes: true } }),
    db().sourceCredential.findMany({ where: { orgId }, select: { source: true, lastFetchAt: true, lastError: true }, orderBy: { createdAt: 'asc' } }),
  ]);
  return { recent, latest, secrets, liveTokens, credentials };
}

type SourceFacts = Awaited<ReturnType<typeof readSourceFacts>>;

function credentialState(source: SourceDefinition, facts: SourceFacts): SourceCredentialState {
  switch (source.kind) {
    case 'webhook':
      return { kind: 'webhook_secret', setAt: facts.secrets.find((s) => s.source === source.id)?.createdAt.toISOString() ?? null };
    case 'token': {
      const scope = source.scope ?? 'ingest:write';
      return { kind: 'ingest_token', scope, liveTokens: facts.liveTokens.filter((t) => t.scopes.includes(scope)).length };
    }
    case 'credential': {
      const rows = facts.credentials.filter((c) => c.source === source.id);
      const lastFetchAt = rows.reduce<Date | null>((max, c) => (c.lastFetchAt && (!max || c.lastFetchAt > max) ? c.lastFetchAt : max), null);
      return { kind: 'api_token', stored: rows.length, lastFetchAt: lastFetchAt?.toISOString() ?? null, lastError: rows.find((c) => c.lastError)?.lastError ?? null };
    }
    case 'cli':
      return null;
  }
}

function hasCredential(credential: SourceCredentialState): boolean {
  if (!credential) return false;
  if (credential.kind === 'webhook_secret') return credential.setAt !== null;
  if (credential.kind === 'ingest_token') return credential.liveTokens > 0;
  return credential.stored > 0;
}

function summarize(source: SourceDefinition, facts: SourceFacts, { orgSlug, publicUrl, now }: { orgSlug: string; publicUrl: string; now: Date }): SourceSummary {
  const credential = credentialState(source, facts);
  const lastReceived = facts.latest.find((l) => l.source === source.id)?._max.receivedAt ?? null;
  const recent = Object.fromEntries(DELIVERY_STATUSES.map((status) => [status, facts.recent.find((r) => r.source === source.id && r.status === status)?._count._all ?? 0])) as Record<DeliveryStatus, number>;
  return {
    id: source.id,
    label: source.label,
    sends: source.sends,
    kind: source.kind,
    url: sourceUrl(publicUrl, orgSlug, source),
    credential,
    lastReceivedAt: lastReceived?.toISOString() ?? null,
    recent,
    state: computeSourceState({ hasCredential: hasCredential(credential), lastReceivedAt: lastReceived, now }),
  };
}

/** Every source of the catalogue, in its order, with the org's state for each. */
export async function listSourceSummaries({ orgId, orgSlug, publicUrl, now = new Date() }: { orgId: string; orgSlug: string; publicUrl: string; now?: Date }): Promise<SourceSummary[]> {
  const facts = await readSourceFacts({ orgId, now });
  return SOURCES.map((source) => summarize(source, facts, { orgSlug, publicUrl, now }));
}
