import type { CacheItem, CacheProvider } from '@node-saml/node-saml';

// The AuthnRequests we sent and not yet saw answered, so the ACS accepts only an answer to one of
// them, once (InResponseTo). Kept in this process's memory: `throughline serve` runs one server
// process, so the login and the ACS requests meet here. Several servers behind a load balancer
// would need a shared store (the database) or sticky sessions.

/** Long enough to sign in at the IdP (password, MFA); the answer must come within it. */
export const PENDING_REQUEST_TTL_MS = 10 * 60_000;
/** Bounds memory if someone requests sign-ins in a loop; the oldest pending requests go first. */
const MAX_PENDING = 100_000;

// On globalThis because Next.js may load this module once per route bundle, and the login and ACS
// routes must share one store.
const globalForSaml = globalThis as unknown as { throughlineSamlPending?: Map<string, CacheItem> };

function store(): Map<string, CacheItem> {
  return (globalForSaml.throughlineSamlPending ??= new Map());
}

function live(item: CacheItem | undefined, now = Date.now()): item is CacheItem {
  return item !== undefined && now - item.createdAt < PENDING_REQUEST_TTL_MS;
}

/** node-saml's request-id cache for one org: an id issued for one org never validates another's answer. */
export function pendingSamlRequests(orgId: string): CacheProvider {
  const key = (id: string) => `${orgId}:${id}`;
  return {
    async saveAsync(id, value) {
      const pending = store();
      // Insertion order is age order: drop the expired (and, past the cap, the oldest) from the front.
      for (const [k, item] of pending) {
        if (live(item) && pending.size < MAX_PENDING) break;
        pending.delete(k);
      }
      if (pending.has(key(id))) return null;
      const item = { value, createdAt: Date.now() };
      pending.set(key(id), item);
      return item;
    },
    async getAsync(id) {
      const item = store().get(key(id));
      return live(item) ? item.value : null;
    },
    async removeAsync(id) {
      if (!id) return null;
      const item = store().get(key(id));
      store().delete(key(id));
      return item?.value ?? null;
    },
  };
}
