import { getWebhookSecret, type WebhookSource } from '../auth/webhook-secrets.ts';
import { AppError } from '../http/errors.ts';
import { getOrgBySlug, type Org } from '../orgs/get-org-by-slug.ts';
import { isConnectionError, SpoolUnavailableError } from './spool-errors.ts';

// Every delivery needs its org and the source's secret before it can be verified. They are kept
// for a few seconds per (org, source), so a burst of deliveries costs one lookup; a rotated or
// revoked secret stops verifying within that time.
//
// The last material a lookup returned is also kept past that time, as the last-known-good, used
// ONLY when a lookup fails because the database is unreachable: the receiver then still verifies
// deliveries (and spools them, lib/ingest/spool.ts). A process that has never looked the org up
// has nothing to verify with and answers 503 with Retry-After (SpoolUnavailableError).
const TTL_MS = 5000;
// While the database is unreachable, the fallback is reused this long before asking it again.
const OUTAGE_TTL_MS = 1000;
const MAX_KEYS = 10_000; // bounded: slugs come from the URL

type Material = { org: Org; secret: string };
const cache = new Map<string, { at: number; ttl: number; value: Promise<Material | null> }>();
const lastGood = new Map<string, Material>();

async function lookUp(slug: string, source: WebhookSource): Promise<Material | null> {
  const org = await getOrgBySlug(slug).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'not_found') return null;
    throw error;
  });
  const secret = org && (await getWebhookSecret({ orgId: org.id, source }));
  return org && secret ? { org, secret } : null;
}

/**
 * The org named `slug` and its live secret for `source`; null when either is missing. When the
 * database is unreachable: the last-known-good material, else SpoolUnavailableError (503).
 */
export function getVerificationMaterial(slug: string, source: WebhookSource): Promise<Material | null> {
  const key = `${slug}\n${source}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < hit.ttl) return hit.value;
  const entry = { at: Date.now(), ttl: TTL_MS, value: Promise.resolve<Material | null>(null) };
  entry.value = lookUp(slug, source).then(
    (material) => {
      if (material) lastGood.set(key, material);
      else lastGood.delete(key); // deleted org, revoked secret: nothing to fall back to
      if (lastGood.size > MAX_KEYS) lastGood.clear();
      return material;
    },
    (error: unknown) => {
      if (!isConnectionError(error)) throw error;
      const fallback = lastGood.get(key);
      if (!fallback) throw new SpoolUnavailableError('The database is unreachable and this server has not verified a delivery for this org yet', 10);
      entry.ttl = OUTAGE_TTL_MS;
      return fallback;
    },
  );
  cache.set(key, entry);
  entry.value.catch(() => cache.delete(key));
  if (cache.size > MAX_KEYS) cache.clear();
  return entry.value;
}

/** Forgets cached and last-known-good material (tests). */
export function clearVerificationMaterial(): void {
  cache.clear();
  lastGood.clear();
}
