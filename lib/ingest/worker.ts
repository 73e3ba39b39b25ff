import pg from 'pg';
import { ZodError } from 'zod';
import { db } from '../db/client.ts';
import { formatZodIssues } from '../http/errors.ts';
import type { Prisma } from '../db/generated/client.ts';
import { env } from '../env.ts';
import { log } from '../log.ts';
import { handleInTransaction, handlerFor } from './handlers.ts';
import type { Sql } from '../db/sql.ts';
import { inTransaction, sharesOneSession } from '../db/transaction.ts';
import { scheduleCopilotFetch } from './copilot/fetch-copilot-metrics.ts';
import { RAW_EVENT_CHANNEL } from './raw-events.ts';
import { startSpoolDrainer } from './spool.ts';
import { isConnectionError } from './spool-errors.ts';
import { scheduleRollupRefresh } from '../metrics/rollup-schedule.ts';
import { scheduleRawLogMaintenance } from './raw-retention.ts';
import { postgresErrorCode } from '../db/postgres-error-code.ts';

// Processes the raw log: claims due events (FOR UPDATE SKIP LOCKED, so several workers never take
// the same one, and it works on the single-connection embedded database), runs each handler in a
// transaction, and marks the event processed, ignored, or failed with the error and a later retry.
// A claim is a lease: a worker that dies mid-event leaves it to be retried.

export const MAX_ATTEMPTS = 8;
// THROUGHLINE_WORKER_LEASE_SECONDS, 5 minutes by default.
const lease = () => `${env().THROUGHLINE_WORKER_LEASE_SECONDS} seconds`;

interface ClaimedEvent {
  orgId: string;
  id: string;
  source: string;
  eventType: string;
  payload: Prisma.JsonValue;
  attempts: number;
  receivedAt: Date;
}

/** Seconds to wait before attempt n+1: 30 s, 1 min, 2 min … capped at 1 h. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** (attempts - 1));
}

// Concurrent handlers can race to create the same row (two events naming one new person) or lock
// rows in opposite orders. Those conflicts are not the event's fault: its transaction rolled back
// whole, so it runs again at once rather than being marked failed.
const CONFLICT_CODES = new Set(['P2002', 'P2034', '23505', '40001', '40P01']);
const MAX_CONFLICT_RETRIES = 5;

function isConflict(error: unknown): boolean {
  const { code } = (error ?? {}) as { code?: string };
  return CONFLICT_CODES.has(code ?? '') || CONFLICT_CODES.has(postgresErrorCode(error) ?? '');
}

export async function withConflictRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt > MAX_CONFLICT_RETRIES || !isConflict(error)) throw error;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

// Claims are taken a few at a time: one round trip per batch instead of per event.
const CLAIM_BATCH = 8;

/** Claims up to `limit` due events, oldest first (a claim is a lease of THROUGHLINE_WORKER_LEASE_SECONDS). */
async function claimEvents(limit: number): Promise<ClaimedEvent[]> {
  const events = await db().$queryRaw<ClaimedEvent[]>`
    UPDATE "RawEvent" r SET attempts = r.attempts + 1, "nextAttemptAt" = now() + ${lease()}::interval
    FROM (SELECT "orgId", id, "receivedAt" FROM "RawEvent"
          WHERE status IN ('pending', 'failed') AND "nextAttemptAt" <= now() AND attempts < ${MAX_ATTEMPTS}
          ORDER BY "receivedAt", id LIMIT ${limit} FOR UPDATE SKIP LOCKED) due
    WHERE r."orgId" = due."orgId" AND r.id = due.id AND r."receivedAt" = due."receivedAt"
    RETURNING r."orgId", r.id, r.source::text, r."eventType", r.payload, r.attempts, r."receivedAt"`;
  return events.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : 1));
}

/** Marks a claimed event done in the transaction that handled it. */
const markDone = (sql: Sql, event: ClaimedEvent, status: 'processed' | 'ignored') =>
  // now(): the transaction's start, the same for every event of a batch.
  sql.execute`UPDATE "RawEvent" SET status = ${status}::"RawEventStatus", "processedAt" = now(), error = NULL
    WHERE "orgId" = ${event.orgId}::uuid AND id = ${event.id}::uuid AND "receivedAt" = ${event.receivedAt}::timestamptz`;

/**
 * Runs a claimed event's handler and marks it processed in the same transaction, so its derived
 * rows and its status commit together: an event is never applied twice, even by a worker that
 * dies between the two.
 */
async function processEvent(event: ClaimedEvent): Promise<'processed' | 'ignored' | 'failed'> {
  const where = { orgId_id_receivedAt: { orgId: event.orgId, id: event.id, receivedAt: event.receivedAt } };
  const handler = handlerFor(event.source, event.eventType);
  if (!handler) {
    await db().rawEvent.update({ where, data: { status: 'ignored', processedAt: new Date(), error: null } });
    return 'ignored';
  }
  try {
    await withConflictRetry(() =>
      handleInTransaction(handler, { orgId: event.orgId, eventId: event.id, payload: event.payload }, (sql) => markDone(sql, event, 'processed')),
    );
    return 'processed';
  } catch (error) {
    // The database went away: not the event's fault. It is released when the database is back.
    if (isConnectionError(error)) throw error;
    const message = error instanceof ZodError ? `payload not understood: ${formatZodIssues(error.issues)}` : error instanceof Error ? error.message : String(error);
    const nextAttemptAt = new Date(Date.now() + retryDelaySeconds(event.attempts) * 1000);
    await db().rawEvent.update({ where, data: { status: 'failed', error: message.slice(0, 2000), nextAttemptAt } });
    log.warn({ eventId: event.id, source: event.source, eventType: event.eventType, attempts: event.attempts, error: message }, 'event processing failed');
    return 'failed';
  }
}

/** Claims and processes the oldest due event; null when none is due. */
export async function processNextEvent(): Promise<'processed' | 'ignored' | 'failed' | null> {
  const [event] = await claimEvents(1);
  return event ? processEvent(event) : null;
}

/**
 * Processes claimed events with SQL handlers (or none) in one transaction, a savepoint each, so a
 * claim batch costs one commit, not one per event: under load each commit's WAL flush is what
 * acknowledgements of new deliveries wait behind. An event whose handler throws is rolled back to
 * its savepoint and processed again on its own after the commit (processEvent: conflict retries,
 * or marked failed), which also releases any lock another worker was waiting for.
 */
async function processTogether(events: ClaimedEvent[]): Promise<void> {
  const alone: ClaimedEvent[] = [];
  await inTransaction(async (sql) => {
    for (const event of events) {
      await sql.execute`SAVEPOINT event`;
      try {
        const handler = handlerFor(event.source, event.eventType);
        if (handler?.kind === 'sql') await handler.run({ orgId: event.orgId, eventId: event.id, payload: event.payload, sql });
        await markDone(sql, event, handler ? 'processed' : 'ignored');
        await sql.execute`RELEASE SAVEPOINT event`;
      } catch (error) {
        if (isConnectionError(error)) throw error;
        await sql.execute`ROLLBACK TO SAVEPOINT event`;
        alone.push(event);
      }
    }
  });
  for (const event of alone) await processEvent(event);
}

/** Events that may share a transaction: handled by SQL handlers or by none. */
const sharesTransaction = (event: ClaimedEvent) => handlerFor(event.source, event.eventType)?.kind !== 'prisma';

/** Consecutive runs of a claim batch to process together, and the rest one by one, in order. */
function transactionGroups(events: ClaimedEvent[]): ClaimedEvent[][] {
  // On the single-session embedded database a transaction per event keeps Prisma's own simple.
  if (sharesOneSession()) return events.map((e) => [e]);
  const groups: ClaimedEvent[][] = [];
  for (const event of events) {
    const last = groups.at(-1);
    if (last && sharesTransaction(event) && sharesTransaction(last[0]!)) last.push(event);
    else groups.push([event]);
  }
  return groups;
}

// Events claimed but not handled because the database went away mid-batch: made due again (their
// attempt not counted) once it answers, instead of waiting out their lease.
const unfinished = new Map<string, { orgId: string; id: string }>();

async function releaseUnfinished(): Promise<void> {
  if (!unfinished.size) return;
  const events = [...unfinished.values()];
  // Only those still waiting: one whose transaction committed before the connection broke is processed.
  await db().$executeRaw`
    UPDATE "RawEvent" SET "nextAttemptAt" = now(), attempts = GREATEST(attempts - 1, 0)
    WHERE ("orgId", id) IN (SELECT * FROM unnest(${events.map((e) => e.orgId)}::uuid[], ${events.map((e) => e.id)}::uuid[]))
      AND status IN ('pending', 'failed')`;
  for (const e of events) unfinished.delete(`${e.orgId}/${e.id}`);
}

/**
 * Processes due events until none is left (or `max`, or `goOn` answers false after a batch, given
 * how long the batch's oldest event had waited); returns how many were taken.
 */
export async function processPendingEvents(max = Infinity, goOn: (waitedMs: number) => boolean = () => true): Promise<number> {
  await releaseUnfinished();
  let n = 0;
  while (n < max) {
    const events = await claimEvents(Math.min(CLAIM_BATCH, max - n));
    if (events.length === 0) break;
    const waitedMs = Date.now() - events[0]!.receivedAt.getTime();
    try {
      for (const group of transactionGroups(events)) {
        if (group.length === 1) await processEvent(group[0]!);
        else await processTogether(group);
      }
    } catch (error) {
      // Those already committed stay processed: releaseUnfinished only touches events still due.
      if (isConnectionError(error)) for (const e of events) unfinished.set(`${e.orgId}/${e.id}`, { orgId: e.orgId, id: e.id });
      throw error;
    }
    n += events.length;
    if (!goOn(waitedMs)) break;
  }
  return n;
}

// The loop: started by the server (lib/server, instrumentation.ts) or `throughline worker`. A stored
// delivery wakes it at once: in the same process the webhook route calls wakeWorker(); elsewhere
// PostgreSQL's NOTIFY (sent by storeRawEvent when the insert commits) reaches its LISTEN. A slow poll
// catches retries and anything missed. The state lives on globalThis because Next bundles
// instrumentation and routes as separate modules.
//
// Pacing: one drain while the worker keeps up, more side by side (an event's handler mostly waits
// on database round trips), up to `concurrency`, while the events it claims have waited longer
// than CATCH_UP_AFTER_MS. Each extra drain takes CPU and WAL flushes from the acknowledgements of
// new deliveries on the same database (and often the same machine), which matter more than a few
// seconds of freshness in weekly figures; a growing backlog matters more than either.
const CATCH_UP_AFTER_MS = 2000;

interface Loop {
  started: boolean;
  draining: number;
  again: boolean;
  /** The most drains at once. */
  concurrency: number;
  /** The last batch claimed had waited past catchUpAfterMs: all drains run. */
  behind: boolean;
  catchUpAfterMs: number;
  /** While the database is unreachable: no drain starts before this time (ms), and the failures in a row. */
  pausedUntil?: number;
  outages?: number;
  resume?: NodeJS.Timeout;
  stop?: () => void;
}
const loop = ((globalThis as { throughlineWorker?: Loop }).throughlineWorker ??= { started: false, draining: 0, again: false, concurrency: 1, behind: false, catchUpAfterMs: CATCH_UP_AFTER_MS });

// Backing off while the database is unreachable: 0.5 s, 1 s, 2 s … at most 5 s between tries.
function pauseForOutage(error: unknown): void {
  loop.outages = (loop.outages ?? 0) + 1;
  const delay = Math.min(5000, 250 * 2 ** loop.outages);
  loop.pausedUntil = Date.now() + delay;
  if (loop.outages === 1) log.warn({ err: error }, 'worker: database unreachable; backing off and retrying');
  if (!loop.resume) {
    loop.resume = setTimeout(() => {
      loop.resume = undefined;
      wakeWorker();
    }, delay).unref();
  }
}

async function drain(): Promise<void> {
  loop.draining++;
  let counted = true;
  // After each batch: call in more drains while behind; an extra drain leaves once caught up.
  const goOn = (waitedMs: number) => {
    loop.behind = waitedMs > loop.catchUpAfterMs;
    if (loop.behind) startDrains();
    else if (loop.draining > 1) {
      loop.draining--; // here, not in finally: two drains deciding at once must not both leave
      counted = false;
    }
    return counted;
  };
  try {
    // At least one pass; another while events keep arriving (wakeWorker sets `again`).
    do {
      loop.again = false;
      await processPendingEvents(Infinity, goOn);
    } while (loop.again && counted);
    if (loop.outages) log.info({ failedTries: loop.outages }, 'worker: database reachable again');
    loop.outages = 0;
  } catch (error) {
    if (isConnectionError(error)) pauseForOutage(error);
    else log.error({ err: error }, 'worker drain failed');
  } finally {
    if (counted) loop.draining--;
    if (loop.draining === 0) loop.behind = false; // nothing left, or an outage: start again from one
  }
}

/** How many drains run now (for tests and status). */
export const runningDrains = () => loop.draining;

function startDrains(): void {
  const wanted = loop.behind ? loop.concurrency : 1;
  for (let i = loop.draining; i < wanted; i++) void drain();
}

export function wakeWorker(): void {
  if (!loop.started || (loop.pausedUntil ?? 0) > Date.now()) return;
  loop.again = true;
  startDrains();
}

/** Wakes the loop on every NOTIFY of a stored event; reconnects after a lost connection. */
function listenForEvents(url: string): () => void {
  const client = new pg.Client({ connectionString: url });
  let stopped = false;
  let again: (() => void) | undefined;
  // After its first error a dying connection can emit another ("Connection terminated
  // unexpectedly"): something must still hear it, or it ends the process.
  const forget = () => {
    client.removeAllListeners();
    client.on('error', () => {});
    void client.end().catch(() => {});
  };
  const retry = () => {
    forget();
    if (stopped) return;
    // Not unref'd: in `throughline worker` the LISTEN connection is what keeps the process
    // alive, so while the database is down this timer must (stopWorker clears it).
    const timer = setTimeout(() => (again = listenForEvents(url)), 5000);
    again = () => clearTimeout(timer);
  };
  client.on('notification', wakeWorker);
  client.on('error', (error) => {
    if (stopped) return;
    log.warn({ err: error }, 'worker LISTEN connection lost; polling until it is back');
    retry();
  });
  client
    .connect()
    .then(() => client.query(`LISTEN ${RAW_EVENT_CHANNEL}`))
    .then(wakeWorker, (error: unknown) => {
      if (stopped) return;
      log.warn({ err: error }, 'worker could not LISTEN; polling');
      retry();
    });
  return () => {
    stopped = true;
    again?.();
    forget();
  };
}

/**
 * Starts the loop in this process. `listen` (a PostgreSQL server, not the single-session embedded
 * database) also takes a connection of its own to LISTEN for stored events.
 */
export function startWorker({ pollMs = 5000, listen = false, catchUpAfterMs = CATCH_UP_AFTER_MS }: { pollMs?: number; listen?: boolean; catchUpAfterMs?: number } = {}): void {
  if (loop.started) return;
  loop.started = true;
  loop.catchUpAfterMs = catchUpAfterMs;
  loop.behind = false;
  // Each drain holds a pooled connection during its transaction; leave room for the web server.
  loop.concurrency = Math.max(1, Math.min(env().THROUGHLINE_WORKER_CONCURRENCY, env().DATABASE_POOL_MAX - 2));
  const poll = setInterval(wakeWorker, pollMs).unref();
  const unlisten = listen && env().DATABASE_URL ? listenForEvents(env().DATABASE_URL!) : undefined;
  // Copilot metrics are pulled, not pushed: fetched on a schedule with the stored credentials.
  const stopCopilotFetch = scheduleCopilotFetch({ onStored: wakeWorker });
  // Weekly rollups follow the rows the handlers write (marked by database triggers).
  const stopRollups = scheduleRollupRefresh();
  // Deliveries spooled while the database was unreachable (lib/ingest/spool.ts) go into the raw log.
  const stopSpoolDrainer = startSpoolDrainer();
  // The raw log's months ahead, and its payload retention (lib/ingest/raw-retention.ts).
  const stopRawLogMaintenance = scheduleRawLogMaintenance();
  loop.stop = () => {
    clearInterval(poll);
    unlisten?.();
    stopCopilotFetch();
    stopRollups();
    stopSpoolDrainer();
    stopRawLogMaintenance();
  };
  wakeWorker();
}

/** Stops waking the loop (events being handled finish); for tests and shutdown. */
export function stopWorker(): void {
  loop.stop?.();
  loop.started = false;
}
