import { z } from 'zod';
import type { StatusCategory } from '../../db/generated/client.ts';
import { deleteTicket, upsertTicket } from '../../tickets/upsert-ticket.ts';
import type { HandlerInput } from '../handlers.ts';

const time = z.string().datetime({ offset: true }).transform((s) => new Date(s));

// The parts of Linear's `Issue` webhook Throughline reads; everything else stays in the raw log.
export const linearIssueEventSchema = z.object({
  action: z.string(),
  url: z.string().optional(),
  data: z.object({
    id: z.string(),
    identifier: z.string().optional(),
    number: z.number().int(),
    title: z.string(),
    createdAt: time,
    updatedAt: time,
    startedAt: time.nullable().optional(),
    completedAt: time.nullable().optional(),
    canceledAt: time.nullable().optional(),
    state: z.object({ name: z.string(), type: z.string() }),
    team: z.object({ key: z.string() }),
  }),
});

// Linear's workflow state types; any other (a new one) counts as not started.
const CATEGORY: Record<string, StatusCategory> = { triage: 'todo', backlog: 'todo', unstarted: 'todo', started: 'in_progress', completed: 'done', canceled: 'done' };

/**
 * `Issue` create, update and remove. Linear keeps the times itself (`startedAt`, `completedAt`,
 * `canceledAt`), so they are taken as sent; canceled counts as done, as Linear's own reports do.
 */
export async function handleLinearIssue({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { action, url, data } = linearIssueEventSchema.parse(payload);
  if (action === 'remove') {
    await deleteTicket(tx, orgId, { source: 'linear', externalId: data.id, deletedAt: data.updatedAt });
    return;
  }
  const category = CATEGORY[data.state.type] ?? 'todo';
  await upsertTicket(tx, orgId, {
    source: 'linear', externalId: data.id, key: (data.identifier ?? `${data.team.key}-${data.number}`).toUpperCase(), title: data.title, type: null,
    statusName: data.state.name, statusCategory: category, url: url ?? null, createdAt: data.createdAt, updatedAt: data.updatedAt,
    startedAt: data.startedAt ?? (category === 'in_progress' ? data.updatedAt : null),
    doneAt: category === 'done' ? (data.completedAt ?? data.canceledAt ?? undefined) : undefined,
  });
}
