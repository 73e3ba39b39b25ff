import type { Prisma, TicketSource } from '../db/generated/client.ts';
import { prismaSql, type Sql } from '../db/sql.ts';
import { hostOf, parsePullRequestUrl, pullRequestKey, type PullRequestRef } from './pull-request-url.ts';

// A tracker attachment (Linear's GitHub/GitLab integration attaches each pull request it sees to
// the issue) links its ticket to that pull request, whichever of the two is stored first. What a
// tracker said is kept as marker rows in the raw log (as deleted tickets are, lib/tickets/
// upsert-ticket.ts), each found by one key prefix: by pull request (when it is stored) and by
// ticket (when the ticket is). Markers are only ever added (an attachment, its removal), and the
// links follow from the whole set, so any order of deliveries, and any replay, gives the same links.

// Trackers whose attachments are read; the pull request side looks only among their rows.
const TRACKERS = ['linear', 'jira'] as const;

export interface TicketRef {
  source: (typeof TRACKERS)[number];
  externalId: string;
}

export interface TrackerAttachment {
  /** The tracker's id of the attachment: a removal names it, and the URL may be attached again later. */
  id: string;
  url: string;
}

interface AttachmentFact {
  ticketExternalId: string;
  attachmentId: string;
  pullRequestKey: string;
  url: string;
}

const ATTACHED = 'ticket.attachment';
const REMOVED = 'ticket.attachment_removed';
/** The markers' event types (a full replay deletes the markers with the links, and handlers write them again). */
export const ATTACHMENT_MARKERS = [ATTACHED, REMOVED];
const byPullRequest = (key: string) => `attachment-pr:${key}|`;
const byTicket = (externalId: string) => `attachment-ticket:${externalId}|`;
const removal = (attachmentId: string) => `attachment-removed:${attachmentId}`;

function marker(source: TicketRef['source'], deliveryId: string, eventType: string, payload: Prisma.InputJsonObject) {
  return { source, deliveryId, eventType, headers: {}, payload, status: 'ignored' as const, processedAt: new Date() };
}

/**
 * Records a ticket's attachments and links it to the pull requests among them that are stored
 * (the others link when they arrive). URLs that are not a pull request or merge request are ignored.
 */
export async function recordTrackerAttachments(tx: Prisma.TransactionClient, orgId: string, ticket: TicketRef, attachments: readonly TrackerAttachment[]): Promise<void> {
  const facts = attachments.flatMap((a): AttachmentFact[] => {
    const ref = parsePullRequestUrl(a.url);
    return ref ? [{ ticketExternalId: ticket.externalId, attachmentId: a.id, pullRequestKey: pullRequestKey(ref), url: a.url }] : [];
  });
  if (!facts.length) return;
  await tx.rawEvent.createMany({
    data: facts.flatMap((f) => [
      { orgId, ...marker(ticket.source, `${byPullRequest(f.pullRequestKey)}${f.ticketExternalId}|${f.attachmentId}`, ATTACHED, { ...f }) },
      { orgId, ...marker(ticket.source, `${byTicket(f.ticketExternalId)}${f.attachmentId}`, ATTACHED, { ...f }) },
    ]),
    skipDuplicates: true,
  });
  await refreshTicketAttachmentLinks(tx, orgId, ticket);
}

/** An attachment removed from its ticket: for good, even if an older delivery adding it comes later. */
export async function removeTrackerAttachment(tx: Prisma.TransactionClient, orgId: string, ticket: TicketRef, attachment: TrackerAttachment): Promise<void> {
  if (!parsePullRequestUrl(attachment.url)) return;
  await tx.rawEvent.createMany({
    data: [{ orgId, ...marker(ticket.source, removal(attachment.id), REMOVED, { ticketExternalId: ticket.externalId, attachmentId: attachment.id, url: attachment.url }) }],
    skipDuplicates: true,
  });
  await refreshTicketAttachmentLinks(tx, orgId, ticket);
}

/** The facts under a marker prefix (markers of `sources`) whose attachment was not removed. */
async function liveFacts(sql: Sql, orgId: string, sources: readonly TicketRef['source'][], prefix: string) {
  return sql.query<AttachmentFact & { source: TicketRef['source'] }>`
    SELECT m.source::text AS source, m.payload->>'ticketExternalId' AS "ticketExternalId", m.payload->>'attachmentId' AS "attachmentId",
           m.payload->>'pullRequestKey' AS "pullRequestKey", m.payload->>'url' AS url
    FROM "RawEvent" m
    WHERE m."orgId" = ${orgId}::uuid AND m.source = ANY(${[...sources]}::"EventSource"[]) AND m."eventType" = ${ATTACHED}
      AND starts_with(m."deliveryId", ${prefix})
      AND NOT EXISTS (SELECT 1 FROM "RawEvent" r WHERE r."orgId" = m."orgId" AND r.source = m.source AND r."eventType" = ${REMOVED}
                        AND r."deliveryId" = ${removal('')} || (m.payload->>'attachmentId'))`;
}

async function findPullRequest(tx: Prisma.TransactionClient, orgId: string, ref: PullRequestRef): Promise<string | null> {
  // Providers ignore case in these names; the host must agree when the repository's URL is known.
  const repositories = await tx.repository.findMany({
    where: { orgId, provider: ref.provider, owner: { equals: ref.owner, mode: 'insensitive' }, name: { equals: ref.name, mode: 'insensitive' } },
    select: { id: true, url: true },
  });
  for (const repo of repositories) {
    if (repo.url && hostOf(repo.url) !== ref.host) continue;
    const pr = await tx.pullRequest.findUnique({ where: { orgId_repositoryId_number: { orgId, repositoryId: repo.id, number: ref.number } }, select: { id: true } });
    if (pr) return pr.id;
  }
  return null;
}

/** Sets the ticket's `tracker_attachment` links to the stored pull requests its live attachments name. */
export async function refreshTicketAttachmentLinks(tx: Prisma.TransactionClient, orgId: string, ticket: { source: TicketSource; externalId: string }): Promise<void> {
  const source = TRACKERS.find((t) => t === ticket.source);
  if (!source) return; // GitHub and GitLab issues carry no tracker attachments
  const stored = await tx.ticket.findUnique({ where: { orgId_source_externalId: { orgId, source: ticket.source, externalId: ticket.externalId } }, select: { id: true } });
  if (!stored) return;
  const facts = await liveFacts(prismaSql(tx), orgId, [source], byTicket(ticket.externalId));
  const pullRequestIds = new Set<string>();
  for (const url of new Set(facts.map((f) => f.url))) {
    const id = await findPullRequest(tx, orgId, parsePullRequestUrl(url)!);
    if (id) pullRequestIds.add(id);
  }
  await tx.ticketPullRequestLink.deleteMany({ where: { orgId, ticketId: stored.id, foundBy: 'tracker_attachment', pullRequestId: { notIn: [...pullRequestIds] } } });
  if (pullRequestIds.size) {
    await tx.ticketPullRequestLink.createMany({ data: [...pullRequestIds].map((pullRequestId) => ({ orgId, ticketId: stored.id, pullRequestId, foundBy: 'tracker_attachment' as const })), skipDuplicates: true });
  }
}

/** Sets a stored pull request's `tracker_attachment` links to the stored tickets whose live attachments name it. */
export async function refreshPullRequestAttachmentLinks(sql: Sql, orgId: string, pullRequestId: string, key: string): Promise<void> {
  const facts = await liveFacts(sql, orgId, TRACKERS, byPullRequest(key));
  const tickets = facts.length
    ? await sql.query<{ id: string }>`
        SELECT DISTINCT t.id FROM "Ticket" t JOIN unnest(${facts.map((f) => f.source)}::text[], ${facts.map((f) => f.ticketExternalId)}::text[]) AS f(source, "externalId")
          ON t.source::text = f.source AND t."externalId" = f."externalId"
        WHERE t."orgId" = ${orgId}::uuid`
    : [];
  const ticketIds = tickets.map((t) => t.id);
  await sql.execute`
    DELETE FROM "TicketPullRequestLink" WHERE "orgId" = ${orgId}::uuid AND "pullRequestId" = ${pullRequestId}::uuid AND "foundBy" = 'tracker_attachment'
      AND NOT ("ticketId" = ANY(${ticketIds}::uuid[]))`;
  if (ticketIds.length) {
    await sql.execute`
      INSERT INTO "TicketPullRequestLink" ("orgId", "ticketId", "pullRequestId", "foundBy")
      SELECT ${orgId}::uuid, t, ${pullRequestId}::uuid, 'tracker_attachment' FROM unnest(${ticketIds}::uuid[]) AS t
      ON CONFLICT DO NOTHING`;
  }
}
