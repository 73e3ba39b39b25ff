import { z } from 'zod';
import type { Prisma, StatusCategory } from '../../db/generated/client.ts';
import { deleteTicket, upsertTicket } from '../../tickets/upsert-ticket.ts';
import type { HandlerInput } from '../handlers.ts';

const time = z.string().datetime({ offset: true }).transform((s) => new Date(s));

// The parts of a Linear issue Throughline reads, as both the `Issue` webhook's `data` and the
// GraphQL API's `Issue` (lib/ingest/linear/backfill-linear.ts) carry them.
export const linearIssueSchema = z.object({
  id: z.string(),
  identifier: z.string().optional(),
  number: z.number().int(),
  title: z.string(),
  url: z.string().optional(),
  createdAt: time,
  updatedAt: time,
  startedAt: time.nullable().optional(),
  completedAt: time.nullable().optional(),
  canceledAt: time.nullable().optional(),
  state: z.object({ name: z.string(), type: z.string() }),
  team: z.object({ key: z.string() }),
});
export type LinearIssue = z.infer<typeof linearIssueSchema>;

// The parts of Linear's `Issue` webhook Throughline reads; everything else stays in the raw log.
export const linearIssueEventSchema = z.object({
  action: z.string(),
  url: z.string().optional(),
  data: linearIssueSchema,
});

// Linear's workflow state types; any other (a new one) counts as not started.
const CATEGORY: Record<string, StatusCategory> = { triage: 'todo', backlog: 'todo', unstarted: 'todo', started: 'in_progress', completed: 'done', canceled: 'done' };

/**
 * The one way a Linear issue becomes a ticket, from a webhook or a backfill. Linear keeps the times
 * itself (`startedAt`, `completedAt`, `canceledAt`), so they are taken as sent; canceled counts as
 * done, as Linear's own reports do.
 */
export async function upsertLinearIssue(tx: Prisma.TransactionClient, orgId: string, issue: LinearIssue, url: string | null): Promise<void> {
  const category = CATEGORY[issue.state.type] ?? 'todo';
  await upsertTicket(tx, orgId, {
    source: 'linear', externalId: issue.id, key: (issue.identifier ?? `${issue.team.key}-${issue.number}`).toUpperCase(), title: issue.title, type: null,
    statusName: issue.state.name, statusCategory: category, url, createdAt: issue.createdAt, updatedAt: issue.updatedAt,
    startedAt: issue.startedAt ?? (category === 'in_progress' ? issue.updatedAt : null),
    doneAt: category === 'done' ? (issue.completedAt ?? issue.canceledAt ?? undefined) : undefined,
  });
}

/** `Issue` create, update and remove. */
export async function handleLinearIssue({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { action, url, data } = linearIssueEventSchema.parse(payload);
  if (action === 'remove') {
    await deleteTicket(tx, orgId, { source: 'linear', externalId: data.id, deletedAt: data.updatedAt });
    return;
  }
  await upsertLinearIssue(tx, orgId, data, url ?? data.url ?? null);
}
