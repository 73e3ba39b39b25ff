import { db } from '../../db/client.ts';
import { githubClient } from './github-client.ts';

interface HookDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  status_code: number;
}

export interface HealResult {
  listed: number;
  missing: number;
  redelivered: number;
}

/**
 * GitHub does not retry a failed delivery by itself. This lists the hook's recent deliveries and
 * asks GitHub to redeliver each one that never reached the raw log: every attempt of it failed
 * (no 2xx) and its delivery id is not stored. A failed attempt whose delivery is stored (GitHub
 * gave up waiting, the event had been kept) needs nothing. Meant to run on a schedule.
 */
export async function redeliverFailedGithubDeliveries(options: { orgId: string; owner: string; repo: string; hookId: number; token: string; apiUrl?: string; since?: Date }): Promise<HealResult> {
  const github = githubClient(options.token, options.apiUrl);
  const since = options.since ?? new Date(Date.now() - 3 * 86_400_000); // GitHub redelivers within 3 days
  const deliveries: HookDelivery[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const res = await github.request('GET /repos/{owner}/{repo}/hooks/{hook_id}/deliveries', { owner: options.owner, repo: options.repo, hook_id: options.hookId, per_page: 100, cursor });
    const items = res.data as HookDelivery[];
    deliveries.push(...items.filter((d) => new Date(d.delivered_at) >= since));
    cursor = (res.headers.link as string | undefined)?.match(/[?&]cursor=([^&>]+)[^>]*>;\s*rel="next"/)?.[1];
    if (!cursor || items.some((d) => new Date(d.delivered_at) < since)) break;
  }
  const byGuid = new Map<string, HookDelivery[]>();
  for (const d of deliveries) byGuid.set(d.guid, [...(byGuid.get(d.guid) ?? []), d]);
  const failed = [...byGuid.entries()].filter(([, attempts]) => attempts.every((a) => a.status_code < 200 || a.status_code >= 300));
  const stored = new Set(
    (await db().rawEvent.findMany({ where: { orgId: options.orgId, source: 'github', deliveryId: { in: failed.map(([guid]) => guid) } }, select: { deliveryId: true } })).map((e) => e.deliveryId),
  );
  const missing = failed.filter(([guid]) => !stored.has(guid));
  for (const [, attempts] of missing) {
    const latest = attempts.reduce((a, b) => (new Date(a.delivered_at) > new Date(b.delivered_at) ? a : b));
    await github.request('POST /repos/{owner}/{repo}/hooks/{hook_id}/deliveries/{delivery_id}/attempts', { owner: options.owner, repo: options.repo, hook_id: options.hookId, delivery_id: latest.id });
  }
  return { listed: deliveries.length, missing: missing.length, redelivered: missing.length };
}
