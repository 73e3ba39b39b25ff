import 'server-only';
import { z } from 'zod';
import { db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { AppError } from '../http/errors.ts';
import type { DeliveriesPage, DeliveriesQuery, SourceId } from './sources.ts';

// One source's deliveries (raw events), newest first, paged by a keyset cursor on
// (receivedAt, id): ids are random, so the time orders and the id only breaks ties.

const cursorSchema = z.object({ t: z.iso.datetime(), id: z.string().min(1).max(64) });

function encodeCursor(row: { receivedAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ t: row.receivedAt.toISOString(), id: row.id })).toString('base64url');
}

function decodeCursor(cursor: string): { t: Date; id: string } {
  try {
    const { t, id } = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { t: new Date(t), id };
  } catch {
    throw new AppError('bad_request', 'cursor: is not a nextCursor this API answered');
  }
}

export async function listSourceDeliveries({ orgId, source, status, cursor, limit }: { orgId: string; source: SourceId } & DeliveriesQuery): Promise<DeliveriesPage> {
  const after = cursor ? decodeCursor(cursor) : null;
  const where: Prisma.RawEventWhereInput = {
    orgId,
    source,
    ...(status && { status }),
    ...(after && { OR: [{ receivedAt: { lt: after.t } }, { receivedAt: after.t, id: { lt: after.id } }] }),
  };
  const rows = await db().rawEvent.findMany({
    where,
    select: { id: true, eventType: true, deliveryId: true, status: true, receivedAt: true, processedAt: true, attempts: true, error: true },
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    deliveries: page.map((r) => ({
      ...r,
      receivedAt: r.receivedAt.toISOString(),
      processedAt: r.processedAt?.toISOString() ?? null,
      // A processed event keeps no error; a pending retry shows the last one until it runs.
      error: r.status === 'processed' ? null : r.error,
    })),
    nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null,
  };
}
