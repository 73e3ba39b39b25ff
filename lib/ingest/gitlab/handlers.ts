import type { z } from 'zod';
import type { Prisma } from '../../db/generated/client.ts';
import type { HandlerInput } from '../handlers.ts';
import { lockPullRequestBranch, refreshPullRequestDerived } from '../link-pull-request-commits.ts';
import { holdsAll } from '../same-row.ts';
import { refreshReviewTimes } from '../refresh-review-times.ts';
import { storePushedCommits } from '../store-pushed-commits.ts';
import { gitlabMergeRequestEventSchema, gitlabNoteEventSchema, gitlabPushEventSchema, type gitlabMergeRequestSchema, type gitlabProjectSchema } from './payload-schemas.ts';
import { prismaSql } from '../../db/sql.ts';

type Tx = Prisma.TransactionClient;

export async function upsertGitlabRepository(tx: Tx, orgId: string, project: z.infer<typeof gitlabProjectSchema>) {
  const slash = project.path_with_namespace.lastIndexOf('/');
  const owner = project.path_with_namespace.slice(0, slash);
  const name = project.path_with_namespace.slice(slash + 1);
  const data = { externalId: String(project.id), url: project.web_url, ...(project.default_branch ? { defaultBranch: project.default_branch } : {}) };
  const key = { orgId_provider_owner_name: { orgId, provider: 'gitlab' as const, owner, name } };
  // Read, not written, when unchanged: a write would lock the row against every concurrent event of the project.
  const stored = await tx.repository.findUnique({ where: key });
  if (stored && holdsAll(stored, data)) return stored;
  return tx.repository.upsert({ where: key, create: { orgId, provider: 'gitlab', owner, name, ...data }, update: data });
}

/** The person behind a GitLab account (numeric id); its username is known only when it acted. */
async function upsertGitlabPerson(tx: Tx, orgId: string, user: { id: number; username?: string; name?: string }) {
  const key = { orgId_provider_externalId: { orgId, provider: 'gitlab' as const, externalId: String(user.id) } };
  const identity = await tx.identity.findUnique({ where: key });
  if (identity) {
    if (user.username && identity.login !== user.username) await tx.identity.update({ where: key, data: { login: user.username } });
    return identity.personId;
  }
  const login = user.username ?? null;
  const person = await tx.person.create({ data: { orgId, displayName: user.name ?? login ?? `gitlab user ${user.id}`, isBot: /(^|_)bot(_|$)|\[bot\]/.test(login ?? '') } });
  await tx.identity.create({ data: { orgId, personId: person.id, provider: 'gitlab', externalId: String(user.id), login } });
  return person.id;
}

/**
 * Upserts a merge request as a pull request (number = iid). GitLab's hooks carry no merge or close
 * time: the `updated_at` of the first payload seen in that state stands for it (a later backfill
 * brings the exact times). Older payloads than the stored one (by `updated_at`) change nothing.
 */
async function upsertMergeRequest(tx: Tx, orgId: string, project: z.infer<typeof gitlabProjectSchema>, mr: z.infer<typeof gitlabMergeRequestSchema>, actor: { id: number; username: string; name?: string }) {
  const repo = await upsertGitlabRepository(tx, orgId, project);
  const authorId = await upsertGitlabPerson(tx, orgId, actor.id === mr.author_id ? actor : { id: mr.author_id });
  const key = { orgId_repositoryId_number: { orgId, repositoryId: repo.id, number: mr.iid } };
  // As for a GitHub pull request (upsertPullRequest): events of one merge request take turns.
  await lockPullRequestBranch(prismaSql(tx), orgId, repo.id, mr.source_branch);
  const existing = await tx.pullRequest.findUnique({ where: key });
  if (existing?.sourceUpdatedAt && existing.sourceUpdatedAt > mr.updated_at) return existing.id;
  const draft = mr.draft ?? mr.work_in_progress ?? false;
  const ended = mr.state === 'merged' || mr.state === 'closed' || mr.state === 'locked';
  const data = {
    externalId: String(mr.id),
    title: mr.title,
    body: mr.description ?? null,
    url: mr.url,
    authorId,
    state: mr.state === 'merged' ? ('merged' as const) : ended ? ('closed' as const) : ('open' as const),
    isDraft: draft,
    headBranch: mr.source_branch,
    baseBranch: mr.target_branch,
    headSha: mr.last_commit?.id ?? null,
    createdAt: mr.created_at,
    readyAt: existing?.readyAt ?? (draft ? null : mr.created_at),
    mergedAt: mr.state === 'merged' ? (existing?.mergedAt ?? mr.updated_at) : null,
    closedAt: ended ? (existing?.closedAt ?? mr.updated_at) : null,
    sourceUpdatedAt: mr.updated_at,
  };
  if (existing && holdsAll(existing, data)) return existing.id;
  const stored = existing
    ? await tx.pullRequest.update({ where: key, data })
    : await tx.pullRequest.create({ data: { orgId, repositoryId: repo.id, number: mr.iid, ...data } });
  await refreshPullRequestDerived(prismaSql(tx), orgId, existing, stored);
  return stored.id;
}

/** Merge Request Hook, every action; approvals become approving reviews (withdrawn ones dismissed). */
export async function handleGitlabMergeRequest({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { user, project, object_attributes: mr } = gitlabMergeRequestEventSchema.parse(payload);
  const pullRequestId = await upsertMergeRequest(tx, orgId, project, mr, user);
  const approval = mr.action === 'approved' || mr.action === 'approval' ? 'approved' : mr.action === 'unapproved' || mr.action === 'unapproval' ? 'dismissed' : null;
  if (!approval) return;
  const reviewerId = await upsertGitlabPerson(tx, orgId, user);
  const externalId = `approval-${user.id}`;
  const key = { orgId_pullRequestId_externalId: { orgId, pullRequestId, externalId } };
  const existing = await tx.review.findUnique({ where: key });
  // An approval keeps its first time; withdrawing it only changes its state.
  const data = { reviewerId, state: approval as 'approved' | 'dismissed', submittedAt: existing?.submittedAt ?? mr.updated_at };
  await tx.review.upsert({ where: key, create: { orgId, pullRequestId, externalId, ...data }, update: data });
  await refreshReviewTimes(prismaSql(tx), orgId, pullRequestId);
}

/** Note Hook on a merge request: a comment; from anyone but the author it is also review activity. */
export async function handleGitlabNote({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const { user, project, object_attributes: note, merge_request: mr } = gitlabNoteEventSchema.parse(payload);
  if (note.noteable_type !== 'MergeRequest' || !mr) return;
  const pullRequestId = await upsertMergeRequest(tx, orgId, project, mr, user);
  const authorId = await upsertGitlabPerson(tx, orgId, user);
  const externalId = String(note.id);
  const data = { authorId, body: note.note, path: note.position?.new_path ?? null, createdAt: note.created_at };
  await tx.reviewComment.upsert({ where: { orgId_pullRequestId_externalId: { orgId, pullRequestId, externalId } }, create: { orgId, pullRequestId, externalId, ...data }, update: data });
  const review = { reviewerId: authorId, state: 'commented' as const, submittedAt: note.created_at };
  await tx.review.upsert({
    where: { orgId_pullRequestId_externalId: { orgId, pullRequestId, externalId: `note-${note.id}` } },
    create: { orgId, pullRequestId, externalId: `note-${note.id}`, ...review },
    update: review,
  });
  await refreshReviewTimes(prismaSql(tx), orgId, pullRequestId);
}

/** Push Hook to a branch. */
export async function handleGitlabPush({ tx, orgId, payload }: HandlerInput): Promise<void> {
  const event = gitlabPushEventSchema.parse(payload);
  if (!event.ref.startsWith('refs/heads/')) return;
  const repo = await upsertGitlabRepository(tx, orgId, event.project);
  const commits = event.commits.map((c) => ({ sha: c.id, message: c.message, at: c.timestamp, author: c.author }));
  await storePushedCommits(prismaSql(tx), orgId, repo, event.ref.slice('refs/heads/'.length), commits);
}
