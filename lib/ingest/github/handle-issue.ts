import { deleteTicket, upsertTicket } from '../../tickets/upsert-ticket.ts';
import type { HandlerInput } from '../handlers.ts';
import { githubIssueEventSchema } from './payload-schemas.ts';

/**
 * `issues`, every action: a GitHub issue as a ticket keyed `owner/repo#12` (lower case, as links
 * look it up). Open is to do (GitHub has no in-progress state), closed is done at `closed_at`;
 * reopening clears it. Deleted and transferred issues leave this repository: the ticket is deleted.
 */
export async function handleGithubIssue({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { action, repository, issue } = githubIssueEventSchema.parse(payload);
  const externalId = String(issue.id);
  if (action === 'deleted' || action === 'transferred') {
    await deleteTicket(tx, orgId, { source: 'github', externalId, deletedAt: new Date(issue.updated_at) });
    return;
  }
  const closed = issue.state === 'closed';
  await upsertTicket(tx, orgId, {
    source: 'github', externalId, key: `${repository.full_name}#${issue.number}`.toLowerCase(), title: issue.title, type: issue.type?.name ?? null,
    statusName: issue.state, statusCategory: closed ? 'done' : 'todo', url: issue.html_url ?? null,
    createdAt: new Date(issue.created_at), updatedAt: new Date(issue.updated_at), startedAt: null,
    doneAt: closed && issue.closed_at ? new Date(issue.closed_at) : undefined,
  });
}
