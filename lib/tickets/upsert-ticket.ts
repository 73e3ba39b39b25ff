import type { Prisma, StatusCategory, TicketSource } from '../db/generated/client.ts';
import { linkTicketToStoredPullRequests } from './link-tickets.ts';
import { refreshTicketAttachmentLinks } from './link-tracker-attachments.ts';
import { prismaSql } from '../db/sql.ts';

/** A ticket as one payload shows it, with the payload's own times. */
export interface TicketFacts {
  source: TicketSource;
  externalId: string;
  /** `ABC-123`, `ENG-42`, or `owner/repo#12` in lower case. */
  key: string;
  title: string;
  type: string | null;
  statusName: string | null;
  statusCategory: StatusCategory;
  url: string | null;
  createdAt: Date;
  /** When the source last changed the ticket: orders payloads that arrive out of order. */
  updatedAt: Date;
  /** The earliest move into in progress this payload shows (or an upper bound of it); null: none. */
  startedAt: Date | null;
  /** For a done ticket, when it moved into done, if the payload says; undefined when it does not. */
  doneAt?: Date;
}

const earliest = (a: Date | null | undefined, b: Date | null) => (a && b ? (a < b ? a : b) : (a ?? b));

// A deleted ticket leaves a marker in the raw log (found by its key, one index lookup), so an
// update delivered after the deletion does not bring it back.
const deletionMarker = (externalId: string) => `ticket-deleted:${externalId}`;
/** The marker's event type (a full replay deletes the markers with the rows, and handlers write them again). */
export const TICKET_DELETED = 'ticket.deleted';

/**
 * Upserts a ticket from any source's payload, tolerating any order: the newest payload (by the
 * source's update time) sets status, category and done time; any payload can move `startedAt`
 * earlier (it is the first move into in progress). Reopening clears `doneAt`. A ticket new to the
 * org, or under a new key, is linked to the pull requests already stored that name it; a new one
 * also to those its tracker attached before it was stored.
 */
export async function upsertTicket(tx: Prisma.TransactionClient, orgId: string, facts: TicketFacts): Promise<void> {
  const where = { orgId_source_externalId: { orgId, source: facts.source, externalId: facts.externalId } };
  await lockTicket(tx, orgId, facts.source, facts.externalId);
  const existing = await tx.ticket.findUnique({ where });
  if (!existing && (await tx.rawEventDelivery.findUnique({ where: { orgId_source_deliveryId: { orgId, source: facts.source, deliveryId: deletionMarker(facts.externalId) } } }))) return;
  const startedAt = earliest(existing?.startedAt, facts.startedAt);
  if (existing?.sourceUpdatedAt && existing.sourceUpdatedAt > facts.updatedAt) {
    if (startedAt?.getTime() !== existing.startedAt?.getTime()) await tx.ticket.update({ where, data: { startedAt } });
    return;
  }
  // Already done before this payload (Done → Closed): it stays done since then.
  const doneAt = facts.statusCategory === 'done' ? (facts.doneAt ?? (existing?.statusCategory === 'done' ? existing.doneAt : null) ?? facts.updatedAt) : null;
  const data = {
    key: facts.key, title: facts.title, type: facts.type, statusName: facts.statusName, statusCategory: facts.statusCategory, url: facts.url,
    createdAt: facts.createdAt, startedAt, doneAt, sourceUpdatedAt: facts.updatedAt,
  };
  if (existing) await tx.ticket.update({ where, data });
  else await tx.ticket.create({ data: { orgId, source: facts.source, externalId: facts.externalId, ...data } });
  if (existing?.key !== facts.key) await linkTicketToStoredPullRequests(prismaSql(tx), orgId, facts.key);
  if (!existing) await refreshTicketAttachmentLinks(tx, orgId, { source: facts.source, externalId: facts.externalId });
}

/**
 * Serialises the handlers of one ticket until the transaction ends. Each reads the ticket, then
 * writes by comparing its payload's update time with the stored one: two workers handling two
 * payloads of it at once would both read the same row, and the older payload could be written
 * last. A lock on the key, since the row may not exist yet.
 */
async function lockTicket(tx: Prisma.TransactionClient, orgId: string, source: TicketSource, externalId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`ticket:${orgId}:${source}:${externalId}`}, 0))`;
}

/** Deletes a ticket (its links go with it) and leaves the marker that keeps it deleted. */
export async function deleteTicket(tx: Prisma.TransactionClient, orgId: string, { source, externalId, deletedAt }: { source: TicketSource; externalId: string; deletedAt: Date }): Promise<void> {
  await lockTicket(tx, orgId, source, externalId);
  await tx.rawEvent.createMany({
    data: [{ orgId, source, deliveryId: deletionMarker(externalId), eventType: TICKET_DELETED, headers: {}, payload: { externalId, deletedAt: deletedAt.toISOString() }, status: 'ignored', processedAt: new Date() }],
    skipDuplicates: true,
  });
  await tx.ticket.deleteMany({ where: { orgId, source, externalId } });
}
