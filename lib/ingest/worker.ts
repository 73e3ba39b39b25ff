import { ZodError } from 'zod';
import { db } from '../db/client.ts';
import { formatZodIssues } from '../http/errors.ts';
import type { Prisma } from '../db/generated/client.ts';
import { log } from '../log.ts';
import { handlerFor } from './handlers.ts';

// Processes the raw log: claims one due event at a time (FOR UPDATE SKIP LOCKED, so several
// workers never take the same one, and it works on the single-connection embedded database),
// runs its handler in a transaction, and marks it processed, ignored, or failed with the error and
// a later retry. A claim is a lease: a worker that dies mid-event leaves it to be retried.

export const MAX_ATTEMPTS = 8;
const LEASE = '5 minutes';

interface ClaimedEvent {
  orgId: string;
  id: string;
  source: string;
  eventType: string;
  payload: Prisma.JsonValue;
  attempts: number;
}

/** Seconds to wait before attempt n+1: 30 s, 1 min, 2 min … capped at 1 h. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** (attempts - 1));
}

export async function processNextEvent(): Promise<'processed' | 'ignored' | 'failed' | null> {
  const [event] = await db().$queryRaw<ClaimedEvent[]>`
    UPDATE "RawEvent" SET attempts = attempts + 1, "nextAttemptAt" = now() + ${LEASE}::interval
    WHERE ("orgId", id) = (
      SELECT "orgId", id FROM "RawEvent"
      WHERE status IN ('pending', 'failed') AND "nextAttemptAt" <= now() AND attempts < ${MAX_ATTEMPTS}
      ORDER BY "receivedAt", id LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING "orgId", id, source::text, "eventType", payload, attempts`;
  if (!event) return null;
  const where = { orgId_id: { orgId: event.orgId, id: event.id } };
  const handler = handlerFor(event.source, event.eventType);
  if (!handler) {
    await db().rawEvent.update({ where, data: { status: 'ignored', processedAt: new Date(), error: null } });
    return 'ignored';
  }
  try {
    await db().$transaction((tx) => handler({ tx, orgId: event.orgId, payload: event.payload }), { timeout: 60_000 });
    await db().rawEvent.update({ where, data: { status: 'processed', processedAt: new Date(), error: null } });
    return 'processed';
  } catch (error) {
    const message = error instanceof ZodError ? `payload not understood: ${formatZodIssues(error.issues)}` : error instanceof Error ? error.message : String(error);
    const nextAttemptAt = new Date(Date.now() + retryDelaySeconds(event.attempts) * 1000);
    await db().rawEvent.update({ where, data: { status: 'failed', error: message.slice(0, 2000), nextAttemptAt } });
    log.warn({ eventId: event.id, source: event.source, eventType: event.eventType, attempts: event.attempts, error: message }, 'event processing failed');
    return 'failed';
  }
}

/** Processes due events until none is left (or `max`); returns how many were taken. */
export async function processPendingEvents(max = Infinity): Promise<number> {
  let n = 0;
  while (n < max && (await processNextEvent()) !== null) n++;
  return n;
}

// In-process loop: started by the server (instrumentation.ts) or `throughline worker`; a webhook
// route wakes it so a delivery is processed within moments, and a slow poll catches retries. The
// state lives on globalThis because Next bundles instrumentation and routes as separate modules.
const loop = ((globalThis as { throughlineWorker?: { started: boolean; draining: boolean; again: boolean } }).throughlineWorker ??= {
  started: false,
  draining: false,
  again: false,
});

export function wakeWorker(): void {
  if (!loop.started) return;
  if (loop.draining) {
    loop.again = true; // an event stored while draining is picked up by one more pass
    return;
  }
  loop.draining = true;
  void (async () => {
    try {
      do {
        loop.again = false;
        await processPendingEvents();
      } while (loop.again);
    } catch (error) {
      log.error({ err: error }, 'worker drain failed');
    } finally {
      loop.draining = false;
    }
  })();
}

export function startWorker(pollMs = 5000): void {
  if (loop.started) return;
  loop.started = true;
  setInterval(wakeWorker, pollMs).unref();
  wakeWorker();
}
