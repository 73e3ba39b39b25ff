import type { CiConclusion, Prisma } from '../db/generated/client.ts';
import type { Sql } from '../db/sql.ts';

type Tx = Prisma.TransactionClient;

/** One execution of one workflow or pipeline, as any source reports it. */
export interface CiRunInput {
  repositoryId: string;
  /** `github_actions`, `github_check_run`, `github_check_suite`, `gitlab`, or what a generic sender names. */
  provider: string;
  externalId: string;
  /** 1 for the first run; a re-run of the same run id is 2, 3, … (a row of its own). */
  runAttempt: number;
  workflow: string;
  headSha: string;
  headBranch: string | null;
  event: string | null;
  status: string;
  conclusion: CiConclusion | null;
  startedAt: Date | null;
  completedAt: Date | null;
  url: string | null;
  /** Pull request numbers in the run's repository that the source names for this run. */
  pullRequestNumbers: number[];
}

/**
 * The run's pull request: one the source names, else a stored PR whose head is the run's sha, else
 * the open PR of its branch. Null when none is stored yet: the PR links its runs when it arrives
 * (linkCiRunsToPullRequest).
 */
async function findPullRequestId(tx: Tx, orgId: string, run: CiRunInput): Promise<string | null> {
  const { repositoryId } = run;
  const named = run.pullRequestNumbers.length ? await tx.pullRequest.findFirst({ where: { orgId, repositoryId, number: { in: run.pullRequestNumbers } }, orderBy: { number: 'asc' } }) : null;
  const bySha = named ?? (await tx.pullRequest.findFirst({ where: { orgId, repositoryId, headSha: run.headSha }, orderBy: { createdAt: 'desc' } }));
  const byBranch = bySha ?? (run.headBranch ? await tx.pullRequest.findFirst({ where: { orgId, repositoryId, headBranch: run.headBranch, state: 'open' }, orderBy: { createdAt: 'desc' } }) : null);
  return byBranch?.id ?? null;
}

/**
 * Upserts a run by (repository, provider, run id, attempt). Deliveries come in any order: a run
 * already finished (it has a conclusion) is not taken back to queued or in progress by an older
 * payload, which can only fill what is still missing.
 */
export async function upsertCiRun(tx: Tx, orgId: string, run: CiRunInput) {
  const { pullRequestNumbers: _numbers, ...fields } = run;
  const key = { orgId_repositoryId_provider_externalId_runAttempt: { orgId, repositoryId: run.repositoryId, provider: run.provider, externalId: run.externalId, runAttempt: run.runAttempt } };
  const existing = await tx.ciRun.findUnique({ where: key });
  const pullRequestId = (await findPullRequestId(tx, orgId, run)) ?? existing?.pullRequestId ?? null;
  if (!existing) return tx.ciRun.create({ data: { orgId, ...fields, pullRequestId } });
  const stale = existing.conclusion !== null && run.conclusion === null;
  const data = stale
    ? { startedAt: existing.startedAt ?? run.startedAt, headBranch: existing.headBranch ?? run.headBranch, url: existing.url ?? run.url, pullRequestId }
    : { ...fields, startedAt: run.startedAt ?? existing.startedAt, headBranch: run.headBranch ?? existing.headBranch, event: run.event ?? existing.event, url: run.url ?? existing.url, pullRequestId };
  return tx.ciRun.update({ where: key, data });
}

/** Links a pull request's runs stored before it (same repository, its head sha, no PR yet). */
export async function linkCiRunsToPullRequest(sql: Sql, orgId: string, pr: { id: string; repositoryId: string; headSha: string | null }): Promise<void> {
  if (!pr.headSha) return;
  await sql.execute`
    UPDATE "CiRun" SET "pullRequestId" = ${pr.id}::uuid
    WHERE "orgId" = ${orgId}::uuid AND "repositoryId" = ${pr.repositoryId}::uuid AND "headSha" = ${pr.headSha} AND "pullRequestId" IS NULL`;
}
