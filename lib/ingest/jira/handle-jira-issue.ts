import type { z } from 'zod';
import type { StatusCategory } from '../../db/generated/client.ts';
import { deleteTicket, upsertTicket } from '../../tickets/upsert-ticket.ts';
import type { HandlerInput } from '../handlers.ts';
import { jiraBackfilledIssueSchema, jiraIssueSchema, jiraWebhookSchema } from './payload-schemas.ts';

type JiraIssue = z.infer<typeof jiraIssueSchema>;
type Transition = { at: Date; category: StatusCategory | undefined };

const CATEGORY = { new: 'todo', indeterminate: 'in_progress', done: 'done', undefined: 'todo' } as const satisfies Record<string, StatusCategory>;

const isStatusItem = (item: { fieldId?: string; field: string }) => (item.fieldId ?? item.field).toLowerCase() === 'status';

/** `jira:issue_created` and `jira:issue_updated`: the issue, and the status move this event made, if any. */
export async function handleJiraWebhookIssue({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { issue, changelog } = jiraWebhookSchema.parse(payload);
  // A status item means the issue moved, at this event, into its current status.
  const moved = changelog?.items.some(isStatusItem) ?? false;
  const transitions = moved ? [{ at: issue.fields.updated, category: CATEGORY[issue.fields.status.statusCategory.key] }] : [];
  await upsertJiraIssue({ tx, orgId, issue, transitions, fromFullHistory: false });
}

/** `jira:issue_deleted`. */
export async function handleJiraWebhookIssueDeleted({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { issue, timestamp } = jiraWebhookSchema.parse(payload);
  await deleteTicket(tx, orgId, { source: 'jira', externalId: issue.id, deletedAt: new Date(timestamp) });
}

/** An issue from `throughline backfill jira`: its whole status history, with each move's time. */
export async function handleJiraBackfilledIssue({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { issue, statusCategories } = jiraBackfilledIssueSchema.parse(payload);
  const current = issue.fields.status;
  const categoryOf = (statusId: string | null) => {
    const key = statusId === current.id ? current.statusCategory.key : statusId ? statusCategories[statusId] : undefined;
    return key ? CATEGORY[key] : undefined;
  };
  const transitions = (issue.changelog?.histories ?? [])
    .flatMap((h) => h.items.filter(isStatusItem).map((item) => ({ at: h.created, category: categoryOf(item.to) })))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  await upsertJiraIssue({ tx, orgId, issue, transitions, fromFullHistory: true });
}

/**
 * Start: the earliest move into an in-progress status; with none known while the issue is in
 * progress, Jira's `statuscategorychangedate` (else the update time) bounds it. Done: Jira's
 * `statuscategorychangedate` when the issue is done; else, from a full history, the last move into
 * done from another category; else upsertTicket keeps an earlier done time.
 */
async function upsertJiraIssue({ tx, orgId, issue, transitions, fromFullHistory }: Pick<HandlerInput, 'tx' | 'orgId'> & { issue: JiraIssue; transitions: Transition[]; fromFullHistory: boolean }) {
  const { fields } = issue;
  const category = CATEGORY[fields.status.statusCategory.key];
  const categoryChangedAt = fields.statuscategorychangedate ?? null;
  const firstInProgress = transitions.find((t) => t.category === 'in_progress')?.at ?? null;
  const startedAt = firstInProgress ?? (category === 'in_progress' ? (categoryChangedAt ?? fields.updated) : null);
  let doneAt = category === 'done' ? (categoryChangedAt ?? undefined) : undefined;
  if (category === 'done' && !doneAt && fromFullHistory) {
    let previous: StatusCategory = 'todo';
    for (const t of transitions) {
      if (!t.category) continue;
      if (t.category === 'done' && previous !== 'done') doneAt = t.at;
      previous = t.category;
    }
  }
  await upsertTicket(tx, orgId, {
    source: 'jira', externalId: issue.id, key: issue.key.toUpperCase(), title: fields.summary, type: fields.issuetype?.name ?? null,
    statusName: fields.status.name, statusCategory: category, url: issue.self ? `${new URL(issue.self).origin}/browse/${issue.key}` : null,
    createdAt: fields.created, updatedAt: fields.updated, startedAt, doneAt,
  });
}
