import { z } from 'zod';
import { recordTrackerAttachments, removeTrackerAttachment } from '../../tickets/link-tracker-attachments.ts';
import type { HandlerInput } from '../handlers.ts';

// The parts of Linear's `Attachment` webhook Throughline reads (the SDK's AttachmentWebhookPayload):
// Linear's GitHub and GitLab integrations attach each pull request they see to its issue.
export const linearAttachmentEventSchema = z.object({
  action: z.string(),
  data: z.object({ id: z.string(), issueId: z.string(), url: z.string() }),
});

/**
 * `Attachment` create, update and remove: one naming a pull request or merge request links the
 * issue's ticket to it (`tracker_attachment`), now or when either of them is stored; a removal
 * undoes it. Other attachments (Slack, Figma, commits) change nothing.
 */
export async function handleLinearAttachment({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { action, data } = linearAttachmentEventSchema.parse(payload);
  const ticket = { source: 'linear' as const, externalId: data.issueId };
  if (action === 'remove') await removeTrackerAttachment(tx, orgId, ticket, data);
  else await recordTrackerAttachments(tx, orgId, ticket, [data]);
}
