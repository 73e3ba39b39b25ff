import type { HandlerInput } from '../handlers.ts';
import { linkPullRequestCommits } from './link-pull-request-commits.ts';
import { githubPushEventSchema } from './payload-schemas.ts';
import { upsertGitEmailPerson, upsertGithubRepository } from './upsert-github-entities.ts';

/**
 * `push` to a branch: its commits, with author and times from the payload (a push carries one
 * timestamp per commit, used for both author and committer time until a backfill brings both),
 * marked as on the default branch when pushed there, and linked to the pull requests whose head
 * branch it is. Tag pushes carry no commits of their own.
 */
export async function handleGithubPush({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const event = githubPushEventSchema.parse(payload);
  if (!event.ref.startsWith('refs/heads/')) return;
  const branch = event.ref.slice('refs/heads/'.length);
  const repo = await upsertGithubRepository(tx, orgId, event.repository);
  const onDefaultBranch = branch === repo.defaultBranch;
  for (const c of event.commits) {
    const authorId = await upsertGitEmailPerson(tx, orgId, c.author);
    const key = { orgId_repositoryId_sha: { orgId, repositoryId: repo.id, sha: c.id } };
    const existing = await tx.commit.findUnique({ where: key, select: { branches: true, onDefaultBranch: true } });
    const at = new Date(c.timestamp);
    if (existing) {
      await tx.commit.update({
        where: key,
        data: { onDefaultBranch: existing.onDefaultBranch || onDefaultBranch, branches: [...new Set([...existing.branches, branch])] },
      });
    } else {
      await tx.commit.create({
        data: { orgId, repositoryId: repo.id, sha: c.id, authorId, authorEmail: c.author.email.toLowerCase(), authorName: c.author.name, authoredAt: at, committedAt: at, message: c.message, onDefaultBranch, branches: [branch] },
      });
    }
  }
  if (onDefaultBranch) return;
  const prs = await tx.pullRequest.findMany({ where: { orgId, repositoryId: repo.id, headBranch: branch }, select: { id: true } });
  for (const pr of prs) await linkPullRequestCommits(tx, orgId, pr.id);
}
