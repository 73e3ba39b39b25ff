import type { Prisma } from '../db/generated/client.ts';
import { findTicketReferences } from './find-ticket-references.ts';

// Links a source finds by itself; the others (tracker attachments, manual) are never recomputed here.
const DERIVED = ['branch_name', 'pr_title', 'pr_body', 'commit_message', 'closing_keyword'] as const;

/**
 * Recomputes the links of one pull request from its current text (branch, title, body, commit
 * messages): a reference becomes a link only when the org has a ticket with that key, so
 * look-alikes (`UTF-8`, `ISO-8601`, `SHA-256`, `GPT-4`) link nothing unless such a ticket exists.
 * Tracker keys match Jira and Linear tickets, `owner/repo#12` GitHub issues. Links the text no
 * longer supports are removed, so an edited title or body moves them.
 */
export async function refreshPullRequestTicketLinks(tx: Prisma.TransactionClient, orgId: string, pullRequestId: string): Promise<void> {
  const pr = await tx.pullRequest.findUniqueOrThrow({
    where: { orgId_id: { orgId, id: pullRequestId } },
    select: { headBranch: true, title: true, body: true, repository: { select: { owner: true, name: true } }, commits: { select: { commit: { select: { message: true } } } } },
  });
  const references = findTicketReferences({
    repository: `${pr.repository.owner}/${pr.repository.name}`,
    branch: pr.headBranch,
    title: pr.title,
    body: pr.body,
    commitMessages: pr.commits.map((c) => c.commit.message),
  });
  const keys = [...new Set(references.map((r) => r.key))];
  const tickets = keys.length ? await tx.ticket.findMany({ where: { orgId, key: { in: keys } }, select: { id: true, key: true, source: true } }) : [];
  // A GitHub-style key names a GitHub issue, a tracker key a Jira or Linear ticket.
  const linkable = tickets.filter((t) => (t.source === 'github') === t.key.includes('#'));
  const links = references.flatMap((r) => linkable.filter((t) => t.key === r.key).map((t) => ({ orgId, ticketId: t.id, pullRequestId, foundBy: r.foundBy })));
  await tx.ticketPullRequestLink.deleteMany({ where: { orgId, pullRequestId, foundBy: { in: [...DERIVED] } } });
  if (links.length) await tx.ticketPullRequestLink.createMany({ data: links, skipDuplicates: true });
}

/**
 * A ticket seen for the first time (or under a new key) may be named by pull requests stored
 * before it: those whose branch, title, body or commit messages contain the key are recomputed.
 * The text search only narrows the candidates; the exact rule is refreshPullRequestTicketLinks'.
 */
export async function linkTicketToStoredPullRequests(tx: Prisma.TransactionClient, orgId: string, key: string): Promise<void> {
  // For `owner/repo#12` a pull request of that repository may write `#12` alone.
  const needle = key.includes('#') ? `%#${key.split('#')[1]}%` : `%${key}%`;
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT p.id FROM "PullRequest" p
    WHERE p."orgId" = ${orgId}
      AND (p."headBranch" ILIKE ${needle} OR p.title ILIKE ${needle} OR p.body ILIKE ${needle}
           OR EXISTS (SELECT 1 FROM "PullRequestCommit" pc JOIN "Commit" c ON c."orgId" = pc."orgId" AND c.id = pc."commitId"
                      WHERE pc."orgId" = ${orgId} AND pc."pullRequestId" = p.id AND c.message ILIKE ${needle}))`;
  for (const { id } of rows) await refreshPullRequestTicketLinks(tx, orgId, id);
}
