import { z } from 'zod';
import { recordTrackerAttachments } from '../../tickets/link-tracker-attachments.ts';
import { deleteTicket } from '../../tickets/upsert-ticket.ts';
import type { HandlerInput } from '../handlers.ts';
import { linearIssueSchema, upsertLinearIssue } from './handle-linear-issue.ts';

// An issue as the GraphQL API gave it to `throughline backfill linear` (ISSUES_QUERY).
export const linearBackfilledIssueSchema = z.object({
  issue: linearIssueSchema.extend({
    url: z.string(),
    trashed: z.boolean().nullable().optional(),
    attachments: z.object({ nodes: z.array(z.object({ id: z.string(), url: z.string() })) }),
  }),
});

/**
 * `backfill.issue`: the ticket, as a webhook delivery of the issue would make it, then its
 * attachments: those naming a pull request link the ticket to it (`tracker_attachment`). An issue
 * in Linear's trash is deleted, as a webhook `remove` does.
 */
export async function handleLinearBackfilledIssue({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { issue } = linearBackfilledIssueSchema.parse(payload);
  if (issue.trashed) {
    await deleteTicket(tx, orgId, { source: 'linear', externalId: issue.id, deletedAt: issue.updatedAt });
    return;
  }
  await upsertLinearIssue(tx, orgId, issue, issue.url);
  await recordTrackerAttachments(tx, orgId, { source: 'linear', externalId: issue.id }, issue.attachments.nodes);
}
