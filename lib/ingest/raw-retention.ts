import { db } from '../db/client.ts';
import { postgresErrorCode } from '../db/postgres-error-code.ts';
import { env } from '../env.ts';
import { log } from '../log.ts';

// The raw log is partitioned by month of arrival (UTC; see the migration
// raw_event_month_partitions). This module keeps the months ahead created, so inserts land in
// their month and not in the default partition, and applies the payload retention: a month past
// it is dropped whole, which frees its space at once, with no row-by-row delete and no VACUUM.

export interface RawEventPartition {
  name: string;
  /** Its month: [from, to). */
  from: Date;
  to: Date;
}

/** The month partitions of the raw log, oldest first (the default partition is not one). */
export async function listRawEventPartitions(): Promise<RawEventPartition[]> {
  const rows = await db().$queryRaw<{ name: string; bound: string }[]>`
    SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = '"RawEvent"'::regclass`;
  return rows
    .flatMap(({ name, bound }) => {
      const m = bound.match(/FROM \('([^']+)'\) TO \('([^']+)'\)/);
      return m ? [{ name, from: new Date(m[1]!), to: new Date(m[2]!) }] : [];
    })
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

/** The first instant (UTC) of the month `months` after the one holding `at` (negative: before). */
export function monthStart(at: Date, months = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
}

/** Creates the partitions of this month and the next `ahead` where missing (moving in what the default partition caught). */
export async function ensureRawEventPartitions({ now = new Date(), ahead = 2 }: { now?: Date; ahead?: number } = {}): Promise<void> {
  for (let m = 0; m <= ahead; m++) await db().$queryRaw`SELECT tl_raw_event_month_partition(${monthStart(now, m)}::timestamptz)::text`;
}

export interface PruneResult {
  /** Raw payloads received before this instant are gone (null: nothing was past the retention). */
  horizon: Date;
  dropped: string[];
  /** Months past the retention kept: some of their events are not processed yet, or the raw log was busy (the next run tries again). */
  kept: { name: string; reason: string }[];
  /** Rows past the retention deleted from the default partition. */
  defaultRowsDeleted: number;
}

/**
 * Drops the raw payloads received before the first day of the month `months` months before the
 * current one (UTC): their month partitions, and any such rows the default partition caught.
 * Derived rows stay, and so do the delivery ids (RawEventDelivery), so an old delivery sent again
 * is still a duplicate. A month holding an event not yet processed (pending, or failed: an admin
 * may retry it) is kept whole. Each org whose payloads went gets `rawPrunedBefore`, which makes a
 * full replay refuse to run rather than drop rows it could not rebuild.
 */
export async function pruneRawEvents({ months, now = new Date() }: { months: number; now?: Date }): Promise<PruneResult> {
  if (!Number.isInteger(months) || months < 1) throw new Error(`retention must be a whole number of months >= 1, got ${months}`);
  const horizon = monthStart(now, -months);
  const result: PruneResult = { horizon, dropped: [], kept: [], defaultRowsDeleted: 0 };
  for (const part of await listRawEventPartitions()) {
    if (part.to > horizon) break;
    const reason = await db().$transaction(async (tx): Promise<string | null> => {
      const table = `"${part.name.replaceAll('"', '""')}"`;
      // Detaching locks the whole raw log for a moment: never queue for it behind a long
      // transaction (inserts would queue behind this one); the next run tries again.
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '2s'`);
      // Locks the month against inserts (a late spool drain) while it is judged and dropped.
      await tx.$executeRawUnsafe(`LOCK TABLE ${table} IN SHARE MODE`);
      const [row] = await tx.$queryRawUnsafe<{ unprocessed: number }[]>(`SELECT count(*)::int AS unprocessed FROM ${table} WHERE status IN ('pending', 'failed')`);
      const unprocessed = row?.unprocessed ?? 0;
      if (unprocessed > 0) return `${unprocessed} event${unprocessed === 1 ? '' : 's'} not processed yet`;
      await tx.$executeRawUnsafe(
        `UPDATE "Organization" SET "rawPrunedBefore" = GREATEST("rawPrunedBefore", $1::timestamptz) WHERE id IN (SELECT DISTINCT "orgId" FROM ${table})`,
        part.to,
      );
      await tx.$executeRawUnsafe(`ALTER TABLE "RawEvent" DETACH PARTITION ${table}`);
      await tx.$executeRawUnsafe(`DROP TABLE ${table}`);
      return null;
    }).catch((error: unknown) => {
      if (postgresErrorCode(error) === '55P03') return 'the raw log was busy'; // lock_not_available: lock_timeout passed
      throw error;
    });
    if (reason) result.kept.push({ name: part.name, reason });
    else result.dropped.push(part.name);
  }
  result.defaultRowsDeleted = await db().$transaction(async (tx) => {
    const done = `"receivedAt" < $1::timestamptz AND status IN ('processed', 'ignored')`;
    await tx.$executeRawUnsafe(
      `UPDATE "Organization" o SET "rawPrunedBefore" = GREATEST(o."rawPrunedBefore", r.latest)
       FROM (SELECT "orgId", max("receivedAt") AS latest FROM "RawEvent_default" WHERE ${done} GROUP BY "orgId") r WHERE o.id = r."orgId"`,
      horizon,
    );
    return tx.$executeRawUnsafe(`DELETE FROM "RawEvent_default" WHERE ${done}`, horizon);
  });
  return result;
}

/** Creates the months ahead and applies RAW_EVENT_RETENTION_MONTHS now, then every hour; returns a stop function. */
export function scheduleRawLogMaintenance({ everyMs = 3_600_000 }: { everyMs?: number } = {}): () => void {
  let running = false;
  const run = () => {
    if (running) return;
    running = true;
    maintainRawLog()
      .catch((error: unknown) => log.error({ err: error }, 'raw log maintenance failed'))
      .finally(() => (running = false));
  };
  const timer = setInterval(run, everyMs).unref();
  run();
  return () => clearInterval(timer);
}

async function maintainRawLog(): Promise<void> {
  await ensureRawEventPartitions();
  const months = env().RAW_EVENT_RETENTION_MONTHS;
  if (!months) return;
  const { horizon, dropped, kept, defaultRowsDeleted } = await pruneRawEvents({ months });
  if (dropped.length || defaultRowsDeleted) log.info({ horizon, dropped, defaultRowsDeleted }, 'raw payloads past the retention dropped');
  for (const k of kept) log.warn({ partition: k.name, reason: k.reason }, 'raw log month past the retention kept for now');
}

