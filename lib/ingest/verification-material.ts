import { getWebhookSecret, type WebhookSource } from '../auth/webhook-secrets.ts';
import { getOrgBySlug, type Org } from '../orgs/get-org-by-slug.ts';

// Every delivery needs its org and the source's secret before it can be verified. They are kept
// for a few seconds per (org, source), so a burst of deliveries costs one lookup; a rotated or
// revoked secret stops verifying within that time.
const TTL_MS = 5000;
const cache = new Map<string, { at: number; value: Promise<{ org: Org; secret: string } | null> }>();

/** The org named `slug` and its live secret for `source`; null when either is missing. */
export function getVerificationMaterial(slug: string, source: WebhookSource): Promise<{ org: Org; secret: string } | null> {
  const key = `${slug}\\n${source}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const value = (async () => {
    const org = await getOrgBySlug(slug).catch(() => null);
    const secret = org && (await getWebhookSecret({ orgId: org.id, source }));
    return org && secret ? { org, secret } : null;
  })();
  cache.set(key, { at: Date.now(), value });
  value.catch(() => cache.delete(key));
  if (cache.size > 10_000) cache.clear(); // bounded: slugs come from the URL
  return value;
}
