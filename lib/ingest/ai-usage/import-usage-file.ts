import { db } from '../../db/client.ts';
import { storeRawEvent } from '../raw-events.ts';
import { processPendingEvents } from '../worker.ts';
import { contentDeliveryId } from './content-delivery-id.ts';
import { readUsageFile, type UsageVendor } from './read-usage-file.ts';

export interface UsageImportResult {
  eventType: string;
  deliveryId: string;
  /** False when the same file (for the same scope) was imported before. */
  stored: boolean;
  items: number;
  unit: string;
  status: string;
  error: string | null;
}

/**
 * Imports a vendor's usage export (`throughline import copilot|cursor|anthropic|openai`): stored
 * raw like any delivery (source = the vendor, delivery id = a hash of the file and its scope),
 * then processed by the worker's handler, which replaces the days it holds.
 */
export async function importUsageFile({ orgId, vendor, text, team }: { orgId: string; vendor: UsageVendor; text: string; team?: string }): Promise<UsageImportResult> {
  const file = readUsageFile(vendor, text, { team });
  const deliveryId = contentDeliveryId(file.eventType, text, team ?? '');
  const { stored } = await storeRawEvent({ orgId, source: file.source, deliveryId, eventType: file.eventType, headers: {}, payload: file.payload });
  await processPendingEvents();
  const { eventId: id, receivedAt } = await db().rawEventDelivery.findUniqueOrThrow({ where: { orgId_source_deliveryId: { orgId, source: file.source, deliveryId } } });
  const event = await db().rawEvent.findUniqueOrThrow({ where: { orgId_id_receivedAt: { orgId, id, receivedAt } }, select: { status: true, error: true } });
  return { eventType: file.eventType, deliveryId, stored, items: file.items, unit: file.unit, status: event.status, error: event.error };
}
