import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Prisma } from '../db/generated/client.ts';
import { db } from '../db/client.ts';
import { log } from '../log.ts';
import { storableJson, storableText } from './json-body.ts';

/** The NOTIFY channel a stored raw event is announced on (lib/ingest/worker listens). */
export const RAW_EVENT_CHANNEL = 'throughline_raw_events';

export type EventSource = 'github' | 'gitlab' | 'jira' | 'linear' | 'ci' | 'otlp' | 'copilot' | 'cursor' | 'anthropic' | 'openai' | 'ai_usage';

export interface RawEventInput {
  orgId: string;
  source: EventSource;
  deliveryId: string;
  eventType: string;
  headers: Record<string, string>;
  payload: Prisma.InputJsonValue;
}

/**
 * Stores a delivery in the raw log in one insert, the durable record everything else derives
 * from; answers false for a redelivery (same org, source and delivery id), which stores nothing:
 * the insert's trigger finds its id in RawEventDelivery and skips the row.
 * Callers acknowledge (2xx) only after this returns.
 */
export async function storeRawEvent(event: RawEventInput, options: { receivedAt?: Date } = {}): Promise<{ stored: boolean; spooled?: boolean }> {
  // One plain statement: this runs for every delivery, before the 2xx, so it skips the ORM's work.
  // `receivedAt` keeps the arrival time of a delivery stored late (drained from the spool).
  try {
    const stored = await db().$executeRaw`
      INSERT INTO "RawEvent" ("orgId", id, source, "deliveryId", "eventType", headers, payload, "receivedAt")
      VALUES (${event.orgId}, ${randomUUID()}, ${event.source}::"EventSource", ${storableText(event.deliveryId)}, ${storableText(event.eventType)},
              ${JSON.stringify(event.headers)}::jsonb, ${storableJson(event.payload)}::jsonb, COALESCE(${options.receivedAt ?? null}::timestamptz, now()))`;
    if (stored === 1) announceStoredEvents();
    return { stored: stored === 1 };
  } catch (error) {
    // A webhook receiver (lib/ingest/webhook-route.ts) runs with a fallback: the spool, when the
    // database is unreachable.
    const fallback = rawEventFallback.getStore();
    if (fallback) return fallback(event, error);
    throw error;
  }
}

// Workers listening elsewhere are told of stored events by a NOTIFY sent after the insert commits,
// at most one per interval, outside the delivery's transaction. A NOTIFY in the insert's own
// transaction took a database-wide lock held through that commit's WAL flush, so under load every
// acknowledgement queued behind the others' flushes (ack p50 0.9 s at 200/s while a worker ran).
// A worker draining events takes the new ones without being told; the notice wakes an idle one.
const NOTIFY_INTERVAL_MS = 20;
const notifier = globalThis as { throughlineNotifyPending?: boolean };

function announceStoredEvents(): void {
  if (notifier.throughlineNotifyPending) return;
  notifier.throughlineNotifyPending = true;
  setTimeout(() => {
    notifier.throughlineNotifyPending = false;
    // Lost only with the database, and then the workers' poll finds the events.
    db().$queryRaw`SELECT pg_notify(${RAW_EVENT_CHANNEL}, '')::text AS notified`.catch((error: unknown) => log.debug({ err: error }, 'raw event NOTIFY not sent'));
  }, NOTIFY_INTERVAL_MS);
}

/** Set around a receiver: what storeRawEvent does instead of failing (see lib/ingest/spool.ts). */
export const rawEventFallback = new AsyncLocalStorage<(event: RawEventInput, error: unknown) => Promise<{ stored: boolean; spooled?: boolean }>>();

export const rawEventStatusSchema = z.enum(['pending', 'processed', 'failed', 'ignored']);
export type RawEventStatus = z.infer<typeof rawEventStatusSchema>;

/** The org's latest raw events with a status (payloads left out), newest first. */
export async function listRawEvents({ orgId, status, limit = 100 }: { orgId: string; status: RawEventStatus; limit?: number }) {
  return db().rawEvent.findMany({ where: { orgId, status }, omit: { payload: true, headers: true }, orderBy: { receivedAt: 'desc' }, take: limit });
}

/** Makes the org's events with a status (of one source, or one event) due now, with a fresh count of attempts. */
export async function retryRawEvents({ orgId, status, source, id }: { orgId: string; status: RawEventStatus; source?: EventSource; id?: string }): Promise<number> {
  const { count } = await db().rawEvent.updateMany({ where: { orgId, status, source, id }, data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(0) } });
  return count;
}
