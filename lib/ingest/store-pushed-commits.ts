import { detectCommitSignals, isAiWritten } from '../attribution/detect.ts';
import { loadAttributionPolicy } from '../attribution/org-rules.ts';
import { uuidV7 } from '../db/ids.ts';
import type { Sql } from '../db/sql.ts';
import { linkPullRequestCommits, lockPullRequestBranch } from './link-pull-request-commits.ts';
import { refreshPullRequestTicketLinks } from '../tickets/link-tickets.ts';
import { upsertGitEmailPerson } from './upsert-git-person.ts';

export interface PushedCommit {
  sha: string;
  message: string;
  /** The one time a push carries per commit: used as author and committer time until a backfill brings both. */
  at: Date;
  author: { name: string; email: string };
}

/**
 * Commits pushed to `branch` (GitHub or GitLab push): stored with the branches they were pushed
 * to, marked as on the default branch when pushed there, and linked to the pull requests whose
 * head branch it is.
 */
export async function storePushedCommits(
  sql: Sql,
  orgId: string,
  repo: { id: string; defaultBranch: string },
  branch: string,
  commits: PushedCommit[],
): Promise<void> {
  const onDefaultBranch = branch === repo.defaultBranch;
  const policy = await loadAttributionPolicy(sql, orgId);
  const shas = commits.map((c) => c.sha);
  const known = new Set(
    (await sql.query<{ sha: string }>`SELECT sha FROM "Commit" WHERE "orgId" = ${orgId}::uuid AND "repositoryId" = ${repo.id}::uuid AND sha = ANY(${shas}::text[])`).map((c) => c.sha),
  );
  // Commits seen before (pushed to another branch, or imported) gain this branch in one statement.
  if (known.size) {
    await sql.execute`
      UPDATE "Commit" SET branches = CASE WHEN ${branch} = ANY(branches) THEN branches ELSE array_append(branches, ${branch}) END,
                          "onDefaultBranch" = "onDefaultBranch" OR ${onDefaultBranch}::boolean
      WHERE "orgId" = ${orgId}::uuid AND "repositoryId" = ${repo.id}::uuid AND sha = ANY(${[...known]}::text[])`;
  }
  const authors = new Map<string, string>();
  const created: { id: string; sha: string; authorId: string; email: string; name: string; at: string; message: string; isAi: boolean; evidence: string }[] = [];
  for (const c of commits) {
    if (known.has(c.sha)) continue;
    known.add(c.sha); // a push lists each commit once, but be safe
    const email = c.author.email.toLowerCase();
    const authorId = authors.get(email) ?? (await upsertGitEmailPerson(sql, orgId, c.author));
    authors.set(email, authorId);
    const signals = detectCommitSignals({ message: c.message, authorName: c.author.name, authorEmail: c.author.email }, policy.rules);
    // Pushes carry no line counts: aiAdditions follows when a backfill or import brings them.
    created.push({ id: uuidV7(), sha: c.sha, authorId, email, name: c.author.name, at: c.at.toISOString(), message: c.message, isAi: isAiWritten(signals, policy), evidence: JSON.stringify(signals) });
  }
  if (created.length) {
    const column = <K extends keyof (typeof created)[number]>(key: K) => created.map((c) => c[key]);
    await sql.execute`
      INSERT INTO "Commit" ("orgId", id, "repositoryId", sha, "authorId", "authorEmail", "authorName", "authoredAt", "committedAt", message,
                            "onDefaultBranch", branches, "isAi", "aiEvidence")
      SELECT ${orgId}::uuid, c.id, ${repo.id}::uuid, c.sha, c."authorId", c.email, c.name, c.at, c.at, c.message, ${onDefaultBranch}::boolean, ARRAY[${branch}::text], c."isAi", c.evidence
      FROM unnest(${column('id')}::uuid[], ${column('sha')}::text[], ${column('authorId')}::uuid[], ${column('email')}::text[], ${column('name')}::text[],
                  ${column('at')}::timestamptz[], ${column('message')}::text[], ${column('isAi')}::boolean[], ${column('evidence')}::jsonb[])
        AS c(id, sha, "authorId", email, name, at, message, "isAi", evidence)`;
  }
  // A push without commits (a branch deleted after its merge) has nothing to link.
  if (onDefaultBranch || commits.length === 0) return;
  // Before looking for the branch's pull requests: one being opened right now is then seen.
  await lockPullRequestBranch(sql, orgId, repo.id, branch);
  const prs = await sql.query<{ id: string }>`
    SELECT id FROM "PullRequest" WHERE "orgId" = ${orgId}::uuid AND "repositoryId" = ${repo.id}::uuid AND "headBranch" = ${branch} ORDER BY id`;
  for (const pr of prs) {
    // New commits' messages may name tickets.
    if ((await linkPullRequestCommits(sql, orgId, pr.id, policy)) > 0) await refreshPullRequestTicketLinks(sql, orgId, pr.id);
  }
}
