import { ZodError } from 'zod';
import { decryptSecret } from '../../auth/secrets.ts';
import { db } from '../../db/client.ts';
import { log } from '../../log.ts';
import { formatRecordIssues } from '../ai-usage/ai-usage-schemas.ts';
import { contentDeliveryId } from '../ai-usage/content-delivery-id.ts';
import { githubClient } from '../github/github-client.ts';
import { storeRawEvent } from '../raw-events.ts';
import { copilotMetricsPayload } from './read-copilot-report.ts';

// Fetches Copilot metrics with the tokens admins stored (SourceCredential, source copilot): the
// metrics API answers the last days (up to 100), each fetch stored raw as `copilot.metrics` like
// an imported file; an answer identical to the last one is the same delivery, stored once. The
// worker calls this on a schedule; `throughline fetch copilot` on demand.

export const COPILOT_FETCH_EVERY_MS = 6 * 3600 * 1000;
const CHECK_EVERY_MS = 10 * 60 * 1000;
const FIRST_CHECK_MS = 30 * 1000;

export interface CopilotFetchResult {
  orgId: string;
  target: string;
  days: number;
  stored: boolean;
  error: string | null;
}

/** A credential's target: "octo-org" (the org's metrics) or "octo-org/team-slug" (a team's). */
function parseTarget(target: string): { org: string; team?: string } {
  const [org, team, ...rest] = target.split('/');
  if (!org || rest.length || team === '') throw new Error(`target '${target}' must be "org" or "org/team-slug"`);
  return { org, ...(team && { team }) };
}

async function fetchOne(credential: { orgId: string; id: string; target: string; tokenEnc: string }, apiUrl: string | undefined, now: Date): Promise<CopilotFetchResult> {
  const { orgId, target } = credential;
  try {
    const { org, team } = parseTarget(target);
    const github = githubClient(decryptSecret(credential.tokenEnc), apiUrl);
    const { data } = team
      ? await github.request('GET /orgs/{org}/team/{team_slug}/copilot/metrics', { org, team_slug: team, per_page: 100 })
      : await github.request('GET /orgs/{org}/copilot/metrics', { org, per_page: 100 });
    const scope = team ? `team:${team}` : 'org';
    const payload = copilotMetricsPayload(scope, data);
    const deliveryId = contentDeliveryId('copilot.metrics', JSON.stringify(data), scope);
    const { stored } = await storeRawEvent({ orgId, source: 'copilot', deliveryId, eventType: 'copilot.metrics', headers: {}, payload });
    await db().sourceCredential.updateMany({ where: { orgId, id: credential.id }, data: { lastFetchAt: now, lastError: null } });
    return { orgId, target, days: (data as unknown[]).length, stored, error: null };
  } catch (error) {
    // lastFetchAt is the last attempt, so a failing credential waits its turn like the others.
    const status = (error as { status?: unknown } | null)?.status;
    const reason =
      error instanceof ZodError ? `answer not understood: ${formatRecordIssues(error)}`
      : typeof status === 'number' ? `GitHub answered ${status}: ${(error as Error).message}`
      : error instanceof Error ? error.message : String(error);
    const message = reason.slice(0, 1000);
    await db().sourceCredential.updateMany({ where: { orgId, id: credential.id }, data: { lastFetchAt: now, lastError: message } });
    log.warn({ orgId, target, error: message }, 'Copilot metrics fetch failed');
    return { orgId, target, days: 0, stored: false, error: message };
  }
}

/**
 * Fetches every Copilot credential (of one org, or all), or with `onlyDue` those not tried in the
 * last 6 hours; one failing (bad token, Copilot metrics disabled) records its error and the rest go on.
 */
export async function fetchCopilotMetrics({ orgId, onlyDue = false, apiUrl, now = new Date() }: { orgId?: string; onlyDue?: boolean; apiUrl?: string; now?: Date } = {}): Promise<CopilotFetchResult[]> {
  const dueBefore = new Date(now.getTime() - COPILOT_FETCH_EVERY_MS);
  const credentials = await db().sourceCredential.findMany({
    where: { source: 'copilot', ...(orgId && { orgId }), ...(onlyDue && { OR: [{ lastFetchAt: null }, { lastFetchAt: { lt: dueBefore } }] }) },
    select: { orgId: true, id: true, target: true, tokenEnc: true },
    orderBy: [{ orgId: 'asc' }, { target: 'asc' }],
  });
  const results: CopilotFetchResult[] = [];
  for (const credential of credentials) results.push(await fetchOne(credential, apiUrl, now));
  return results;
}

/**
 * The worker's schedule: a look for due credentials shortly after start, then every 10 minutes
 * (a restart does not push a fetch back 6 hours). Returns the function that stops it.
 */
export function scheduleCopilotFetch({ onStored }: { onStored: () => void }): () => void {
  const check = () =>
    void fetchCopilotMetrics({ onlyDue: true })
      .then((results) => results.some((r) => r.stored) && onStored())
      .catch((error: unknown) => log.error({ err: error }, 'scheduled Copilot metrics fetch failed'));
  const first = setTimeout(check, FIRST_CHECK_MS).unref();
  const every = setInterval(check, CHECK_EVERY_MS).unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
