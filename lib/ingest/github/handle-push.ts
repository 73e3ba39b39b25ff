import type { SqlHandlerInput } from '../handlers.ts';
import { storePushedCommits } from '../store-pushed-commits.ts';
import { githubPushEventSchema } from './payload-schemas.ts';
import { upsertGithubRepository } from './upsert-github-entities.ts';

/** `push` to a branch (tag pushes carry no commits of their own). */
export async function handleGithubPush({ sql, orgId, payload }: SqlHandlerInput): Promise<void> {
  const event = githubPushEventSchema.parse(payload);
  if (!event.ref.startsWith('refs/heads/')) return;
  const repo = await upsertGithubRepository(sql, orgId, event.repository);
  const commits = event.commits.map((c) => ({ sha: c.id, message: c.message, at: new Date(c.timestamp), author: c.author }));
  await storePushedCommits(sql, orgId, repo, event.ref.slice('refs/heads/'.length), commits);
}
