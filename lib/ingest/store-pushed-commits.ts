import { detectCommitSignals, isAiWritten } from '../attribution/detect.ts';
import { loadAttributionPolicy } from '../attribution/org-rules.ts';
import type { Prisma } from '../db/generated/client.ts';
import { linkPullRequestCommits } from './link-pull-request-commits.ts';
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
  for (const c of commits) {
    const key = { orgId_repositoryId_sha: { orgId, repositoryId: repo.id, sha: c.sha } };
    const existing = await tx.commit.findUnique({ where: key, select: { branches: true, onDefaultBranch: true } });
    if (existing) {
      await tx.commit.update({
        where: key,
        data: { onDefaultBranch: existing.onDefaultBranch || onDefaultBranch, branches: [...new Set([...existing.branches, branch])] },
      });
      continue;
    }
    const authorId = await upsertGitEmailPerson(tx, orgId, c.author);
    const signals = detectCommitSignals({ message: c.message, authorName: c.author.name, authorEmail: c.author.email }, policy.rules);
    await tx.commit.create({
      data: {
        orgId, repositoryId: repo.id, sha: c.sha, authorId, authorEmail: c.author.email.toLowerCase(), authorName: c.author.name,
        authoredAt: c.at, committedAt: c.at, message: c.message, onDefaultBranch, branches: [branch],
        // Pushes carry no line counts: aiAdditions follows when a backfill or import brings them.
        isAi: isAiWritten(signals, policy), aiEvidence: signals as unknown as Prisma.InputJsonValue,
      },
    });
  }
  if (onDefaultBranch) return;
  const prs = await tx.pullRequest.findMany({ where: { orgId, repositoryId: repo.id, headBranch: branch }, select: { id: true } });
  for (const pr of prs) await linkPullRequestCommits(tx, orgId, pr.id);
}
