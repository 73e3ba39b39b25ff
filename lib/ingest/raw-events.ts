import type { Prisma } from '../db/generated/client.ts';
import { db } from '../db/client.ts';

export type EventSource = 'github' | 'gitlab' | 'jira' | 'linear' | 'ci' | 'otlp';

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
 * from; answers false for a redelivery (same org, source and delivery id), which stores nothing.
 * Callers acknowledge (2xx) only after this returns.
 */
export async function storeRawEvent(event: RawEventInput): Promise<{ stored: boolean }> {
  const { count } = await db().rawEvent.createMany({ data: [event], skipDuplicates: true });
  return { stored: count === 1 };
}
