import type { LinkFoundBy } from '../db/generated/client.ts';
import type { Sql } from '../db/sql.ts';
import { findTicketReferences } from './find-ticket-references.ts';
import { refreshPullRequestAttachmentLinks } from './link-tracker-attachments.ts';
import { storedPullRequestKey } from './pull-request-url.ts';

// Links a source finds by itself; tracker attachments have their own (link-tracker-attachments.ts),
// manual links are never recomputed.
const DERIVED = ['branch_name', 'pr_title', 'pr_body', 'commit_message', 'closing_keyword'] as const;

/**
 * Recomputes the links of one pull request from its current text (branch, title, body, commit
 * messages): a reference becomes a link only when the org has a ticket with that key, so
 * look-alikes (`UTF-8`, `ISO-8601`, `SHA-256`, `GPT-4`) link nothing unless such a ticket exists.
 * Tracker keys match Jira and Linear tickets, `owner/repo#12` GitHub issues. Links the text no
 * longer supports are removed, so an edited title or body moves them. Tickets whose tracker
 * attached this pull request before it was stored are linked too.
 */
export async function refreshPullRequestTicketLinks(sql: Sql, orgId: string, pullRequestId: string): Promise<void> {
  // One round trip for the text, the repository and the links found last time: this runs for
  // every new or edited pull request.
  const [pr] = await sql.query<PullRequestText>`
    SELECT p.number, p."headBranch", p.title, p.body,
           json_build_object('owner', r.owner, 'name', r.name, 'provider', r.provider, 'url', r.url) AS repository,
           coalesce((SELECT json_agg(c.message ORDER BY c.sha) FROM "PullRequestCommit" pc
                     JOIN "Commit" c ON c."orgId" = pc."orgId" AND c.id = pc."commitId"
                     WHERE pc."orgId" = p."orgId" AND pc."pullRequestId" = p.id), '[]') AS "commitMessages",
           coalesce((SELECT json_agg(json_build_object('ticketId', l."ticketId", 'foundBy', l."foundBy")) FROM "TicketPullRequestLink" l
                     WHERE l."orgId" = p."orgId" AND l."pullRequestId" = p.id AND l."foundBy"::text = ANY(${[...DERIVED]}::text[])), '[]') AS links
    FROM "PullRequest" p JOIN "Repository" r ON r."orgId" = p."orgId" AND r.id = p."repositoryId"
    WHERE p."orgId" = ${orgId}::uuid AND p.id = ${pullRequestId}::uuid`;
  if (!pr) throw new Error(`pull request ${pullRequestId} not found`);
  const references = findTicketReferences({
    repository: `${pr.repository.owner}/${pr.repository.name}`,
    branch: pr.headBranch,
    title: pr.title,
    body: pr.body,
    commitMessages: pr.commitMessages,
  });
  const keys = [...new Set(references.map((r) => r.key))];
  const tickets = keys.length
    ? await sql.query<{ id: string; key: string; source: string }>`SELECT id, key, source::text FROM "Ticket" WHERE "orgId" = ${orgId}::uuid AND key = ANY(${keys}::text[])`
    : [];
  // A GitHub-style key names a GitHub issue, a tracker key a Jira or Linear ticket.
  const linkable = tickets.filter((t) => (t.source === 'github') === t.key.includes('#'));
  const wanted = references.flatMap((r) => linkable.filter((t) => t.key === r.key).map((t) => ({ ticketId: t.id, foundBy: r.foundBy })));
  // Only the difference is written: most refreshes change no link.
  const id = (l: { ticketId: string; foundBy: string }) => `${l.ticketId} ${l.foundBy}`;
  const [had, want] = [new Set(pr.links.map(id)), new Set(wanted.map(id))];
  const gone = pr.links.filter((l) => !want.has(id(l)));
  const added = wanted.filter((l) => !had.has(id(l)));
  if (gone.length) {
    await sql.execute`
      DELETE FROM "TicketPullRequestLink" WHERE "orgId" = ${orgId}::uuid AND "pullRequestId" = ${pullRequestId}::uuid
        AND ("ticketId", "foundBy"::text) IN (SELECT * FROM unnest(${gone.map((l) => l.ticketId)}::uuid[], ${gone.map((l) => l.foundBy)}::text[]))`;
  }
  if (added.length) {
    await sql.execute`
      INSERT INTO "TicketPullRequestLink" ("orgId", "ticketId", "pullRequestId", "foundBy")
      SELECT ${orgId}::uuid, t, ${pullRequestId}::uuid, f::"LinkFoundBy" FROM unnest(${added.map((l) => l.ticketId)}::uuid[], ${added.map((l) => l.foundBy)}::text[]) AS a(t, f)
      ON CONFLICT DO NOTHING`;
  }
  const key = storedPullRequestKey(pr.repository, pr.number);
  if (key) await refreshPullRequestAttachmentLinks(sql, orgId, pullRequestId, key);
}

interface PullRequestText {
  number: number;
  headBranch: string | null;
  title: string;
  body: string | null;
  repository: { owner: string; name: string; provider: string; url: string | null };
  commitMessages: string[];
  links: { ticketId: string; foundBy: LinkFoundBy }[];
}

/**
 * A ticket seen for the first time (or under a new key) may be named by pull requests stored
 * before it: those whose branch, title, body or commit messages contain the key are recomputed.
 * The text search only narrows the candidates; the exact rule is refreshPullRequestTicketLinks'.
 */
export async function linkTicketToStoredPullRequests(sql: Sql, orgId: string, key: string): Promise<void> {
  // For `owner/repo#12` a pull request of that repository may write `#12` alone.
  const needle = key.includes('#') ? `%#${key.split('#')[1]}%` : `%${key}%`;
  const rows = await sql.query<{ id: string }>`
    SELECT p.id FROM "PullRequest" p
    WHERE p."orgId" = ${orgId}::uuid
      AND (p."headBranch" ILIKE ${needle} OR p.title ILIKE ${needle} OR p.body ILIKE ${needle}
           OR EXISTS (SELECT 1 FROM "PullRequestCommit" pc JOIN "Commit" c ON c."orgId" = pc."orgId" AND c.id = pc."commitId"
                      WHERE pc."orgId" = ${orgId}::uuid AND pc."pullRequestId" = p.id AND c.message ILIKE ${needle}))`;
  for (const { id } of rows) await refreshPullRequestTicketLinks(sql, orgId, id);
}
