import { detectCommitSignals, isAiWritten } from '../attribution/detect.ts';
import { loadAttributionPolicy } from '../attribution/org-rules.ts';
import type { Prisma } from '../db/generated/client.ts';
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
  tx: Prisma.TransactionClient,
  orgId: string,
  repo: { id: string; defaultBranch: string },
  branch: string,
  commits: PushedCommit[],
): Promise<void> {
  const onDefaultBranch = branch === repo.defaultBranch;
  const policy = await loadAttributionPolicy(tx, orgId);
  const shas = commits.map((c) => c.sha);
  const known = new Set(
    (await tx.commit.findMany({ where: { orgId, repositoryId: repo.id, sha: { in: shas } }, select: { sha: true } })).map((c) => c.sha),
  );
  // Commits seen before (pushed to another branch, or imported) gain this branch in one statement.
  if (known.size) {
    await tx.$executeRaw`
      UPDATE "Commit" SET branches = CASE WHEN ${branch} = ANY(branches) THEN branches ELSE array_append(branches, ${branch}) END,
                          "onDefaultBranch" = "onDefaultBranch" OR ${onDefaultBranch}
      WHERE "orgId" = ${orgId} AND "repositoryId" = ${repo.id} AND sha = ANY(${[...known]}::text[])`;
  }
  const authors = new Map<string, string>();
  const created = [];
  for (const c of commits) {
    if (known.has(c.sha)) continue;
    known.add(c.sha); // a push lists each commit once, but be safe
    const email = c.author.email.toLowerCase();
    const authorId = authors.get(email) ?? (await upsertGitEmailPerson(tx, orgId, c.author));
    authors.set(email, authorId);
    const signals = detectCommitSignals({ message: c.message, authorName: c.author.name, authorEmail: c.author.email }, policy.rules);
    created.push({
      orgId, repositoryId: repo.id, sha: c.sha, authorId, authorEmail: email, authorName: c.author.name,
      authoredAt: c.at, committedAt: c.at, message: c.message, onDefaultBranch, branches: [branch],
      // Pushes carry no line counts: aiAdditions follows when a backfill or import brings them.
      isAi: isAiWritten(signals, policy), aiEvidence: signals as unknown as Prisma.InputJsonValue,
    });
  }
  if (created.length) await tx.commit.createMany({ data: created });
  // A push without commits (a branch deleted after its merge) has nothing to link.
  if (onDefaultBranch || commits.length === 0) return;
  // Before looking for the branch's pull requests: one being opened right now is then seen.
  await lockPullRequestBranch(tx, orgId, repo.id, branch);
  const prs = await tx.pullRequest.findMany({ where: { orgId, repositoryId: repo.id, headBranch: branch }, select: { id: true } });
  for (const pr of prs) {
    // New commits' messages may name tickets.
    if ((await linkPullRequestCommits(tx, orgId, pr.id, policy)) > 0) await refreshPullRequestTicketLinks(tx, orgId, pr.id);
  }
}
